"""What a committee was asked to decide, written the way a clerk minutes it.

Officers put recommendations in their own words ("the recommendation is to approve the plan as set out,
and to delegate authority to me as Director of Adult Social Care ... to make any final changes"; "the ask
today is that the board endorses the strategy and refers it to Cabinet"), and chairs put them to the room
by reference ("are we agreed on the recommendations?"). Minutes record each as a resolution in the
passive, naming the thing decided and the people by their posts: "That the Better Care Fund Plan 2027/28
be approved as set out." and "That authority be delegated to the Director of Adult Social Care, in
consultation with the Chair, to make any final changes". Read from meetings written by helpers who never
saw the drafting rules (``benchmarks/data/minutes_blind``, tune part; ADR 0178).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol


class _Person(Protocol):
    name: str
    title: str


# The verbs a committee decides with, and how minutes write them.
PARTICIPLES = {
    "note": "noted",
    "approve": "approved",
    "endorse": "endorsed",
    "agree": "agreed",
    "accept": "accepted",
    "adopt": "adopted",
    "defer": "deferred",
    "support": "supported",
    "reject": "rejected",
    "refuse": "refused",
    "refer": "referred",
}
_MORE_DECISION_VERBS = {
    "recommend": "recommended",
    "award": "awarded",
    "launch": "launched",
    "add": "added",
    "retain": "retained",
    "renew": "renewed",
    "extend": "extended",
    "grant": "granted",
    "establish": "established",
    "commission": "commissioned",
    "allocate": "allocated",
    "release": "released",
    "increase": "increased",
    "reduce": "reduced",
    "freeze": "frozen",
    "publish": "published",
    "submit": "submitted",
    "authorise": "authorised",
    "confirm": "confirmed",
    "ratify": "ratified",
    "keep": "kept",
    "introduce": "introduced",
    "implement": "implemented",
    "appoint": "appointed",
    "amend": "amended",
    "set": "set",
    "procure": "procured",
    "acquire": "acquired",
    "transfer": "transferred",
    "include": "included",
    "delegate": "delegated",
    "invite": "invited",
    "request": "requested",
}
DECISION_VERBS = {**PARTICIPLES, **_MORE_DECISION_VERBS}
_VERB_FORMS = sorted(
    {form for verb in DECISION_VERBS for form in (verb, verb + "s", verb + "es")}, key=len, reverse=True
)
_VERB = r"(?:" + "|".join(_VERB_FORMS) + r")"

STATE_WORDS = ("revised", "refreshed", "updated", "draft", "proposed", "new", "final", "amended")
GENERIC_OBJECT = re.compile(
    r"^(?:the |this |that |these |those )?(?:(?P<noun>report|update|item|paper|recommendations?|proposals?|"
    r"strategy|plan|policy|review|position|criteria|scheme|programme|statement|assessment|contract|framework|"
    r"budget|charter|application|register)s?|it|them|that|this)$",
    re.IGNORECASE,
)
# An agenda title naming the act rather than the thing: "Award of Highways Maintenance Term Contract" is
# minuted as "That the Highways Maintenance Term Contract be awarded ...".
_ACT_OF = re.compile(
    r"^(?:award|review|approval|adoption|acquisition|renewal|extension|consideration|update on|refresh of)"
    r"\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)


def object_for(found: str, title: str) -> str:
    """The thing decided, with "the report" or "it" made the agenda item's own ("the fly-tipping
    enforcement update"); each of two things joined by "and" on its own ("the report and the actual
    prudential indicators")."""
    found = " ".join(found.split()).strip(" ,")
    parts = re.split(r"\s+and\s+(?=(?:the|this|that|these|those|it|them)\b)", found)
    if len(parts) > 1:
        return " and ".join(object_for(part, title) if i == 0 else part for i, part in enumerate(parts))
    generic = GENERIC_OBJECT.match(found)
    said = set(re.findall(r"[a-z]+", found.lower())) - {"the", "this", "that", "these", "those", "our", "its"}
    kept = [w for w in STATE_WORDS if w in said]  # "the revised policy" -> "the revised ... Policy"
    said -= set(STATE_WORDS)
    if title and kept and not said:
        return " ".join(["the", *kept, title.strip().rstrip(".")])  # "the draft": the item's, in draft
    if title and said and said <= set(re.findall(r"[a-z]+", title.lower())):
        # "the action plan" under "Carers' Strategy Action Plan"
        return " ".join(["the", *kept, title.strip().rstrip(".")])
    if not generic or not title:
        return found
    noun = (generic.group("noun") or "").lower()
    name = title.strip().rstrip(".")
    if noun and noun not in {"item", "paper"} and noun.rstrip("s") not in name.lower():
        return f"the {name} {noun}"
    return f"the {name}"


