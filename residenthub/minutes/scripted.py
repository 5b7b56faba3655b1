"""Scripted committee meetings in the seed minutes' format: for the demo, the tests and the benchmark.

They are our own data: every decision and action is phrased from the templates below, so figures
measured on them show that the pipeline works end to end, not how it does on real meetings.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

PEOPLE = [
    # name, role, title (how minutes name officers)
    ("Councillor Jane Holloway", "chair", ""),
    ("Councillor Peter Okafor", "member", ""),
    ("Councillor Amina Shah", "member", ""),
    ("Councillor David Brennan", "member", ""),
    ("Sarah Whitfield", "officer", "Head of Digital"),
    ("Tom Reynolds", "officer", "Chief Operating Officer"),
    ("Grace Mensah", "officer", "Democratic Services Officer"),
]

TOPICS = [
    (
        "Digital Transformation Update",
        [
            "The digital strategy was approved in October and sets out a three year investment programme.",
            "Five cross council programmes are under way, including automated processes and a single view of the resident.",  # noqa: E501
            "The Resident Hub launched in January and has automated more than ten processes.",
            "The digital inclusion programme has provided laptops to sixty nine residents so far.",
        ],
        [
            "How are residents who are not online being supported?",
            "Could the laptop scheme be advertised through libraries?",
        ],
        [
            "Officers are investing in both digital and non digital services.",
            "Libraries will be used to reach residents who are digitally excluded.",
        ],
        "the update on digital transformation be noted",
    ),
    (
        "Waste Collection Service Review",
        [
            "The review looked at missed collections across the borough over the last twelve months.",
            "Missed collections fell by eighteen percent after the new routing software was introduced.",
            "Garden waste subscriptions have grown and now cover a third of households.",
        ],
        [
            "Why are missed collections still high on the estates in the north of the borough?",
            "What is the cost of extending the food waste service to flats?",
        ],
        [
            "Access problems on the estates account for most of the missed collections.",
            "Extending food waste to flats would cost about two hundred thousand pounds a year.",
        ],
        "the recommendations of the waste collection review be approved",
    ),
    (
        "Housing Repairs Performance",
        [
            "Emergency repairs were completed within twenty four hours in ninety six percent of cases.",
            "Damp and mould reports have doubled since last winter.",
            "A new surveying team has been recruited to inspect homes with damp within ten days.",
        ],
        [
            "How many homes are still waiting for a damp inspection?",
            "Are tenants told when their repair has been booked?",
        ],
        [
            "About one hundred and twenty homes are waiting, and all will be inspected by the end of the month.",  # noqa: E501
            "Tenants now receive a text message with the appointment time.",
        ],
        "the housing repairs performance report be noted and the damp and mould plan be endorsed",
    ),
    (
        "Library Opening Hours Consultation",
        [
            "The consultation received more than two thousand responses from residents.",
            "Most respondents asked for longer opening hours on Saturdays.",
            "The proposal keeps every library open while moving staff hours to weekends.",
        ],
        [
            "Was the consultation available on paper as well as online?",
            "Will the changes affect the homework clubs?",
        ],
        [
            "Paper copies were available in every library and at the civic centre.",
            "Homework clubs will continue at the same times.",
        ],
        "the revised library opening hours be approved for implementation from April",
    ),
    (
        "Parking Enforcement Annual Report",
        [
            "The number of penalty charge notices issued fell by six percent this year.",
            "Most appeals concerned loading bays and school streets.",
            "Income from parking is reinvested in highways maintenance as the law requires.",
        ],
        [
            "How many appeals were successful?",
            "Are the school street cameras working well?",
        ],
        [
            "Around a quarter of appeals were successful, mostly on signage grounds.",
            "The cameras have reduced traffic outside schools by a third at drop off times.",
        ],
        "the parking enforcement annual report be noted",
    ),
    (
        "Budget Monitoring Quarter Two",
        [
            "The council is forecasting an overspend of one point two million pounds this year.",
            "Most of the pressure comes from temporary accommodation and adult social care.",
            "Recovery actions have been agreed with every directorate.",
        ],
        [
            "What will happen if the recovery actions do not close the gap?",
            "Is the use of reserves being considered?",
        ],
        [
            "Any remaining gap would be met from the contingency budget.",
            "Reserves would only be used as a last resort and with the approval of Cabinet.",
        ],
        "the quarter two budget monitoring position be noted and the recovery actions be endorsed",
    ),
]

ACTION_TEMPLATES = [
    "{owner} to circulate {thing} to members by {due}.",
    "{owner} will provide {thing} to the committee by {due}.",
    "Action: {owner} to report back on {thing} by {due}.",
    "{owner} agreed to share {thing} with members by {due}.",
    "{owner} undertook to prepare {thing} by {due}.",
]
THINGS = [
    "a briefing note on the figures",
    "the breakdown by ward",
    "an update on the consultation responses",
    "a summary of the costs",
    "the timetable for the next phase",
    "the results of the resident survey",
]
RESOLUTION_TEMPLATES = [
    "So the committee resolved that {text}. {vote}",
    "Resolved that {text}. {vote}",
    "It was agreed that {text}. {vote}",
    "The committee agreed that {text}. {vote}",
]
VOTES = [
    "",
    "That was agreed unanimously.",
    "The vote was {f} in favour, {a} against and {b} abstentions.",
    "That was carried with {f} votes in favour and {a} against.",
]


@dataclass
class Line:
    speaker: str
    text: str
    kind: str = "talk"  # talk / decision / action


@dataclass
class ScriptedMeeting:
    committee: str
    date: dt.date
    agenda: list[str]
    attendees: list[tuple[str, str, str, bool]]  # name, role, title, present
    lines: list[Line] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)  # item, text, vote
    actions: list[dict] = field(default_factory=list)  # item, owner, due, text

    def attendees_text(self) -> str:
        rows = [f"{n}, {r}" + (f", {t}" if t else "") for n, r, t, p in self.attendees if p]
        rows += ["Apologies:"] + [f"{n}, {r}" for n, r, t, p in self.attendees if not p]
        return "\n".join(rows)

    def agenda_text(self) -> str:
        return "\n".join(f"{i}. {t}" for i, t in enumerate(self.agenda, 1))

    def speakers(self) -> list[str]:
        return sorted({line.speaker for line in self.lines})

    def segments(self, seconds_per_word: float = 0.4) -> list[dict]:
        """The script as a perfect transcript, speakers labelled as speaker segmentation would."""
        labels = {name: f"SPEAKER_{i}" for i, name in enumerate(self.speakers())}
        at, out = 0.0, []
        for line in self.lines:
            span = seconds_per_word * len(line.text.split())
            out.append(
                {
                    "start": round(at, 2),
                    "end": round(at + span, 2),
                    "speaker": labels[line.speaker],
                    "text": line.text,
                }
            )
            at += span + 0.3
        return out


def _say_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def meeting(
    seed: int = 0, *, items: int = 3, questions: int = 2, talk: int | None = None, date: dt.date | None = None
) -> ScriptedMeeting:
    """One scripted meeting; ``items`` agenda items drawn from TOPICS."""
    rnd = random.Random(seed)
    date = date or dt.date(2026, 3, 2) + dt.timedelta(days=7 * seed)
    topics = rnd.sample(TOPICS, k=min(items, len(TOPICS)))
    chair = PEOPLE[0]
    members = PEOPLE[1:4]
    officers = PEOPLE[4:]
    absent = rnd.choice(members)
    attendees = [(n, r, t, (n, r, t) != absent) for n, r, t in PEOPLE]
    present_members = [m for m in members if m != absent]
    m = ScriptedMeeting(
        committee="Corporate Resources and Infrastructure Select Committee",
        date=date,
        agenda=[t[0] for t in topics],
        attendees=attendees,
    )
    say = m.lines.append
    say(Line(chair[0], "Good evening and welcome to this meeting of the committee."))
    say(Line(chair[0], f"We have received apologies from {absent[0]}."))
    say(Line(chair[0], "Are there any declarations of interest? There are no declarations of interest."))
    for index, (title, report, asks, answers, resolution) in enumerate(topics, 1):
        officer = rnd.choice(officers)
        say(Line(chair[0], f"Item {index}, {title}. I will hand over to {officer[0]}."))
        for sentence in report[:talk]:
            say(Line(officer[0], sentence))
        for q in range(min(questions, len(asks))):
            asker = rnd.choice(present_members)
            say(Line(asker[0], asks[q]))
            say(Line(officer[0], answers[q]))
        owner = rnd.choice([officer, *officers])
        due = date + dt.timedelta(days=rnd.choice([14, 21, 28, 35, 42]))
        thing = rnd.choice(THINGS)
        template = rnd.choice(ACTION_TEMPLATES)
        text = template.format(owner=owner[0], thing=thing, due=_say_date(due))
        say(Line(chair[0], text, "action"))
        m.actions.append({"item": index - 1, "owner": owner[0], "due": due.isoformat(), "text": text})
        f = rnd.randint(4, 7)
        a = rnd.randint(0, 2)
        b = rnd.randint(0, 1)
        vote_line = rnd.choice(VOTES).format(f=f, a=a, b=b)
        spoken = rnd.choice(RESOLUTION_TEMPLATES).format(text=resolution, vote=vote_line).strip()
        say(Line(chair[0], spoken, "decision"))
        m.decisions.append({"item": index - 1, "text": f"RESOLVED: That {resolution}.", "vote": vote_line})
        say(Line(chair[0], "Thank you. Moving on."))
    say(Line(chair[0], "That concludes the business of the meeting. Thank you all."))
    return m


# Roughly how long espeak-ng takes to say a meeting: used to size benchmark sets.
WORDS_PER_MINUTE = 160
