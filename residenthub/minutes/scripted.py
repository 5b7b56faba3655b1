"""Scripted committee meetings in the seed minutes' format: for the demo, the tests and the benchmark.

They are our own data: every decision and action is phrased from the templates below, so figures
measured on them show that the pipeline works end to end, not how it does on real meetings.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .dates import ORDINALS

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

# Two sets of scripts, so that rules and thresholds are tuned on one and reported on the other
# (benchmarks/minutes.py): "tune" (TOPICS, PEOPLE and the templates below) and "eval" (EVAL_*: other
# topics, other names, other phrasings of decisions, actions and due dates, spoken by other voices).
ACTION_TEMPLATES = [
    "{owner} to circulate {thing} to members {due}.",
    "{owner} will provide {thing} to the committee {due}.",
    "Action: {owner} to report back on {thing} {due}.",
    "{owner} agreed to share {thing} with members {due}.",
    "{owner} undertook to prepare {thing} {due}.",
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

# A second tune set, "tune-actions" (ADR 0167): the tune meetings (topics, people, voices, seeds) with
# actions said the way UK committee minutes write them, our own sentences: the "ACTION:" heading,
# "officers were asked to", "it was agreed that X would", the owner after the verb, the passive
# "to be circulated by X", and due dates as "by the next meeting", "by end of March", "within four
# weeks". The first tune set was saturated (recall 1.00 from its own five templates).
ACTION_TEMPLATES_2 = [
    "ACTION: {owner} to look into {thing} and report back {due}.",
    "Officers were asked to bring {thing} back to members {due}, with {owner} leading.",
    "It was agreed that {owner} would circulate {thing} {due}.",
    "The committee asked {owner} to provide {thing} {due}.",
    "Members requested {thing} from {owner} {due}.",
    "{Thing} to be circulated to members by {owner} {due}.",
    "{owner} kindly offered to prepare {thing} {due}.",
    "{owner} will take away {thing} and come back to the committee {due}.",
    "We agreed that {owner} should follow up {thing} {due}.",
    "{owner} has agreed to chase {thing} and let members know {due}.",
    "Can I ask {owner} to send round {thing} {due}?",
    "{owner} is to arrange {thing} {due}.",
]
THINGS_2 = [
    "a note on the staffing position",
    "the list of sites affected",
    "a costed options paper",
    "the equality impact assessment",
    "the draft terms of reference",
    "the figures for each ward",
    "the risk register entry",
]

EVAL_PEOPLE = [
    ("Councillor Margaret Ellison", "chair", ""),
    ("Councillor Rajesh Patel", "member", ""),
    ("Councillor Fiona McKenzie", "member", ""),
    ("Councillor Samuel Adeyemi", "member", ""),
    ("Helen Carter", "officer", "Director of Adult Social Care"),
    ("Michael Byrne", "officer", "Head of Highways"),
    ("Priya Desai", "officer", "Climate Programme Manager"),
]
EVAL_TOPICS = [
    (
        "Adult Social Care Waiting Times",
        [
            "The number of people waiting for a care assessment has fallen to four hundred.",
            "Average waiting time is now six weeks, down from eleven weeks last spring.",
            "Two new occupational therapists started in September.",
        ],
        [
            "How are people with urgent needs identified while they wait?",
            "Is the council paying more for agency social workers?",
        ],
        [
            "Every new referral is screened by a duty social worker within two working days.",
            "Agency spending has fallen since the recruitment campaign began.",
        ],
        "the adult social care waiting times report be noted",
    ),
    (
        "Highways Maintenance Programme",
        [
            "The programme will resurface forty two roads and repair twelve footways next year.",
            "Potholes reported online are now inspected within five working days.",
            "Winter gritting routes have been reviewed after last year's storms.",
        ],
        [
            "Why was my ward left out of the resurfacing list?",
            "How are residents told when their road will be closed?",
        ],
        [
            "Roads are ranked by condition surveys, and the ward has three schemes the year after.",
            "Letters go to every address on the road two weeks before the works start.",
        ],
        "the highways maintenance programme for next year be approved",
    ),
    (
        "Climate Action Plan Progress",
        [
            "Council building emissions have fallen by a fifth since the plan was adopted.",
            "Solar panels have been fitted to nine schools and the town hall.",
            "The electric vehicle charging network now has sixty public points.",
        ],
        [
            "When will the council fleet be fully electric?",
            "Are residents being helped to insulate their homes?",
        ],
        [
            "The fleet should be fully electric by the end of the decade.",
            "A retrofit grant scheme opens to residents in the spring.",
        ],
        "the climate action plan progress report be noted and the retrofit grant scheme be endorsed",
    ),
    (
        "Council Tax Support Scheme",
        [
            "The scheme currently helps eleven thousand households with their council tax.",
            "The proposal keeps full support for pensioners and carers.",
            "Working age households would pay at least ten percent of their bill.",
        ],
        [
            "How many households would pay more under the proposal?",
            "Was the consultation translated into community languages?",
        ],
        [
            "About three thousand households would pay a little more each month.",
            "The consultation was available in six languages and by telephone.",
        ],
        "the council tax support scheme for next year be recommended to full council",
    ),
    (
        "Community Safety Partnership Update",
        [
            "Reports of antisocial behaviour in the town centre fell over the summer.",
            "Street lighting has been improved in four parks after the safety walks.",
            "The partnership has funded youth workers on Friday and Saturday evenings.",
        ],
        [
            "Are the youth workers funded beyond March?",
            "What is being done about fly tipping on the industrial estate?",
        ],
        [
            "Funding for the youth workers is secured until the end of next year.",
            "Cameras have been installed and two prosecutions are under way.",
        ],
        "the community safety partnership update be noted",
    ),
]
EVAL_ACTION_TEMPLATES = [
    "Could {owner} please send {thing} to all members {due}?",
    "{owner} has agreed to bring {thing} back to the committee {due}.",
    "I would like {owner} to look into {thing} and report to members {due}.",
    "We will ask {owner} to circulate {thing} {due}.",
    "{owner} will let members have {thing} {due}.",
]
EVAL_THINGS = [
    "the figures for each ward",
    "a note on the legal position",
    "the list of affected addresses",
    "a costed options paper",
    "the equality impact assessment",
    "a map of the proposed schemes",
]
EVAL_RESOLUTION_TEMPLATES = [
    "The committee therefore resolved that {text}. {vote}",
    "Members agreed that {text}. {vote}",
    "On being put to the vote, it was resolved that {text}. {vote}",
    "Resolved, that {text}. {vote}",
]
EVAL_VOTES = [
    "",
    "There were no votes against.",
    "{f} members voted in favour and {a} against.",
    "That was carried by {f} votes to {a}.",
]

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ORDINALS = ORDINALS  # the spoken forms the due-date reader knows


def _ordinal(n: int) -> str:
    if n <= 20:
        return _ORDINALS[n - 1]
    if n == 30:
        return "thirtieth"
    return ("twenty " if n < 30 else "thirty ") + _ORDINALS[n % 10 - 1]


def _month_end(day: dt.date, months_ahead: int = 0) -> dt.date:
    year, month = day.year, day.month + months_ahead
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _next_weekday(day: dt.date, weekday: int, *, following_week: bool = False) -> dt.date:
    """The first ``weekday`` after ``day``; with ``following_week``, that weekday in the week after
    this one (Monday-based weeks): the UK reading of "next Friday" said on a Monday."""
    if following_week:
        monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=7)
        return monday + dt.timedelta(days=weekday)
    return day + dt.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def _due_tune(rnd: random.Random, date: dt.date) -> tuple[dt.date, str]:
    """A due date and how the tune scripts say it."""
    form = rnd.choice(["absolute", "absolute", "end_of_month_name", "within_weeks", "next_weekday"])
    if form == "end_of_month_name":
        due = _month_end(date, rnd.choice([1, 2]))
        return due, f"by the end of {due:%B}"
    if form == "within_weeks":
        n = rnd.choice([2, 3, 4, 6])
        return date + dt.timedelta(
            days=7 * n
        ), f"within {['', '', 'two', 'three', 'four', '', 'six'][n]} weeks"
    if form == "next_weekday":
        weekday = rnd.choice([3, 4])
        return _next_weekday(date, weekday, following_week=True), f"by next {_WEEKDAYS[weekday]}"
    due = date + dt.timedelta(days=rnd.choice([14, 21, 28, 35, 42]))
    return due, "by " + _say_date(due)


def _due_tune_2(rnd: random.Random, date: dt.date) -> tuple[dt.date, str]:
    """A due date and how the tune-actions scripts say it (a committee meeting every four weeks)."""
    form = rnd.choice(["next_meeting", "end_of_month", "within_weeks", "fortnight", "no_later", "end_next"])
    if form == "next_meeting":
        said = rnd.choice(["by the next meeting", "before the next meeting", "ahead of the next meeting"])
        return date + dt.timedelta(days=28), said
    if form == "end_of_month":
        due = _month_end(date, rnd.choice([1, 2]))
        return due, f"by end of {due:%B}"
    if form == "within_weeks":
        n = rnd.choice([3, 4, 6])
        return date + dt.timedelta(days=7 * n), f"within {['', '', '', 'three', 'four', '', 'six'][n]} weeks"
    if form == "fortnight":
        return date + dt.timedelta(days=14), "within a fortnight"
    if form == "end_next":
        return _month_end(date, 1), "by the end of next month"
    due = date + dt.timedelta(days=rnd.choice([10, 17, 24, 31]))
    return due, "no later than " + f"{due.day} {due:%B}"


def _due_eval(rnd: random.Random, date: dt.date) -> tuple[dt.date, str]:
    """A due date and how the eval scripts say it (forms the tune scripts never use)."""
    form = rnd.choice(
        [
            "month_ordinal",
            "ordinal_of_month",
            "weeks_time",
            "end_of_this_month",
            "end_of_next_month",
            "fortnight",
            "this_weekday",
            "weekday_ordinal",
        ]
    )
    if form in ("end_of_this_month", "end_of_next_month"):
        ahead = form == "end_of_next_month"
        if not ahead and (_month_end(date) - date).days < 7:
            ahead = True
        return _month_end(
            date, int(ahead)
        ), "by the end of next month" if ahead else "by the end of the month"
    if form == "weeks_time":
        n = rnd.choice([3, 4, 5])
        return date + dt.timedelta(days=7 * n), f"in {['', '', '', 'three', 'four', 'five'][n]} weeks' time"
    if form == "fortnight":
        return date + dt.timedelta(days=14), "in a fortnight"
    if form == "this_weekday":
        weekday = rnd.choice([2, 3, 4])
        return _next_weekday(date, weekday), f"by this {_WEEKDAYS[weekday]}"
    due = date + dt.timedelta(days=rnd.choice([10, 17, 24, 31, 38, 45]))
    if form == "month_ordinal":
        return due, f"by {due:%B} the {_ordinal(due.day)}"
    if form == "weekday_ordinal":
        return due, f"by {_WEEKDAYS[due.weekday()]} the {_ordinal(due.day)} of {due:%B}"
    return due, f"by the {_ordinal(due.day)} of {due:%B}"


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
    seed: int = 0,
    *,
    items: int = 3,
    questions: int = 2,
    talk: int | None = None,
    date: dt.date | None = None,
    variant: str = "tune",
) -> ScriptedMeeting:
    """One scripted meeting; ``items`` agenda items drawn from the variant's topics.

    ``variant`` "tune" (the default: tests, demo, tuning rules) or "eval" (other topics, names,
    phrasings and date forms: only ever reported, never tuned on)."""
    if variant not in ("tune", "tune-actions", "eval"):
        raise ValueError(f"variant must be 'tune', 'tune-actions' or 'eval', not {variant!r}")
    evaluation = variant == "eval"
    second = variant == "tune-actions"  # the tune meetings with other action phrasings (ADR 0167)
    rnd = random.Random(seed)
    first = dt.date(2026, 9, 7) if evaluation else dt.date(2026, 3, 2)  # Mondays
    date = date or first + dt.timedelta(days=7 * (seed % 26 if evaluation else seed))
    people = EVAL_PEOPLE if evaluation else PEOPLE
    topics = rnd.sample(EVAL_TOPICS if evaluation else TOPICS, k=min(items, len(TOPICS)))
    chair = people[0]
    members = people[1:4]
    officers = people[4:]
    absent = rnd.choice(members)
    attendees = [(n, r, t, (n, r, t) != absent) for n, r, t in people]
    present_members = [m for m in members if m != absent]
    m = ScriptedMeeting(
        committee=(
            "Health and Communities Scrutiny Committee"
            if evaluation
            else "Corporate Resources and Infrastructure Select Committee"
        ),
        date=date,
        agenda=[t[0] for t in topics],
        attendees=attendees,
    )
    say = m.lines.append
    if evaluation:
        say(Line(chair[0], "Good evening everyone, and welcome. I will open the meeting."))
        say(Line(chair[0], f"Apologies have been received from {absent[0]}."))
        say(Line(chair[0], "Does anyone have an interest to declare? No declarations were made."))
    else:
        say(Line(chair[0], "Good evening and welcome to this meeting of the committee."))
        say(Line(chair[0], f"We have received apologies from {absent[0]}."))
        say(Line(chair[0], "Are there any declarations of interest? There are no declarations of interest."))
    for index, (title, report, asks, answers, resolution) in enumerate(topics, 1):
        officer = rnd.choice(officers)
        if evaluation:
            say(Line(chair[0], f"Item {index}, {title}. {officer[0]} will introduce the report."))
        else:
            say(Line(chair[0], f"Item {index}, {title}. I will hand over to {officer[0]}."))
        for sentence in report[:talk]:
            say(Line(officer[0], sentence))
        for q in range(min(questions, len(asks))):
            asker = rnd.choice(present_members)
            say(Line(asker[0], asks[q]))
            say(Line(officer[0], answers[q]))
        owner = rnd.choice([officer, *officers])
        due, said = (_due_eval if evaluation else _due_tune_2 if second else _due_tune)(rnd, date)
        thing = rnd.choice(EVAL_THINGS if evaluation else THINGS_2 if second else THINGS)
        template = rnd.choice(
            EVAL_ACTION_TEMPLATES if evaluation else ACTION_TEMPLATES_2 if second else ACTION_TEMPLATES
        )
        named = owner[0]
        if evaluation:  # officers are also named by first name or job title, as chairs do
            named = rnd.choice([owner[0], owner[0].split()[0], f"the {owner[2]}"])
        if second:  # officers by name, first name or job title, as minutes do
            named = rnd.choice([owner[0], owner[0], owner[0].split()[0], f"the {owner[2]}"])
        text = template.format(owner=named, thing=thing, due=said, Thing=thing[0].upper() + thing[1:])
        text = text[0].upper() + text[1:]
        say(Line(chair[0], text, "action"))
        m.actions.append({"item": index - 1, "owner": owner[0], "due": due.isoformat(), "text": text})
        f = rnd.randint(4, 7)
        a = rnd.randint(0, 2)
        b = rnd.randint(0, 1)
        vote_line = rnd.choice(EVAL_VOTES if evaluation else VOTES).format(f=f, a=a, b=b)
        templates = EVAL_RESOLUTION_TEMPLATES if evaluation else RESOLUTION_TEMPLATES
        spoken = rnd.choice(templates).format(text=resolution, vote=vote_line).strip()
        say(Line(chair[0], spoken, "decision"))
        m.decisions.append({"item": index - 1, "text": f"RESOLVED: That {resolution}.", "vote": vote_line})
        say(Line(chair[0], "Thank you. We move to the next item." if evaluation else "Thank you. Moving on."))
    say(Line(chair[0], "That concludes the business of the meeting. Thank you all."))
    return m


# Roughly how long espeak-ng takes to say a meeting: used to size benchmark sets.
WORDS_PER_MINUTE = 160