def thing_decided(found: str, title: str) -> str:
    """``object_for``, with an agenda title that names the act ("Award of ...") read as the thing."""
    return object_for(found, _ACT_OF.sub("", title.strip()) if title else title)


def as_minuted(who: str, attendees: Sequence[_Person], speaker: str = "") -> str:
    """A person as minutes name them: by post where the attendance list gives one ("Gemma as Director of
    Place" and "Gemma" are "the Director of Place"; "me as Chair" is "the Chair"; "me" said by an officer
    is that officer's post)."""
    who = " ".join(who.split()).strip(" ,")
    if who.lower() in {"me", "myself"} and speaker:
        said_by = next((a for a in attendees if a.name == speaker and a.title), None)
        if said_by is not None:
            return f"the {said_by.title}"
    said_as = re.match(r"(?P<name>.+?)\s+as\s+(?:the\s+)?(?P<post>.+)$", who, re.IGNORECASE)
    if said_as:
        post = said_as.group("post")
        return "the Chair" if post.lower() == "chair" else f"the {post}"
    if who.lower() in {"me", "myself", "us"}:
        return "the Chair"
    person = next((a for a in attendees if a.title and who.lower() in _name_forms(a.name)), None)
    return f"the {person.title}" if person is not None else who


_HONORIFIC = {"cllr", "councillor", "mr", "mrs", "ms", "miss", "dr", "mx", "sir", "dame", "professor"}


def _name_forms(name: str) -> set[str]:
    """ "Councillor Owen Griffiths" is also "Owen Griffiths", "Owen" and "Griffiths", never "Councillor"."""
    parts = [p for p in name.lower().split() if p.strip(".") not in _HONORIFIC]
    return {name.lower(), " ".join(parts), *parts}


def _people_as_minuted(text: str, attendees: Sequence[_Person]) -> str:
    """Each person in a list ("the Chair and with Anil as ICB place director") by post."""
    parts = re.split(r"(\s*,\s*|\s+and\s+(?:with\s+)?)", text)
    return "".join(
        part if i % 2 else as_minuted(part, attendees) if part.strip() else part
        for i, part in enumerate(parts)
    )


# --- recommendations put to the committee ---------------------------------------------------------------

# "the recommendation is to ...", "the recommendations are that ...", "members are (also) asked to ...",
# "the ask today is that ...": what the room is asked to decide.
_RECOMMENDATION = re.compile(
    r"\b(?:(?:the|our|my|officers'?|report'?s) )?(?:officer )?"
    r"(?:recommendations?|ask(?: today| of (?:you|members))?)"
    r"(?: (?:in|before) (?:the report|you|members|us))? (?:is|are|would be) (?:that |to |simply to )?"
    r"(?P<body>[^.;?!]{8,260})"
    r"|\b(?:members|the (?:committee|board|cabinet|panel|sub-committee)|you|cabinet)(?: are| is) (?:also )?"
    r"(?:being )?asked to (?P<body2>[^.;?!]{8,260})"
    r"|\b(?:we(?:'re| are)|officers are|i'?m|the report|it|the paper) "
    r"(?:asking|recommending|asks|recommends) (?:the (?:committee|board|panel|sub-committee)|members|you|"
    r"cabinet|council) to (?P<body3>[^.;?!]{8,260})"
    # A recommendation read out as a list item: "To approve the strategy, and to delegate to ..."
    r"|^\W*to\s+(?P<body4>(?:" + _VERB + r")\b[^.;?!]{4,260})",
    re.IGNORECASE,
)
# Who is asked, at the head of a recommendation: "that Cabinet recommends ...", "that the board endorses".
_SUBJECT = re.compile(
    r"^(?:that\s+)?(?:the\s+)?(?:committee|board|cabinet|members?|council|panel|sub-committee|you|we)\s+"
    r"(?:is\s+|are\s+)?(?:asked\s+to\s+|should\s+|will\s+|would\s+|agrees?\s+to\s+)?(?=" + _VERB + r"\b)",
    re.IGNORECASE,
)
# A recommendation that another body act, its verb in the base form ("that Cabinet approve ..."), unlike
# the deciding body's own ("that Cabinet recommends the strategy to Council", "that the board endorses").
_ANOTHER_BODY = re.compile(
    r"^(?:that\s+)?(?P<said>(?:the\s+)?(?:full\s+)?(?:cabinet|council|executive)\s+(?:"
    + "|".join(sorted(DECISION_VERBS, key=len, reverse=True))
    + r")\b.+)$",
    re.IGNORECASE,
)
_NEXT_CLAUSE = re.compile(
    r",?\s+(?:and|also)\s+(?:also\s+)?(?:that\s+)?(?:we\s+)?(?:to\s+)?(?:agrees?\s+to\s+)?(?="
    + _VERB
    + r"\b)",
    re.IGNORECASE,
)
# Where the thing decided ends and the rest of the clause begins: "approve it | for inclusion with ...".
OBJECT_END = re.compile(
    r",|(?:^|\s)(?=(?:as|for|to|subject to|with|by|until|from|at|following|pending)\s)"
    r"|(?:^|\s)(?=in\s+(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|\d|the next|the new))",
    re.IGNORECASE,
)
_DELEGATE = re.compile(
    r"^delegat\w*\s+(?:the\s+)?(?:authority|powers?|the decision)?\s*to\s+(?P<who>[^,]{2,60}?),?\s+"
    r"(?:(?P<consult>in consultation with\s+[^.;?!]{2,90}?),\s+)?to\s+(?P<what>.{5,200})$"
    r"|^delegat\w*\s+(?:authority\s+)?to\s+(?P<who2>(?:the\s+)?[A-Z][\w ]{2,60}?|me|us),?\s+"
    r"(?:(?P<consult2>in consultation with\s+[^,]{2,90}?),\s+)?(?P<what2>(?:the|any|all)\s.{5,200})$"
    # "delegate the contract award to me, in consultation with the Cabinet member"
    r"|^delegat\w*\s+(?P<what3>the\s[^,]{3,80}?)\s+to\s+(?P<who3>[^,]{2,60}?)"
    r"(?:,?\s+(?P<consult3>in consultation with\s+.{2,120}?))?$",
    re.IGNORECASE,
)


# A decision reported as taken, in the sentence that takes it: "we have decided to grant the licence, with
# the hours as applied for", "Council approves the report and the actual prudential indicators".
_DECIDED_AS_SAID = re.compile(
    r"^\W*(?:(?:so|right|okay|then|and|well)\W+)*(?:we|the\s+(?:committee|sub-committee|panel|board|council"
    r"|cabinet)|council|cabinet)\s+(?:have\s+|has\s+)?(?:decided|agreed|resolved)\s+to\s+(?P<clause>"
    + _VERB
    + r"\b.+)$"
    r"|^\W*(?:(?:so|right|okay|then|and|well)\W+)*(?:that\s+)?(?:the\s+)?(?:council|cabinet|committee|board|"
    r"panel|sub-committee|forum)\s+(?P<own>" + _VERB + r"\b.+)$",
    re.IGNORECASE,
)


def decided_as_said(text: str, title: str, attendees: Sequence[_Person] = (), speaker: str = "") -> list[str]:
    """The resolutions a sentence takes in so many words, or []: "we have decided to grant the licence"
    is "That the licence be granted"."""
    found = _DECIDED_AS_SAID.match(" ".join(text.split()).rstrip(" ."))
    if not found:
        return []
    clause = found.group("clause") or found.group("own")
    if found.group("own") and not re.match(r"\w+?(?:s|es)\b", clause):
        return []  # "Council approve ..." is a request to it, not its own act
    return recommended_resolutions(clause, title, attendees, speaker)


def recommendation_in(text: str) -> str:
    """The body of a recommendation said in ``text``, or ""."""
    found = _RECOMMENDATION.search(text)
    if not found:
        return ""
    said = found.group("body") or found.group("body2") or found.group("body3") or found.group("body4")
    return said.strip(" ,")


_IRREGULAR = {
    "take": "taken",
    "make": "made",
    "give": "given",
    "hold": "held",
    "bring": "brought",
    "send": "sent",
    "write": "written",
    "put": "put",
    "run": "run",
    "begin": "begun",
    "seek": "sought",
    "build": "built",
    "buy": "bought",
    "sell": "sold",
    "lead": "led",
    "meet": "met",
    "spend": "spent",
    "draw": "drawn",
    "undertake": "undertaken",
    "set": "set",
    "keep": "kept",
    "let": "let",
    "pay": "paid",
}


def participle(verb: str) -> tuple[str, str]:
    """``(base, participle)`` of a verb as said ("recommends" -> "recommend", "recommended"; "open" ->
    "opened")."""
    word = verb.lower()
    for base in (word, word[:-1], word[:-2]):
        if base in DECISION_VERBS:
            return base, DECISION_VERBS[base]
    if word in _IRREGULAR:
        return word, _IRREGULAR[word]
    if word.endswith("e"):
        return word, word + "d"
    if re.search(r"[^aeiou]y$", word):
        return word, word[:-1] + "ied"
    return word, word + "ed"


def delegation(who: str, consult: str, what: str, attendees: Sequence[_Person], speaker: str = "") -> str:
    """ "That authority be delegated to the Director of Place, in consultation with ..., to ..."."""
    if consult:
        people = re.sub(r"^in consultation with\s+", "", consult.strip(), flags=re.IGNORECASE)
        consult = f", in consultation with {_people_as_minuted(people, attendees)},"
    to = as_minuted(who, attendees, speaker)
    return f"RESOLVED: That authority be delegated to {to}{consult} {what.strip()}."


def clause_resolution(clause: str, title: str, attendees: Sequence[_Person], speaker: str = "") -> str:
    """One recommended act ("approve the plan as set out") as a resolution ("That the ... Plan be approved
    as set out."), or "" when the clause does not start with a decision verb."""
    clause = " ".join(clause.split()).strip(" ,")
    head = re.match(_VERB + r"\b", clause, re.IGNORECASE)
    if not head:
        return ""
    base, done = participle(head.group(0))
    rest = clause[head.end() :].strip()
    agreed_to = re.match(r"to\s+(?P<verb>[a-z]+)\s+(?=\S)", rest) if base == "agree" else None
    if agreed_to and agreed_to.group("verb") not in {"the", "a", "an", "this", "that", "it"}:
        # "agrees to open a register of interest": what is agreed is the opening.
        base, done = participle(agreed_to.group("verb"))
        rest = rest[agreed_to.end() :]
    to_body = re.match(
        r"to\s+(?P<body>(?:full\s+)?(?:council|cabinet))\s+(?P<what>(?!that\b).+)$", rest, re.I
    )
    if to_body and re.search(r"\b(?:is|are|be|will|should)\b", to_body.group("what")):
        to_body = None  # "recommend to Council the assessment is retained": a clause, said as it was
    if base == "recommend" and to_body:
        # "recommend to Council a capital allocation of £3.2 million": "That Council be recommended to
        # approve a capital allocation ..."
        what = to_body.group("what").strip(" ,")
        if not re.match(_VERB + r"\b|consider\b|agree\b", what, re.IGNORECASE):
            what = f"approve {what}"
        body = to_body.group("body")
        return f"RESOLVED: That {body[0].upper() + body[1:]} be recommended to {what}."
    if base == "delegate":
        found = _DELEGATE.match(clause)
        if not found:
            return ""
        if found.group("who"):
            what = "to " + found.group("what")
            return delegation(found.group("who"), found.group("consult") or "", what, attendees, speaker)
        if found.group("who3"):
            what = "for " + found.group("what3")
            return delegation(found.group("who3"), found.group("consult3") or "", what, attendees, speaker)
        what = "for " + found.group("what2")
        return delegation(found.group("who2"), found.group("consult2") or "", what, attendees, speaker)
    cut = OBJECT_END.search(rest)
    thing, tail = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
    thing = thing_decided(thing or "it", title)
    if not thing or not re.search(r"[A-Za-z]", thing):
        return ""
    if base == "defer":
        thing = f"consideration of {thing}"
    tail = tail.rstrip(" ,")
    if tail and not tail.startswith(","):
        tail = " " + tail.strip()
    return f"RESOLVED: That {thing} be {done}{tail}."


_PLANNING_ITEM = re.compile(r"\bapplication\b|\bplanning\b|\b\d{2}/\d{3,6}/[A-Z]{2,6}\b", re.IGNORECASE)
# A recommendation or motion said as a noun: "approval subject to the conditions", "refusal on the grounds
# that ...". On a planning application, what is granted or refused is planning permission.
_NOMINAL = re.compile(
    r"^(?P<act>approval|refusal|deferral)\b(?:\s+of\s+(?P<thing>[^,;]+?))?(?=[\s,]|$)", re.I
)
_NOMINAL_VERBS = {"approval": "approve", "refusal": "refuse", "deferral": "defer"}


def nominal_resolution(clause: str, title: str) -> str:
    """A recommendation said as a noun ("approval subject to the conditions in the report") as a
    resolution, or ""."""
    found = _NOMINAL.match(clause)
    if not found:
        return ""
    act = found.group("act").lower()
    tail = clause[found.end() :].rstrip(" ,")
    if tail and not tail.startswith(","):
        tail = " " + tail.strip()
    if _PLANNING_ITEM.search(title) and not found.group("thing") and act != "deferral":
        done = "granted" if act == "approval" else "refused"
        return f"RESOLVED: That planning permission be {done}{tail}."
    return clause_resolution(f"{_NOMINAL_VERBS[act]} {found.group('thing') or 'it'}{tail}", title, ())


# A member moving a motion: "I'd like to move refusal on the grounds that ...", "I propose that we defer".
_MOVED = re.compile(
    r"\b(?:i(?:'d like to| would like to|'ll| will|'m going to|'d| would)?|can i|may i)\s+(?:formally\s+)?"
    r"(?:move|propose)\s+(?:that\s+(?:we\s+)?)?(?P<body>(?:refusal|approval|deferral|"
    + _VERB
    + r")\b[^.;?!]{0,260})",
    re.IGNORECASE,
)


# A delegation put with a motion: "the motion to refuse, with the wording of the reasons delegated to the
# Development Management Manager".
_DELEGATED_WITH = re.compile(
    r"\bwith\s+(?P<what>the\s[^,.;?!]{3,80}?)\s+delegated\s+to\s+(?P<who>(?:the\s+)?[A-Z][\w ]{2,60}?|me|us)"
    r"(?=\s*(?:[,.;?!]|$))",
    re.IGNORECASE,
)


def delegation_put_with(text: str) -> str:
    """A delegation said as part of a motion, as a recommendation body ("delegate to the ... the ..."), or
    ""."""
    found = _DELEGATED_WITH.search(text)
    return f"delegate to {found.group('who')} {found.group('what')}" if found else ""


def motion_moved(text: str) -> str:
    """The body of a motion a member moves in ``text``, or ""."""
    found = _MOVED.search(text)
    return found.group("body").strip(" ,") if found else ""


def recommended_resolutions(
    body: str, title: str, attendees: Sequence[_Person] = (), speaker: str = ""
) -> list[str]:
    """Each act a recommendation asks for, as a resolution ("that Cabinet recommends the strategy to full
    Council, and agrees to launch a public consultation in September" is two)."""
    nominal = nominal_resolution(" ".join(body.split()).strip(" ,"), title)
    if nominal:
        return [nominal]
    other_body = _ANOTHER_BODY.match(" ".join(body.split()).strip(" ,"))
    if other_body:
        # "that Cabinet approve a rise in rents": what another body is asked to do, minuted as said.
        said = other_body.group("said")
        return [f"RESOLVED: That {said[0].upper() + said[1:]}."]
    body = _SUBJECT.sub("", " ".join(body.split()).strip(" ,"), count=1)
    body = re.sub(r"^(?:that|to)\s+", "", body, flags=re.IGNORECASE)
    clauses, start = [], 0
    for split in _NEXT_CLAUSE.finditer(body):
        clauses.append(body[start : split.start()])
        start = split.end()
    clauses.append(body[start:])
    found = [clause_resolution(c, title, attendees, speaker) for c in clauses]
    return [f for f in found if f]


# The chair putting the recommendations to the room by reference: "are we agreed on the recommendations?",
# "I'll move the officer recommendation", "all those in favour of the recommendations".
PUTS_RECOMMENDATIONS = re.compile(
    r"\b(?:agreed?|agreeing|move|moving|support|approve|accept|happy|content|okay|in favour)\b[^.?!]{0,20}?"
    r"\b(?:the |these |those |both )?(?:officers?'? )?recommendations?\b",
    re.IGNORECASE,
)
