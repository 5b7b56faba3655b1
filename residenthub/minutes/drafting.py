"""Draft minutes from a transcript, offline: extractive, rules plus a small classifier.

The pipeline, on plain data so the CLI, the web app and the benchmark share it:

1. split transcript segments into sentences, each keeping the times it came from;
2. align sentences to agenda items: the chair's "item 3" announcements where there are any, else
   TF-IDF similarity to the item titles smoothed by a monotonic path (items are taken in order);
3. find decisions ("RESOLVED", "agreed that", votes) and actions ("X to ... by DATE") with
   patterns, confirmed by a classifier trained on public real minutes (data/SOURCES.md);
4. pick summary sentences per item by centrality, leaving out procedure and the lines above.

Every line of the draft carries ``start``/``end`` seconds of the transcript it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import dates, motions
from .reported import reported, reported_declaration

DATA_DIR = Path(__file__).resolve().parent / "data"

ROLES = ("chair", "vice-chair", "member", "officer", "other")


@dataclass
class Attendee:
    name: str
    role: str = "member"
    title: str = ""  # "Head of Digital": how officers are named in minutes
    present: bool = True
    email: str = ""  # where reminders of their actions go


@dataclass
class Sentence:
    text: str
    start: float
    end: float
    speaker: str = ""
    item: int = -1  # index into the agenda, -1 = before the first item


@dataclass
class Action:
    text: str
    owner: str = ""
    due: str = ""  # ISO date or ""
    start: float = 0.0
    end: float = 0.0


@dataclass
class Decision:
    text: str  # "RESOLVED: That ..."
    vote: str = ""
    start: float = 0.0
    end: float = 0.0


@dataclass
class SummaryLine:
    text: str
    start: float = 0.0
    end: float = 0.0


@dataclass
class DraftItem:
    title: str
    summary: list[SummaryLine] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    start: float | None = None
    end: float | None = None

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "summary": " ".join(line.text for line in self.summary),
            "summary_lines": [asdict(line) for line in self.summary],
            "decisions": [d.text for d in self.decisions],
            "decision_lines": [asdict(d) for d in self.decisions],
            "actions": [asdict(a) for a in self.actions],
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Draft:
    items: list[DraftItem]
    present: list[Attendee]
    apologies: list[Attendee]
    declarations: list[SummaryLine]
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "present": [asdict(a) for a in self.present],
            "apologies": [asdict(a) for a in self.apologies],
            "declarations": [asdict(d) for d in self.declarations],
            "items": [item.as_json() for item in self.items],
            "warnings": self.warnings,
        }


# --- 1. sentences ----------------------------------------------------------------------------------

# Not after "...": Whisper writes it where a sentence runs on into the next window ("undertook to
# prepare a sum of... Committee on the cost by 3 April": an action cut from its date; tune meetings).
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\.\.\.)\s+(?:(?:\.\.\.|…)\s+)?(?=[A-Z0-9\"'‘“(])")
# Speech recognisers often leave out the full stop between two sentences, so an action and the
# resolution after it, or a resolution and the chair's "Thank you, moving on, item 4", come out as
# one sentence and only one of them is found (tune meetings of benchmarks/minutes.py: 6 of 15
# misses). These cues start a new clause when at least four words of the sentence come before them.
_PASSIVE_OUTCOME = r"\bbe(?:ing)?\s+(?:noted|approved|agreed|adopted|endorsed|accepted|ratified)\b"
_MISHEARD_CUE = (
    r"|(?<=,\s)(?:so,?\s+)?(?:the\s+committee\s+)?(?:[a-z]+\s+){1,2}(?:at|that)\s+the\b"
    r"(?=[^.?!]{3,120}?" + _PASSIVE_OUTCOME + ")"
)
_CLAUSE_CUE = re.compile(
    r"[,;]?\s+(?="
    r"(?:so,?\s+)?(?:the\s+)?(?:committee|members)\s+(?:therefore\s+)?(?:resolved|agreed)\s+(?:that|at)\b"
    r"|(?<!\bit was )(?<!\bwas )(?:so,?\s+)?re[sv]?(?:olv|vol|ovl|lov|olov)e[ds]?,?\s+(?:that|at)\b"
    r"|action\s*[,:]\s+[A-Z]"
    # "..., remote at the Parking Enforcement Annual Report be noted": after a comma, a resolution's
    # own shape whose cue word was misheard ("remote", "with hope", "involved" for "resolved";
    # tune meetings with room noise, ADR 0164), so the action before it is not swallowed.
    + _MISHEARD_CUE
    + r"|(?:thank you[,.]?\s+)?(?:moving on|we now move on|turning to|next item)\b"
    r")",
    re.IGNORECASE,
)
_CLAUSE_MIN_WORDS = 4


def _clause_bounds(stream: str, start: int, end: int) -> list[int]:
    """Where clause cues cut ``stream[start:end]`` (a sentence), keeping every piece >= 4 words."""
    cuts: list[int] = []
    last = start
    for match in _CLAUSE_CUE.finditer(stream, start, end):
        if len(re.findall(r"\w+", stream[last : match.start()])) >= _CLAUSE_MIN_WORDS:
            cuts.append(match.start())
            last = match.start()
    return cuts


def split_sentences(segments: list[dict]) -> list[Sentence]:
    """Sentences with times, across segment boundaries (speech recognisers cut mid-sentence).

    The segments' text is read as one stream; each character keeps the time and speaker of its
    segment (spread evenly over it), so a sentence runs from its first character's time to its last's
    and belongs to the speaker of most of its characters.
    """
    chars: list[str] = []
    times: list[float] = []
    speakers: list[str] = []
    for seg in segments:
        text = " ".join(str(seg.get("text", "")).split())
        if not text:
            continue
        start, end = float(seg.get("start", 0.0)), float(seg.get("end", 0.0))
        if chars:
            chars.append(" ")
            times.append(start)
            speakers.append(speakers[-1])
        step = (end - start) / max(len(text), 1)
        for k, ch in enumerate(text):
            chars.append(ch)
            times.append(start + step * (k + 1))
            speakers.append(str(seg.get("speaker", "") or ""))
    stream = "".join(chars)
    out: list[Sentence] = []
    at = 0
    ends = [m.start() for m in _SENTENCE_END.finditer(stream)] + [len(stream)]
    bounds: list[int] = []
    previous = 0
    for end_at in ends:
        bounds += [*_clause_bounds(stream, previous, end_at), end_at]
        previous = end_at
    for end_at in bounds:
        piece = stream[at:end_at]
        if piece.strip()[:1] in {",", ";"}:  # a cut before ", so the committee resolved"
            piece = " " + piece.strip()[1:]
        lead = len(piece) - len(piece.lstrip())
        first, last = at + lead, end_at - 1
        text = piece.strip()
        if text:
            span = speakers[first : last + 1]
            speaker = max(set(span), key=span.count)
            start_time = times[first] - (times[first + 1] - times[first] if first + 1 < len(times) else 0)
            out.append(Sentence(text, round(max(start_time, 0.0), 2), round(times[last], 2), speaker))
        at = end_at
    return out


def text_as_segments(text: str) -> list[dict]:
    """Plain text (no times) as segments: one per line, time = line number, for drafting from notes."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [
        {"start": float(i), "end": float(i + 1), "speaker": "", "text": line} for i, line in enumerate(lines)
    ]


# --- 2. agenda alignment -----------------------------------------------------------------------------

_ORDINALS = {
    "one": 1,
    "first": 1,
    "two": 2,
    "second": 2,
    "three": 3,
    "third": 3,
    "four": 4,
    "fourth": 4,
    "five": 5,
    "fifth": 5,
    "six": 6,
    "sixth": 6,
    "seven": 7,
    "seventh": 7,
    "eight": 8,
    "eighth": 8,
    "nine": 9,
    "ninth": 9,
    "ten": 10,
    "tenth": 10,
    "eleven": 11,
    "twelve": 12,
}
_ITEM_CALL_WORDS = r"(?:agenda\s+)?item\s+(?:number\s+)?(\d{1,2}|" + "|".join(_ORDINALS) + r")\b"
_ITEM_CALL = re.compile(r"\b" + _ITEM_CALL_WORDS, re.IGNORECASE)
_MOVE_ON = re.compile(
    # Not "come to a different view", "going to be": a verb of moving on, not to an item.
    r"\b(move|moving|turn|turning|come|coming|go|going)\s+(on\s+)?(to|on)\b"
    r"(?!\s+(?:a|an|be|do|have|work|happen|say|need|see|get|make|take)\b)"
    r"|\bnext item\b|\bwe now\b",
    re.IGNORECASE,
)
# The chair calling the last item at the head of a sentence ("Lovely. Last item, the allocations policy."),
# not a member's "Chair, the last item, the community centre" when declaring an interest in it.
# A member declaring an interest in a later item names it ("Yes, Leader, just for transparency, on item
# three"; "Chair, I'm a governor at ..., which is item two"): the item is not being called.
_DECLARING = re.compile(
    r"^\W*(?:yes,?\s+)?(?:chair|leader|mayor|madam chair|madam mayor|mr chairman)\b,|\bfor transparency\b"
    r"|\b(?:i'?m|i am) (?:a|the) (?:governor|trustee|member|director|chair|employee|tenant)\b|\bdeclare\b",
    re.IGNORECASE,
)
_LAST_ITEM = re.compile(
    r"^\W*(?:(?:right|okay|ok|so|now|and|lovely|good|great|thank you|thanks)\W+)*(?:the\s+|our\s+)?"
    r"(?:last|final) item\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    """a an the and or of to in on for at by with from as is are was were be been it this that these
    those we you i he she they our your their its item agenda report update committee council members
    member chair thank thanks please next now move moving on so okay ok well let us let's will would
    can could""".split()  # noqa: SIM905
)


# The chair calling the next item by its words rather than its number: "Next, twenty-two Heol y Castell,
# change of use to a six-bed HMO." (blind tune meetings, ADR 0183). Said at the head of a sentence.
_NEXT_CALLED = re.compile(
    r"^\W*(?:(?:right|okay|ok|so|now|and|lovely|good|great|fine|thank you|thanks)\W+)*"
    r"(?:next|then next|and next|moving on|on to|onto)\b(?!\s+(?:week|month|year|meeting|time|steps?)\b)",
    re.IGNORECASE,
)


def _tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in _STOP and len(w) > 2]


# "The first item of business is the appointment of a chair": the item called by its place, not its number.
_ITEM_BY_PLACE = re.compile(
    r"\b(?:the|our)\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+item"
    r"(?:\s+of\s+business|\s+on\s+(?:the|our|today'?s)\s+agenda)?\s+(?:is|will be)\b",
    re.IGNORECASE,
)


def _item_number(text: str) -> int | None:
    match = _ITEM_CALL.search(text) or _ITEM_BY_PLACE.search(text)
    if not match:
        return None
    raw = match.group(1).lower()
    return int(raw) if raw.isdigit() else _ORDINALS.get(raw)


def _title_overlap(sentence: str, title: str) -> float:
    words = set(_tokens(title))
    if not words:
        return 0.0
    return len(words & set(_tokens(sentence))) / len(words)


ANNOUNCED_ENTRY = 8.0  # the cost of starting an announced item anywhere but at its announcement


def align(sentences: list[Sentence], titles: list[str], *, method: str = "monotonic") -> list[int]:
    """The agenda item of each sentence (-1 before the first item starts).

    ``monotonic``: announcements of an item ("item 3", "moving on to <title>") fix where items start;
    between them, TF-IDF similarity with a path that only moves forward (dynamic programming).
    ``argmax``: each sentence to its most similar title (the baseline the benchmark compares).
    """
    n, k = len(sentences), len(titles)
    if not n or not k:
        return [-1] * n
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [s.text for s in sentences] + list(titles)
    vec = TfidfVectorizer(tokenizer=_tokens, token_pattern=None, lowercase=False, sublinear_tf=True)
    try:
        matrix = vec.fit_transform(docs)
    except ValueError:  # nothing but stop words
        return [-1] * n
    sims = (matrix[:n] @ matrix[n:].T).toarray()  # n x k
    if method == "argmax":
        return [int(np.argmax(row)) if row.max() > 0 else -1 for row in sims]
    # Smooth: a sentence also speaks for its neighbours.
    window = 3
    padded = np.pad(sims, ((window, window), (0, 0)))
    smooth = np.stack([padded[i : i + 2 * window + 1].mean(axis=0) for i in range(n)])
    # Announcements: strong evidence for where an item starts.
    anchors: dict[int, int] = {}
    for i, s in enumerate(sentences):
        number = _item_number(s.text)
        if number is not None and 1 <= number <= k and _DECLARING.search(s.text):
            pass  # "Chair, I'm a governor at one of the schools in item two": an interest, not the call
        elif number is not None and 1 <= number <= k:
            anchors[i] = number - 1
        elif _NEXT_CALLED.match(s.text) and not _MOVE_ON.search(s.text):
            # A looser match than "moving on to <title>": the cue is at the head of the sentence, and
            # one title must stand out.
            overlaps = sorted(((_title_overlap(s.text, t), j) for j, t in enumerate(titles)), reverse=True)
            runner_up = overlaps[1][0] if len(overlaps) > 1 else 0.0
            if overlaps[0][0] >= 0.25 and overlaps[0][0] >= 2 * runner_up:
                anchors[i] = overlaps[0][1]
        elif _MOVE_ON.search(s.text) or _LAST_ITEM.search(s.text):
            overlaps = [_title_overlap(s.text, t) for t in titles]
            best = int(np.argmax(overlaps))
            if overlaps[best] >= 0.5:
                anchors[i] = best
            elif _LAST_ITEM.search(s.text) and k > 1:
                anchors[i] = k - 1  # "Last item, the allocations policy.": the agenda's last
            elif len(s.text.split()) <= 4 and i + 1 < n and _item_number(sentences[i + 1].text) is None:
                # "Moving on." then the title with its call misheard ("Item 3, Digital Transformation
                # Update" heard as "The digital transformation update."): the title starts the item.
                following = [_title_overlap(sentences[i + 1].text, t) for t in titles]
                best = int(np.argmax(following))
                if (
                    following[best] >= 0.75
                    and len(sentences[i + 1].text.split()) <= len(_tokens(titles[best])) + 4
                ):
                    anchors[i + 1] = best
    # States 0..k: 0 = before the first item, j = item j-1. A path that only moves forward; entering
    # an item costs little where nothing announces it, and a lot away from its announcement.
    states = k + 1
    score = np.zeros((n, states))
    score[:, 1:] = smooth
    score[:, 0] = 0.02  # opening business (apologies, declarations) unless an item is clearly discussed
    announced = set(anchors.values())
    enter = np.array([0.0] + [ANNOUNCED_ENTRY if j in announced else 0.15 for j in range(k)])
    for i, j in anchors.items():
        score[i, j + 1] += 2.0
    best = np.full((n, states), -np.inf)
    back = np.zeros((n, states), dtype=int)
    best[0] = score[0] - enter
    best[0, 0] = score[0, 0]
    if 0 in anchors:  # a recording that starts at an item's call ("Item 1, ...") starts in that item
        best[0, anchors[0] + 1] = score[0, anchors[0] + 1]
    for i in range(1, n):
        entering = enter.copy()
        if i in anchors:
            entering[anchors[i] + 1] = 0.0
        for j in range(states):
            stay = best[i - 1, j]
            prev = best[i - 1, :j]
            move = (prev.max() - entering[j]) if j else -np.inf
            if j and move > stay:
                back[i, j] = int(np.argmax(prev))
                best[i, j] = move + score[i, j]
            else:
                back[i, j] = j
                best[i, j] = stay + score[i, j]
    path = [int(np.argmax(best[-1]))]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    path.reverse()
    return [p - 1 for p in path]


def agenda_mismatch(sentences: list[Sentence], titles: list[str], assigned: list[int]) -> list[str]:
    """Warnings when the agenda does not seem to be the one the meeting followed."""
    warnings: list[str] = []
    if not titles or not sentences:
        return warnings
    counts = [assigned.count(j) for j in range(len(titles))]
    missing = [titles[j] for j, c in enumerate(counts) if c == 0]
    vocabulary = set()
    for s in sentences:
        vocabulary.update(_tokens(s.text))
    unrelated = [t for t in titles if _tokens(t) and not (set(_tokens(t)) & vocabulary)]
    if titles and len(unrelated) >= max(1, (len(titles) + 1) // 2):
        warnings.append(
            "The agenda does not match the recording: "
            f"{len(unrelated)} of {len(titles)} agenda items are never mentioned "
            f"({'; '.join(unrelated[:3])}). Check that you chose the right agenda."
        )
    elif missing:
        warnings.append(f"No discussion was found for: {'; '.join(missing)}. Check these items by hand.")
    return warnings


# --- 3. decisions and actions ------------------------------------------------------------------------

_RESOLVED_WORD = r"res(?:olv|vol|ovl|lov|olov)ed"  # minutes have typos: the seed's own "RESVOLED"
_RESOLVED = re.compile(r"^\s*(?:so,?\s*)?" + _RESOLVED_WORD + r"\b\s*[:,-]?\s*", re.IGNORECASE)
# After "was approved": when or by whom, so a history, not this meeting's decision ("approved by
# Cabinet in 2023", "agreed at the previous meeting", "approved in October").
# "approved two years ago", "agreed previously", "approved back in the spring": also a history.
_AGO = r"(?:[\w-]+\s+){1,3}ago\b|previously\b|back\s+in\b|earlier\s+(?:this|in\s+the)\b"
_BEFORE_NOW = (
    _AGO + r"|by\s+(?:the\s+)?(?:cabinet|council|government|secretary|minister)|in\s+(?:19|20)\d\d|last\b"
)
_EARLIER = (
    r"(?!\s+(?:" + _BEFORE_NOW + r"|"
    r"(?:at|in) (?:the|a) (?:previous|last|earlier)\b|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|december)\b))"
)
# A resolution's second part said after a pause, written by the recogniser as a sentence of its own: "And
# the recovery actions be endorsed." (not "And the committee resolved that ...", a resolution of its own).
_AND_CONTINUES = re.compile(
    r"^\s*and,?\s+(?:that\s+)?(?!(?:the\s+)?(?:committee|members|cabinet|panel|board|council)\b)"
    r"[^.?!]{3,120}?" + _PASSIVE_OUTCOME,
    re.IGNORECASE,
)
_DECISION_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b" + _RESOLVED_WORD + r"\b",
        # Misheard on synthetic voices (tune meetings): "revolved at the", "resolve that the".
        r"\b(?:revolved|resolve|resolves)\s*,?\s+(?:that|at)\s+the\b",
        r"\b(the )?(committee|members|cabinet|panel|board|council) (resolved|agreed|approved|noted|decided|endorsed|recommended)\b",  # noqa: E501
        r"\b(it was|was) (resolved|agreed|moved|decided)\b" + _EARLIER,
        r"\bmotion (was )?(carried|passed|approved|agreed|lost|fell|defeated)\b",
        r"\b(carried|agreed) unanimously\b|\bunanimously (agreed|resolved|approved|carried)\b",
        r"\b(all|those) in favour\b|\b\d+ (votes )?(in favour|for)\b",
        r"\bso resolved\b|\bthat is (agreed|carried|resolved)\b|\bare we agreed\b",
        r"\bbe (noted|approved|agreed|adopted|endorsed|accepted|ratified)\b",
        # Forms real committees use aloud and in minutes (benchmarks/data/minutes_dev, ADR 0151):
        # a procedural subject with a passive outcome ("The report was noted", "the minutes of the
        # last meeting were approved as a correct record", "the item was deferred"), not a
        # history ("... was approved by Cabinet in October").
        r"\b(?:minutes|report|recommendations?|motion|proposals?|amendments?|application|item|update|"
        r"(?:planning )?permission|resolution)\b(?:\s+[\w'/,-]+){0,8}?\s+(?:was|were|is|are|be|been|has been)"
        r"\s+(?:duly\s+|therefore\s+|then\s+)?(?:noted|approved|agreed|adopted|endorsed|carried|accepted|"
        r"refused|granted|deferred|rejected|lost|confirmed|ratified|withdrawn)\b"
        r"(?!\s+(?:" + _BEFORE_NOW + r"))",
        # Not in a question: "All those in favour, and against?" misheard with "carried" in it.
        r"(?<!\bbe )(?<!\bwas )(?<!\bbeen )\bcarried\b(?!\s+(?:out|over|forward|on)\b)(?![^.!?]*\?)",
        r"\b(?:that's|that is|that was|we're|we are|we've|we have|it's|it is|are we|is that|so)"
        r"\s+(?:all\s+)?agreed\b"
        r"(?!\s+(?:last|before|previously|in (?:19|20)\d\d))",
        r"\b(?:the )?(?:committee|members|cabinet|panel|board|council|we)\s+(?:has |have |'ve )?"
        r"(?:agreed|resolved|decided)\s+(?:that|to)\b",
        r"\b(?:the )?(?:committee|members|cabinet|panel|board|council)\s+(?:supported|accepted|adopted|"
        r"deferred|rejected|refused|ratified|confirmed)\s+the\b",
        r"\bthe decision (?:is|was) (?:that|to)\b|\bcan i take it (?:that )?(?:we|the committee|members)\b",
        r"\bwe(?: will|'ll| shall)? (?:note|agree|approve|endorse|accept) the "
        r"(?:report|recommendations?|update|minutes)\b",
        r"\b(?:authority|power|the decision)\b(?:\s+[\w'/,-]+){0,6}?\s+(?:is|was|be|were)\s+delegated\b"
        r"|\bbe delegated to\b|\bdelegated (?:authority|powers?) (?:was|were|is|be) (?:given|granted)\b",
        r"\b(?:be|was|were|is) recommended to (?:full )?(?:council|cabinet)\b|\brecommended to (?:full )?"
        r"(?:council|cabinet) that\b|\b(?:council|cabinet) be recommended\b",
        r"\bmotion (?:is|was) (?:lost|defeated|carried|passed|approved|agreed)\b|\bput to the vote\b",
        # "be" misheard as "being" in a resolution's own shape ("... at the report being noted"):
        # tune meetings with room noise (ADR 0151).
        r"\b(?:that|at)\s+the\b[^.?!]{3,120}?\bbeing\s+(?:noted|approved|agreed|adopted|endorsed|accepted|ratified)\b",
        # The same with its "agreed that the" lost too ("It was a great idea to update on ... being noted"):
        # a report, update or plan "being noted" (or approved...) at the very end of the sentence.
        r"\b(?:update|report|recommendations?|minutes|position|plan|strategy|policy|proposals?|review)\b"
        r"[^.?!]{0,80}?\bbeing\s+(?:noted|approved|agreed|adopted|endorsed|accepted|ratified)\s*[.!]?\s*$",
        # Minutes' headings other than RESOLVED ("AGREED: That ...", "DECISION: To approve ..."),
        # approval given ("Approval was given to ...", "The Committee gave its approval to ..."),
        # and any short subject at the start of a sentence with a passive outcome ("The revised
        # tenancy strategy was approved."), not a history ("... was approved by Cabinet in 2023").
        r"^\s*(?:agreed|decision|decided|approved)\s*[:\-\u2013]",
        r"\bapproval (?:was|is|be|has been) (?:given|granted)\b|\bgave (?:its|their) approval\b",
        r"^\s*(?:so,?\s+)?(?:the|this|that|these|those)\s+(?:[\w'/-]+\s+){0,6}?"
        r"(?:was|were|has been|have been)\s+(?:duly\s+|therefore\s+|then\s+|unanimously\s+)?"
        r"(?:approved|agreed|adopted|endorsed|ratified)\b"
        r"(?!\s+with\b)"  # "the regulations have been agreed with every directorate": a consultation
        + _EARLIER,
        r"\b(?:that's|that is)\s+approved\b",
    )
]
_REQUEST_VERBS = (
    r"(?:look at|look into|check|circulate|send|provide|confirm|arrange|share|find out|come back|"
    r"let (?:us|members|me|the committee) (?:have|know|see)|add|update|write|bring|investigate|"
    r"follow (?:that |this |it )?up|pick (?:that |this |it )?up|take (?:that|this|it) (?:up|away)|"
    r"report back|produce|prepare|draft|review|explore|get back|speak to|liaise|contact|forward|publish)\b"
)
_ACTION_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\baction\s*(point|item)?\s*[:\-]",
        # "Action, Sarah Whitfield to ...": speech recognisers write the colon as a comma.
        r"^\s*action\s*,\s+[A-Z]",
        r"\baction (for|on)\b",
        # Not "we have to review it every three years": a duty, not a task taken on.
        r"(?<!\bcouncil )(?<!\bit )(?<!\bthis )(?<!\bwhich )(?<!\bthere )(?<!\bhave )(?<!\bhas )(?<!\bhad )"
        r"(?:\b(?:will|would|to|agreed to|undertook to|undertake to|asked to|requested to)|"
        r"\b(?:i|we|he|she|they)'ll) (circulate|provide|report|bring|send|write|review|prepare|share|arrange|update|investigate|contact|confirm|look into|follow up|produce|draft|liaise|present|publish|set up|organise|organize|consult|check|explore|come back)\b",  # noqa: E501
        r"\b(by|before) (the )?(next meeting|end of|\d{1,2}(st|nd|rd|th)? \w+|monday|tuesday|wednesday|thursday|friday|january|february|march|april|may|june|july|august|september|october|november|december)\b",  # noqa: E501
        r"\breport back\b|\bcome back to (the )?committee\b",
        # Forms chairs use aloud and committees minute (benchmarks/data/minutes_dev, ADR 0151).
        r"\b(?:the|an|one|that's an|that is an) action (?:is )?(?:for|on)\b",
        r"\b(?:can|could|would|will)\s+(?:you|officers|the officers?)\s+(?:please\s+)?(?:also\s+)?"
        r"(?:be able to\s+)?" + _REQUEST_VERBS,
        r"\b(?:can|could|may) (?:i|we) ask (?:that|you|officers|for)\b",
        r"\b(?:i'd|i would|we'd|we would) like\b[\w' ]{2,40}?\bto\s+" + _REQUEST_VERBS,
        r"\bleave (?:that|it|this) with me\b|\b(?:i'll|i will|we'll|we will|i shall|i can)\s+"
        r"(?:pick (?:that|this|it) up|get back to|take (?:that|this|it) away|find out"
        r"|follow (?:that|this|it) up|let (?:you|members|the committee|everyone) (?:know|have))\b",
        r"\b(?:you|he|she) (?:were|was) going to " + _REQUEST_VERBS,
        # "Members requested that a briefing be arranged", not "the Board asked that the panels be
        # dynamic" (a wish, not a task: real minutes, eval_cddo.csv).
        r"\b(?:requested|asked) that\b.{0,80}?\b(?:be|is|are) (?:arranged|provided|circulated|sent|brought|"
        r"produced|prepared|shared|investigated|reviewed|added|updated|written|published|explored|reported|"
        r"looked|made available|organised|organized|scheduled)\b"
        r"|\b(?:officers?|members|the clerk) (?:were|was|be) "
        r"(?:asked|requested|instructed) to\b",
        r"\b(?:can|could) (?:we|members|the committee) (?:have|get|see) (?:an?|the) (?:written )?"
        r"(?:update|note|briefing|report|breakdown|response|answer|figures|details|list)\b",
        # An attendee's own promise, with where or when it is going: "I can bring the footfall figures back
        # to committee in the autumn", "I'll get some dates out to members", "we'll get you a briefing
        # note before the next meeting" (meetings written blind, tune part; ADR 0178).
        r"\b(?:i|we)(?:'ll| will| can| shall|'m going to| am going to)\s+(?:also\s+|certainly\s+)?"
        r"(?:ask|get|bring|take|include|circulate|send|share|provide|write|arrange|set up|organise|organize|"
        r"produce|prepare|email|forward|put together|pull together|draft|update|report)\b[^.?!]{3,120}?"
        r"(?:\b(?:to|with) (?:you|members|all members|the committee|committee|the board|the panel|"
        r"everyone|all)\b|\bback to\b|\b(?:by|before|within|after) (?:the |next |this |a |\d)"
        r"|\bnext (?:week|month|meeting)\b|\bin the (?:autumn|spring|summer|new year)\b"
        r"|\bin (?:january|february|march|april|may|june|july|august|september|october|november|december)\b)",
        # The passive form minutes use when the owner is implied: "A briefing note will be circulated
        # to members by the end of the month", not "asked whether the figures would be circulated".
        r"\b(?:will|shall|is to|are to) be (?:circulated|provided|sent|shared|forwarded|emailed|"
        r"made available|brought back|reported back|arranged|added to)\b",
    )
] + [
    # The minutes convention "HL to post the snippets", "Officers to circulate ...": case matters.
    # Not a gerund's capitals: "Extending Food Waste to flats would cost ..." (Whisper capitalises
    # service names; tune meetings, ADR 0151).
    re.compile(
        r"^\s*(?![A-Z]\w*ing\b)(?!(?:Just|First|Second|Third|Only|Also|So|And|But|Then|Now|Yes|No|Happy|"
        r"Nice|Good|Right|Okay|Sorry|Time|Back|Able|Due|Up|Hard|Fair|Going|Easy|Worth)\b)"
        r"(?:[A-Z][\w'/-]*(?:\s+[A-Z][\w'/-]*){0,3}|(?:[Tt]he\s+)?[\w ]{0,30}"
        r"(?:[Tt]eam|[Oo]fficers?|[Cc]lerk|[Ss]ecretariat))\s+to\s+(?!be\b)"
        # Not "Councillor Ashdown to move.": who speaks next, not a task.
        r"(?!(?:move|second|speak|reply|respond|introduce|present|sum up|open)\b)[a-z]{3,}\b"
    )
]
_DATE_PATTERN = 4  # a deadline alone is weak evidence: "all will be inspected by the end of May"
_VOTE = re.compile(
    r"(?P<for>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:votes?\s+)?(?:in favour|for)\W+(?:(?:and\s+|with\s+)?(?P<against>\d+|\w+|none)\s+against)?"  # noqa: E501
    r"(?:\W+(?:and\s+)?(?P<abst>\d+|\w+|no|none)\s+abstentions?)?",
    re.IGNORECASE,
)
_UNANIMOUS = re.compile(r"\bunanimous(ly)?\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "no": 0,
    "none": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


def _num(word: str | None) -> int | None:
    if word is None:
        return None
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


# The count as the chair calls it: "All those in favour? Seven. Against? Two. Abstentions? None."
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|no|none|zero)"
_CALLED_VOTE = re.compile(
    r"\bin favour(?: of [^?]{0,80})?\?\s*(?:that'?s\s+)?(?P<for>" + _COUNT + r")\b[^?]{0,20}?"
    r"\bagainst\?\s*(?:that'?s\s+)?(?P<against>" + _COUNT + r")\b"
    r"(?:[^?]{0,20}?\babstentions?\?\s*(?:that'?s\s+)?(?P<abst>" + _COUNT + r")\b)?",
    re.IGNORECASE,
)


def find_vote(text: str) -> str:
    """ "For 7, against 2, abstentions 1" or "unanimous" or ""."""
    match = _VOTE.search(text) or _CALLED_VOTE.search(text)
    if match and _num(match.group("for")) is not None:
        parts = [f"For {_num(match.group('for'))}"]
        if _num(match.group("against")) is not None:
            parts.append(f"against {_num(match.group('against'))}")
        if _num(match.group("abst")) is not None:
            parts.append(f"abstentions {_num(match.group('abst'))}")
        return ", ".join(parts)
    if _UNANIMOUS.search(text):
        return "Unanimous"
    return ""


_VOTE_CUE = re.compile(
    r"\bthe vote was\b|\babstentions?\b|\bin favour\b|\b(?<!be )carried\b(?!\s+out)|\bunanimous(?:ly)?\b"
    r"|\bvotes? (?:for|against)\b",
    re.IGNORECASE,
)


def _vote_like(text: str) -> bool:
    """A short vote announcement, even when its numbers were misheard ("The vote was I've been
    papered, one against and one abstentions"): the resolution is the sentence before it."""
    # A question mark is Whisper's too ("At what carried with poor votes in paper and too
    # against?": tune meetings with room noise, ADR 0164) when votes for and against are counted.
    counted = re.search(r"\bvotes?\b[^.?!]*\bagainst\b", text, re.IGNORECASE)
    return bool(_VOTE_CUE.search(text)) and len(text.split()) <= 16 and ("?" not in text or bool(counted))


def _vote_only(text: str) -> bool:
    """ "That was agreed unanimously." / "The vote was 7 in favour ...": a vote, no new resolution."""
    if not find_vote(text):
        return False
    rest = _VOTE.sub("", text)
    rest = re.sub(
        r"\b(that|this|it|the|vote|was|were|is|agreed|carried|passed|unanimously|with|and|votes?)\b",
        "",
        rest,
        flags=re.IGNORECASE,
    )
    return len(_tokens(rest)) <= 1


# What was agreed at an earlier time, not at this meeting (benchmarks/data/minutes_dev).
_HISTORY = re.compile(r"\bhad (?:previously |already |earlier )?(?:agreed|decided|resolved)\b", re.IGNORECASE)

CLASSIFIER_ALONE = 0.9  # an action on the classifier's word alone, with no pattern (ADR 0151)


@dataclass
class Detector:
    """Patterns, confirmed by a classifier where one is trained (``data/detector.joblib``)."""

    model: object | None = None
    threshold: float = 0.5

    def decision_score(self, text: str) -> float:
        pattern = any(p.search(text) for p in _DECISION_PATTERNS)
        return self._combine(text, pattern, "decision")

    def action_score(self, text: str) -> float:
        strong = any(p.search(text) for i, p in enumerate(_ACTION_PATTERNS) if i != _DATE_PATTERN)
        weak = bool(_ACTION_PATTERNS[_DATE_PATTERN].search(text))
        if not strong and _PROCEDURAL.search(text):
            return 0.0  # "Thank you, moving on to item five": the classifier alone is not enough
        if _HISTORY.search(text):
            return 0.0  # "The committee had previously agreed to review ...": not a new task
        return self._combine(text, strong, "action", weak=weak)

    def _combine(self, text: str, pattern: bool, label: str, *, weak: bool = False) -> float:
        """A pattern hit is enough; the classifier adds what patterns miss when it is sure on its own
        (measured on real minutes it is precise but misses much: benchmarks/minutes.py)."""
        if pattern:
            return 1.0
        if self.model is None:
            return 0.4 if weak else 0.0
        probs = self.model.predict_proba([text])[0]
        classes = list(self.model.classes_)
        p = float(probs[classes.index(label)]) if label in classes else 0.0
        score = p + (0.1 if weak else 0.0)
        if label == "action" and score < CLASSIFIER_ALONE:
            # Alone, the classifier must be sure: at 0.81 it took "Extending Food Waste to flats
            # would cost ..." for the "Name to <verb>" convention (tune meetings); at 0.9 it lost
            # nothing on the tune meetings, the development list or real minutes (ADR 0151).
            return min(score, self.threshold - 0.01)
        return score


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    path = DATA_DIR / "detector.joblib"
    if path.exists():
        import joblib

        return Detector(model=joblib.load(path))
    return Detector()


def resolution_text(text: str) -> str:
    """A decision sentence in the minutes' form: "RESOLVED: That ..."."""
    text = " ".join(text.split()).rstrip(" .") + "."
    body = _RESOLVED.sub("", text, count=1) if _RESOLVED.search(text) else text
    body = re.sub(r"^(at|and|not)\s+(?=the\b)", "", body, flags=re.IGNORECASE)  # "that" misheard
    body = re.sub(r"^(so|okay|right|then|and)\b[, ]*", "", body, flags=re.IGNORECASE)
    match = re.search(
        r"\b(?:agreed|resolved|decided|moved|move|recommended|proposed|propose)(?:\s+(?:an?\s+|the\s+)?(?:amendment|motion))?"
        r":?\s+that\s+(.+)$|^that\s+(.+)$",
        body,
        re.IGNORECASE,
    )
    if match:
        body = match.group(1) or match.group(2)
    else:
        body = re.sub(
            r"^(the )?(committee|members|cabinet|panel|board|council) (resolved|agreed|decided|noted)( to)?\s*",  # noqa: E501
            "",
            body,
            flags=re.IGNORECASE,
        )
        body = re.sub(r"^(?:revolved|resolve|resolves)\s*,?\s*", "", body, flags=re.IGNORECASE)
        if re.search(_PASSIVE_OUTCOME, body, re.IGNORECASE):
            # "remote at the report be noted", "the committee involved at the ...": a misheard
            # "resolved that" before a resolution's own shape (ADR 0164).
            body = re.sub(r"^(?:[a-z]+\s+){1,3}?(?:at|that)\s+(?=the\b)", "", body, flags=re.IGNORECASE)
        body = re.sub(r"^(at|and|not)\s+(?=the\b)", "", body, flags=re.IGNORECASE)  # "that" misheard
    body = re.sub(
        r"\bbeing (noted|approved|agreed|adopted|endorsed|accepted|ratified)\b",
        r"be \1",
        body,
        flags=re.IGNORECASE,
    )
    body = _VOTE.sub("", body)
    body = re.sub(r",?\s*(with|by)\s*$", "", body.strip(" ,;.")).strip(" ,;.")
    body = re.sub(r"\b(unanimously|all in favour)\b", "", body, flags=re.IGNORECASE).strip(" ,;.")
    if not body:
        return ""
    return f"RESOLVED: That {body[0].lower() + body[1:]}."


# --- resolutions as chairs say them ---------------------------------------------------------------------
# Committees decide aloud in the chair's words, not the minutes': "Can I take it we're happy to note the
# update?", "I think we should note the report, and I'd like us to endorse the recovery plan. Is everyone
# content with that?", "All those in favour? ... that's carried, we'll recommend the increase to
# Cabinet." Read from meetings written by a helper who never saw these rules (benchmarks/data/
# minutes_blind, tune part; ADR 0176): each becomes the minuted form, "That the update be noted".
_SPOKEN_LEAD = (
    r"(?:can i take it (?:that )?(?:we(?:'re| are)? |members are |the committee is |everyone(?:'s| is) )?"
    r"(?:all )?(?:happy |content |agreed )?(?:to |that we )?"
    r"|are (?:members|we|you|colleagues|people|everyone)(?: all)? (?:happy|content|agreed|okay|ok) "
    r"(?:to|that we)\s+"
    r"|is (?:the committee|everyone|everybody) (?:happy|content) (?:to|that we)\s+"
    r"|(?:i think |so |then |right,? )?we(?: should| shall|'ll| will|'re going to| are going to| can| need to"
    r"| just need to)\s+"
    r"|i think we\s+"
    r"|i'?d (?:like|ask) (?:us|the committee|members) to\s+"
    r"|shall we\s+|do we (?:agree|want) to\s+|can we(?: all)?\s+|so we(?: also)?\s+"
    r"|(?:i|we)(?:'d like to)? (?:propose|move|suggest) (?:that )?we(?: also)?\s+"
    r"|(?:,\s*|\b)(?:and|but) (?:that )?we(?: also)?\s+)"
)
_SPOKEN_RESOLUTION = re.compile(
    r"\b"
    + _SPOKEN_LEAD
    + r"(?P<verb>"
    + "|".join(motions.PARTICIPLES)
    + r")\s+(?P<object>(?:the|this|that|these|those|"
    r"it|them|option|officers'?|our|its|both)\b[^.;?!]{0,200}?)"
    r"(?=\s*(?:[.,;?!]|$|\band (?:i|we|can|could|is|are|if)\b|\bthen\b))",
    re.IGNORECASE,
)
# Assent after a proposal said as a statement ("Is everyone content with that? Good.").
_ASSENT = re.compile(
    r"\b(?:is (?:everyone|everybody|that|the committee)|are (?:we|members|you|people|colleagues)(?: all)?|"
    r"everyone|everybody)\s+(?:happy|content|agreed|okay|ok|in agreement)\b|\bagreed\b|\b(?:that'?s|so)\s+"
    r"(?:noted|carried|agreed)\b|\bcarried\b|\bseconded\b|\bin favour\b|\bi(?:'ll)? move (?:it|that)\b"
    r"|(?:^|[.!?]\s+)(?:noted|endorsed|approved|deferred)\b",
    re.IGNORECASE,
)
# A question to the room, or the chair announcing what was decided ("So we note the report"): no assent
# needs to follow.
_QUESTION_LEAD = re.compile(r"^(?:can i take it|are |is |shall we|do we|can we|so we )", re.IGNORECASE)
# What the motion is, said before the vote: "the proposal is to increase ...", "the recommendation is that
# Cabinet approve ...", "we're asking members to endorse ...", "I move that ...".
_PROPOSAL = re.compile(
    r"\b(?:(?:the|our|my|officers'?) )?(?:proposal|recommendations?|motion)s?(?: (?:in|before) "
    r"(?:the report|you|members|us))? (?:is|are|would be) (?:that |to |simply to )?(?P<body>[^.;?!]{10,220})"
    r"|\b(?:we(?:'re| are)|officers are|i'?m) (?:asking|recommending|proposing) (?:that )?(?:members |the "
    r"committee |you |cabinet )?(?:to )?(?P<body2>[^.;?!]{10,220})"
    r"|\bi(?:'ll| will|'m happy to|'d like to| would like to)? (?:move|propose) (?:an amendment:?,? )?that "
    r"(?P<body3>[^.;?!]{10,220})",
    re.IGNORECASE,
)
_VOTE_CUE_WORDS = re.compile(
    r"\b(?:all those in favour|those in favour|moved and seconded|that'?s carried|so that'?s carried|"
    r"carried|in favour)\b",
    re.IGNORECASE,
)
_TO_CABINET = re.compile(r"\brecommend\w*\b[^.?!]{0,60}\b(?P<body>(?:full )?(?:council|cabinet))\b", re.I)


# The chair's summary after a vote, in the present: "The revised policy's approved, with the transition";
# "So the criteria are approved".
# After the vote too: "So that's carried and planning permission is granted" (ADR 0177), "The motion is
# carried and the budget is approved".
_SPOKEN_OUTCOME = re.compile(
    r"^\s*(?:so,?\s+|okay,?\s+|right,?\s+|then,?\s+)?"
    r"(?:(?:that|the\s+(?:motion|substantive\s+motion|recommendations?))(?:'s| is| are| was| were)\s+"
    r"(?:carried|agreed)(?:\s+unanimously)?,?\s+(?:and|so)\s+)?"
    r"(?P<object>the\s[^,.;?!]{3,80}?|(?:planning\s+)?permission|consent)(?:'s|\s+is|\s+are)\s+"
    r"(?:now\s+|therefore\s+)?(?P<verb>approved|agreed|endorsed|noted|adopted|deferred|granted|refused)\b"
    r"(?P<rest>[^.;?!]{0,160})",
    re.IGNORECASE,
)


# The chair's outcome as a bare participle: "So, deferred to June, so the risk can be rescored. Agreed?"
_BARE_OUTCOME = re.compile(
    r"^\W*(?:(?:so|right|okay|ok|then|good),?\s+)*(?P<verb>deferred|noted|approved|endorsed|refused|granted)"
    r"\b(?P<rest>(?:,?\s+(?:to|until|for|with|subject)\b[^.;?!]{0,160})?)[.;?!]?\s*$",
    re.IGNORECASE,
)


# The chair announcing a decision at the head of a sentence: "And we note the report." (ADR 0177).
_CHAIR_ANNOUNCES = re.compile(r"^\W*(?:and|so|then|right)?,?\s*we\s", re.IGNORECASE)


def _put_to(text: str, found: re.Match, after: str, chair: bool = False) -> bool:
    """A proposal the room has decided on: asked as a question, announced ("so we ...", or the chair's
    "and we note the report" at a sentence's head), or followed by assent in the rest of the sentence or
    in ``after``."""
    lead = found.group(0).strip()
    question = (
        bool(_QUESTION_LEAD.match(lead))
        or "?" in text[found.end() : found.end() + 3]
        or (chair and found.start() == 0 and bool(_CHAIR_ANNOUNCES.match(text)))
    )
    return question or bool(_ASSENT.search(text[found.end() :]) or _ASSENT.search(after))


def spoken_resolutions(
    text: str, title: str = "", after: str = "", attendees: Sequence[Attendee] = (), chair: bool = False
) -> list[str]:
    """Resolutions a chair says aloud in ``text`` ("can I take it we're happy to note the update?"), in
    the minutes' form. A statement ("we should note the report") counts only with assent in the same
    sentence or in ``after`` (the sentences that follow): "Is everyone content with that? Good.", or
    when the chair (``chair``) announces it."""
    found = [_delegation(m, attendees) for m in _SPOKEN_DELEGATION.finditer(text) if _put_to(text, m, after)]
    for m in _SPOKEN_RESOLUTION.finditer(text):
        if not _put_to(text, m, after, chair):
            continue
        said = m.group("object")
        verb = motions.PARTICIPLES[m.group("verb").lower()]
        # "defer the item to the next meeting", "refer our concerns to Cabinet": where to follows the verb;
        # "approve them as a correct record": how.
        place = (
            re.search(r"\s+((?:to|until) (?:the )?[\w' -]{3,40})$", said)
            if verb in {"deferred", "referred"}
            else None
        )
        place = place or re.search(r"\s+(as\s.+)$", said)
        thing, where = (said[: place.start()], " " + place.group(1)) if place else (said, "")
        cut = motions.OBJECT_END.search(thing)
        if cut and motions.GENERIC_OBJECT.match(thing[: cut.start()].strip()):
            # "approve the report for consultation": the report is the item's, for consultation is how.
            thing, where = thing[: cut.start()], " " + thing[cut.start() :].strip(" ,") + where
        thing = motions.object_for(thing, title)
        if verb == "deferred":
            thing = f"consideration of {thing}"
        found.append(f"RESOLVED: That {thing} be {verb}{where}.")
    bare = _BARE_OUTCOME.match(text)
    if bare and not found and chair and (bare.group("rest").strip() or _ASSENT.search(after)):
        verb = bare.group("verb").lower()
        thing = motions.object_for("the item", title)
        thing = f"consideration of {thing}" if verb == "deferred" else thing
        found.append(f"RESOLVED: That {thing} be {verb}{bare.group('rest').rstrip(' ,')}.")
    outcome = _SPOKEN_OUTCOME.match(text)
    if outcome and not found:
        thing = motions.object_for(outcome.group("object"), title)
        rest = re.split(r"\s+and\s+(?=the\b)", outcome.group("rest"))[0].rstrip(" ,")
        found.append(f"RESOLVED: That {thing} be {outcome.group('verb').lower()}{rest}.")
    for m in _SPOKEN_RECOMMEND.finditer(text):
        if not _put_to(text, m, after):
            continue
        body = m.group("body")
        found.append(
            f"RESOLVED: That {body[0].upper() + body[1:]} be recommended to {m.group('object').strip()}."
        )
    return found


# "are we agreeing to delegate authority to Rebecca, in consultation with me as Chair, to agree the
# extension?": "That authority be delegated to the Head of Culture and Leisure, in consultation with the
# Chair, to agree the extension." (an officer named by the job title the attendance list gives).
_SPOKEN_DELEGATION = re.compile(
    r"\b(?:" + _SPOKEN_LEAD + r"|are we agreeing to\s+|we(?:'re| are) agreeing to\s+)?delegat\w*\s+"
    r"(?:the\s+)?(?:authority|powers?|the decision)\s+to\s+(?P<who>[^,.;?!]{2,60}?),?\s+"
    r"(?:(?P<consult>in consultation with\s+[^,.;?!]{2,60}?),\s+)?to\s+(?P<what>[^.;?!]{5,200}?)"
    r"(?=\s*(?:[.;?!]|$))",
    re.IGNORECASE,
)


def _delegation(m: re.Match, attendees: Sequence[Attendee]) -> str:
    return motions.delegation(m.group("who"), m.group("consult") or "", "to " + m.group("what"), attendees)


# "we recommend to Cabinet that they consider extending the programme", "are we happy to recommend to full
# council that we keep it": "That Cabinet be recommended to consider extending the programme".
_SPOKEN_RECOMMEND = re.compile(
    r"\b"
    + _SPOKEN_LEAD
    + r"recommend\w*\s+to\s+(?P<body>(?:full )?(?:council|cabinet|the executive))\s+that\s+"
    r"(?:they|we|it|the committee|members)?\s*(?:should |will |would )?(?P<object>[^.;?!]{5,200}?)"
    r"(?=\s*(?:[.;?!]|$))",
    re.IGNORECASE,
)


# A decision taken before this meeting, recalled in the discussion: "Cabinet agreed the enforcement policy
# back in October, didn't it", "members will recall Cabinet adopted the strategy in January", "which full
# council agreed in 2025". Not when the sentence holds a resolution's own future shape ("... be brought
# back in March").
_HISTORY = re.compile(
    r"\b(?:will (?:remember|recall)|as (?:you|members) (?:know|will (?:know|recall))"
    r"|didn'?t (?:it|they|we|he|she)"
    r"|back in\b|last (?:year|month|week|time|spring|summer|autumn|winter|january|february|march|april|may"
    r"|june|july|august|september|october|november|december)\b|years? ago|previously"
    r"|already (?:agreed|approved|decided)"
    r"|at (?:its|our|the|their) (?:last|previous) meeting"
    r"|in (?:19|20)\d\d\b)",
    re.IGNORECASE,
)


def _history(text: str) -> bool:
    return bool(_HISTORY.search(text)) and not re.search(
        _PASSIVE_OUTCOME + r"|\b" + _RESOLVED_WORD + r"\b|\bbe\s+\w+ed\b|\b(?:was|were|is|are)\s+(?:duly\s+)?"
        r"(?:noted|approved|agreed|adopted|endorsed|accepted|ratified|carried|deferred)\b",
        text,
        re.IGNORECASE,
    )


_CONTENT_STOP = frozenset(
    [
        "resolved",
        "that",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "be",
        "is",
        "are",
        "was",
        "were",
        "that's",
        "thats",
        "it",
        "this",
        "all",
        "those",
        "in",
        "favour",
        "against",
        "carried",
        "agreed",
        "okay",
        "ok",
        "thank",
        "you",
        "thanks",
        "so",
        "right",
        "good",
        "lovely",
        "yes",
        "no",
        "is",
        "that",
        # A result announced ("the motion is carried", "the vote is closed") decides nothing of its own.
        "motion",
        "vote",
        "closed",
        "duly",
        "therefore",
        "then",
        "madam",
        "chair",
        "mayor",
    ]
)


# Said about a decision without being one: "I just didn't agree with that bit", "we'll vote on the
# amendment", "the amendment is lost" (a lost amendment is not minuted as a resolution).
_NOT_A_RESOLUTION = re.compile(
    r"\b(?:didn'?t|did not|don'?t|do not|wouldn'?t|would not|can'?t|cannot|couldn'?t|won'?t)\s+(?:really\s+)?"
    r"(?:agree|approve|support|accept)\b"
    r"|\b(?:vote|voting)\s+on\s+the\s+(?:amendment|motion|substantive)\b"
    # An officer's advice is what the room may decide, not its decision: "my advice would be that the item
    # is deferred".
    r"|\bmy advice (?:would be|is)\b|\bi(?:'d| would) advise\b"
    r"|\bamendment\s+(?:is|was|has been)\s+(?:lost|defeated|not carried|withdrawn)\b|\bamendment\s+falls\b"
    # "three were resolved informally": complaints settled, not a resolution ("it was resolved that" is one)
    r"|\b(?:were|have been|had been)\s+resolved\s+(?:informally|locally|satisfactorily|without)\b",
    re.IGNORECASE,
)


# A result announced on its own ("That's carried.", "The motion is carried with six votes for").
_CARRIED_ALONE = re.compile(r"\b(?:carried|agreed)\b", re.IGNORECASE)


# The room's answer to a call to vote, said as a word of its own: "All in favour? ... Six. Against? ... One.
# Deferred." / "That's all six. Approved." (blind tune meetings, ADR 0183).
_RESULT_WORD = re.compile(
    r"^\W*(?:(?:right|okay|ok|so|good|thank you|thanks|then|that'?s|it'?s|that is|it is|the (?:motion|"
    r"amendment|recommendations?|application|proposal|report)(?: is| are| has)?|motion)\W+)*"
    r"(?P<result>carried|agreed|approved|granted|refused|deferred|endorsed|adopted|noted|passed|"
    r"unanimous(?:ly)?|lost|falls|fails|defeated|not carried)\b",
    re.IGNORECASE,
)
_LOST = frozenset({"lost", "falls", "fails", "defeated", "not carried"})
_CALL_TO_VOTE = re.compile(r"\bin favour\b|\ball agreed\b|\bthose against\b", re.IGNORECASE)


def _result_after_call(own: list[Sentence], i: int, within: int = 6) -> tuple[str, str] | None:
    """The result of the vote the chair calls in sentence ``i`` ("All in favour?"), as (result word, count
    said), from the sentences that follow it before anything else is proposed; None when no result is
    announced. A count with more for than against is carried even with no word for it."""
    said: list[str] = []
    for s in own[i + 1 : i + 1 + within]:
        if motions.recommendation_in(s.text) or motions.motion_moved(s.text) or _ITEM_CALL.search(s.text):
            break
        said.append(s.text)
        found = _RESULT_WORD.match(s.text)
        if found and len(re.findall(r"[a-z]+", s.text[found.end() :], re.IGNORECASE)) > 2:
            return None  # "That's carried, so the application is refused.": a result in words of its own
        if found:
            return found.group("result").lower(), find_vote(" ".join([own[i].text, *said]))
    counted = _CALLED_VOTE.search(" ".join([own[i].text, *said]))
    if counted and (_num(counted.group("for")) or 0) > (_num(counted.group("against")) or 0):
        return "carried", find_vote(" ".join([own[i].text, *said]))
    return None


def _has_content(resolution: str) -> bool:
    """A resolution says what was decided: "That all those in favour?" or "That is that agreed? ... Thank
    you" says nothing (the vote or the assent is read as such elsewhere)."""
    words = re.findall(r"[a-z][a-z'-]+", resolution.lower())
    return "?" not in resolution and any(w not in _CONTENT_STOP for w in words)


def _count_of_hands(resolution: str) -> bool:
    """ "That's, yes, that's all five." counts hands: numbers and assent, nothing decided."""
    words = re.findall(r"[a-z][a-z'-]+", resolution.lower())
    said = [w.strip("-") for w in words if w not in _CONTENT_STOP and not w.startswith("unanim")]
    said = [w for w in said if w not in {"madam", "mayor", "chair", "chairman", "mr", "lord"}]
    return bool(said) and all(w in _NUMBER_WORDS for w in said)


# An attendee taking on what was just asked, in so many words, with nothing else said.
_BARE_PROMISE = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|of course|sure|certainly|absolutely|happy to|no problem|okay|ok)\W+"
    r"(?:(?:chair|leader|mayor|madam chair|mr chairman)\W+)?)*"
    r"(?:leave (?:that|it|this) with me|i'?ll (?:pick|take) (?:that|it|this) (?:up|away|on)|will do\b|"
    r"we(?:'ll| will| can) do (?:that|it|this)\b|"
    r"i'?d be (?:very |more than )?happy to (?:do|arrange|circulate|send|share|look into|pick up|take) "
    r"(?:that|it|this)\b|i can do that|i'?ll (?:do|sort|arrange|check|find out|look into|get|send|"
    r"circulate|share) (?:that|it|this)\b)",
    re.IGNORECASE,
)


def _asker(own: list[Sentence], i: int) -> int | None:
    """The sentence that asked for what sentence ``i`` promises: the last of another speaker's, within the
    three sentences before it ("That's a fair question. Leave that with me." answers the member before)."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if own[j].speaker and own[j].speaker != own[i].speaker:
            return j
    return None


def _asking_run(own: list[Sentence], j: int) -> list[int]:
    """Sentence ``j`` and the same speaker's sentences just before it (at most three in all): a request
    and what its asker added ("Can you come back to us with a sensitivity analysis? Three and a half,
    four, four and a half. I want it before full Council.")."""
    run = [j]
    while len(run) < 3 and run[0] > 0 and own[run[0] - 1].speaker == own[j].speaker:
        run.insert(0, run[0] - 1)
    return run


# Where a promise names attendees only as those it goes to ("I'll send that round to all Cabinet members
# and to Councillor Stott", "I'll let you and Councillor Walsh know"), the one promising owns it.
_FIRST_PERSON_PROMISE = re.compile(r"\b(?:i|we)(?:'ll| will| can| shall)\s+(?!be\b|have to\b)\w+", re.I)
_TO_SOMEONE = r"(?:to|with|and|for|let|tell|copy|ask|cc|visit)\s+(?:you\s+and\s+)?(?:all\s+)?"


def _promised_by_speaker(text: str, attendees: list[Attendee], speaker: str) -> bool:
    if not speaker or not _FIRST_PERSON_PROMISE.search(text):
        return False
    lowered = text.lower()
    for attendee in attendees:
        for form in _name_forms(attendee):
            for at in re.finditer(r"\b" + re.escape(form.lower()) + r"\b", lowered):
                before = lowered[max(0, at.start() - 30) : at.start()]
                if not re.search(
                    _TO_SOMEONE + r"(?:councillor\s+|cllr\s+|dr\s+|mrs?\s+|ms\s+|miss\s+)?$", before
                ):
                    return False
    return True


def _same_motion(one: str, other: str) -> bool:
    """Two writings of one motion: the shorter's words all in the longer ("That increase the charge" and
    "That Cabinet be recommended to increase the charge")."""
    words = [
        set(re.findall(r"[a-z0-9'-]+", t.lower())) - {"resolved", "that", "be", "to", "we", "us", "our", "i"}
        for t in (one, other)
    ]
    small, large = sorted(words, key=len)

    def within(word: str) -> bool:
        # "defer" in "deferred", "approve" in "approved": a motion as moved and as minuted (ADR 0183).
        stem = word[: max(4, len(word) - 2)]
        return word in large or (len(word) >= 4 and any(w.startswith(stem) for w in large))

    return bool(small) and all(within(w) for w in small)


def motion_resolution(text: str, earlier: list[str], title: str = "") -> str:
    """A vote with no resolution in it ("All those in favour? ... that's carried, we'll recommend the
    increase to Cabinet"): the motion as it was put before the vote, from the last proposal said."""
    if not _VOTE_CUE_WORDS.search(text):
        return ""
    for before in reversed(earlier):
        said = list(_PROPOSAL.finditer(before))
        if not said:
            continue
        m = said[-1]
        body = (m.group("body") or m.group("body2") or m.group("body3")).strip(" ,")
        body = re.sub(r"^(?:that|to)\s+", "", body, flags=re.IGNORECASE)
        nominal = motions.nominal_resolution(body, title)
        if nominal:  # "the recommendation is approval subject to ...": planning permission granted
            return nominal
        own = motions.decided_as_said(body, title)
        if len(own) == 1:  # "I move that Council approves the report": "That the ... Report be approved"
            return own[0]
        cabinet = _TO_CABINET.search(text) or _TO_CABINET.search(before)
        if cabinet and not re.search(r"\b(?:cabinet|council)\b", body, re.IGNORECASE):
            to = cabinet.group("body").capitalize()
            if re.match(r"(?:the|a|an|all|our|its|their|this|these)\b", body, re.IGNORECASE):
                # a clause, not a task: "the fees are frozen"
                return f"RESOLVED: That it be recommended to {to} that {body}."
            return f"RESOLVED: That {to} be recommended to {body}."
        proper = re.match(r"(?:Cabinet|Council|Full Council|[A-Z][a-z]+ [A-Z])\b", body)
        return f"RESOLVED: That {body if proper else body[0].lower() + body[1:]}." if body else ""
    return ""


# --- owners and due dates ----------------------------------------------------------------------------


def find_due(text: str, meeting_date: dt.date | None, *, next_meeting_days: int = 28) -> str:
    """The due date an action names, as an ISO date, or "" when it names none (``dates``)."""
    base = meeting_date or dt.date.today()
    due = dates.find_due_date(text, base, next_meeting_days=next_meeting_days)
    if due and (base - due).days > 31 and due.year != base.year:
        # An action due years before the meeting is a misheard year ("27 March 2021" for 2028 in
        # the tune meetings): the same day and month, on or after the meeting.
        try:
            due = due.replace(year=base.year)
            if due < base:
                due = due.replace(year=base.year + 1)
        except ValueError:  # 29 February
            return ""
    return due.isoformat() if due else ""


def _name_forms(attendee: Attendee) -> list[str]:
    parts = attendee.name.split()
    forms = [attendee.name]
    honorific = re.compile(r"^(cllr|councillor|mr|mrs|ms|miss|dr|mx)\.?$", re.IGNORECASE)
    core = [p for p in parts if not honorific.match(p)]
    if core:
        forms.append(" ".join(core))
        if len(core) > 1:
            forms.append(core[-1])  # surname
            forms.append(core[0])  # first name
    if attendee.title:
        forms.append(attendee.title)
    return [f for f in forms if len(f) > 2]


# A chair or vice-chair elected by nomination (ADR 0180): "I'd like to nominate Councillor Ambler." "I'll
# second that." The seconded nomination of a person, under an item about the chair, is the appointment.
_NOMINATION = re.compile(
    r"\b(?:nominate|propose)\s+(?P<who>(?:councillor|cllr\.?)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)"
    r"(?:\s+(?:as|for)\s+(?:the\s+)?(?P<post>(?:vice[- ])?chair(?:man|person)?))?",
    re.IGNORECASE,
)
_SECONDED = re.compile(r"\bsecond(?:ed)?\b(?!\s+(?:item|time|point|question|thing)\b)", re.IGNORECASE)
_CHAIR_POST = re.compile(r"\b(vice[- ])?chair(?:man|person)?\b", re.IGNORECASE)


def nominated(own: list[Sentence], i: int, title: str, attendees: Sequence[Attendee]) -> str:
    """The appointment a seconded nomination makes, in the minutes' form, or ""."""
    found = _NOMINATION.search(own[i].text)
    if not found:
        return ""
    context = " ".join([title, *(x.text for x in own[max(0, i - 3) : i + 1])])
    post = found.group("post") or (m.group(0) if (m := _CHAIR_POST.search(title)) else "")
    if not post and not _CHAIR_POST.search(context):
        return ""  # "I propose Councillor Lee" for something else: not an election read here
    if not any(_SECONDED.search(x.text) for x in own[i + 1 : i + 3]):
        return ""
    said = [w.lower() for w in found.group("who").split()[1:]]  # the name after "Councillor"
    person = next((a for a in attendees if [p.lower() for p in a.name.split()[-len(said) :]] == said), None)
    who = person.name if person else " ".join(found.group("who").split())
    office = "Vice-Chair" if re.match(r"vice", post or "", re.IGNORECASE) else "Chair"
    term = re.search(r"\bfor\s+(?:this|the)\s+(hearing|meeting|municipal year|year)\b", context, re.I)
    span = f" for the {term.group(1).lower()}" if term else ""
    return f"RESOLVED: That {who} be appointed {office}{span}."


def find_owner(text: str, attendees: list[Attendee], speaker: str = "") -> str:
    """Who an action is for: an attendee named (or by job title) in it, else the speaker of "I will"."""
    lowered = text.lower()
    best: tuple[int, str] | None = None
    for attendee in attendees:
        for form in _name_forms(attendee):
            at = re.search(r"\b" + re.escape(form.lower()) + r"\b(?!'s\b|’s\b)", lowered)
            if at:  # "... to Councillor Natarajan's question": a possessive is not who acts
                # Prefer names near "to"/"will": the one doing it, not the one asked about.
                position = at.start()
                after = lowered[at.end() : at.end() + 30]
                bonus = -1000 if re.match(r"\s*(to|will|would|has agreed|agreed|undertook|,)\b", after) else 0
                key = position + bonus
                if best is None or key < best[0]:
                    best = (key, attendee.name)
                break
    if best:
        return best[1]
    fuzzy = _fuzzy_attendee(text, attendees)
    if fuzzy:
        return fuzzy.name
    if speaker and re.search(r"\b(i will|i'll|i shall|i can|we will|we'll)\b", lowered):
        return speaker
    match = re.search(r"\b(the [A-Z][\w ]{2,40}?(?:Officer|Director|Manager|Head of \w+|Clerk))\b", text)
    return match.group(1) if match else ""


def _fuzzy_attendee(text: str, attendees: list[Attendee]) -> Attendee | None:
    """An attendee whose name was misheard ("Grace Mensa", "Tom Reynold"): two words in a row close
    to their full name (similarity >= 0.85), or one long word close to a surname of six letters or
    more; the first such in the text. Short names are left out: "Shah" is too near "shall"."""
    from difflib import SequenceMatcher

    words = re.findall(r"[A-Za-z][A-Za-z'-]+", text)
    lowered = [w.lower() for w in words]
    honorific = re.compile(r"^(cllr|councillor|mr|mrs|ms|miss|dr|mx)\.?$", re.IGNORECASE)
    for k, word in enumerate(lowered):
        if word.endswith("'s"):  # "Councillor Natarajan's question": a possessive is not who acts
            continue
        for attendee in attendees:
            core = [p.lower() for p in attendee.name.split() if not honorific.match(p)]
            if len(core) >= 2 and k + 1 < len(lowered):
                pair = f"{word} {lowered[k + 1]}"
                if SequenceMatcher(None, pair, f"{core[0]} {core[-1]}").ratio() >= 0.85:
                    return attendee
            long_surname = core and len(core[-1]) >= 6 and len(word) >= 5
            if long_surname and SequenceMatcher(None, word, core[-1]).ratio() >= 0.85:
                return attendee
            # Officers are named by job title too (ADR 0151): "the Director of Plays" for "the
            # Director of Place"; titles of two words or more.
            title = attendee.title.lower().split()
            if len(title) >= 2 and k + len(title) <= len(lowered):
                window = " ".join(lowered[k : k + len(title)])
                if SequenceMatcher(None, window, " ".join(title)).ratio() >= 0.85:
                    return attendee
    return None


def _names_attendee(text: str, attendees: list[Attendee]) -> bool:
    """An attendee named in ``text``: a name form of four letters or more in any case, or a
    three-letter one written with its capital ("Tom", not "tom"): chairs name officers by first
    name ("It was agreed that Tom would ...": tune-actions scripts, ADR 0167)."""
    lowered = text.lower()
    return (
        any(
            re.search(r"\b" + re.escape(form.lower()) + r"\b", lowered)
            if len(form) > 3
            else re.search(r"\b" + re.escape(form) + r"\b", text)
            for a in attendees
            for form in _name_forms(a)
        )
        or _fuzzy_attendee(text, attendees) is not None
    )


# "Daniel said the figures would be published by March": a named attendee and a date, but what
# someone said, not what they are to do (benchmarks/data/minutes_dev).
_REPORTED = re.compile(
    r"\b(?:said|says|explained|advised|reported|informed|told|noted|confirmed|stated|added)\b(?:\s+\w+)?"
    r"\s+(?:that|the|how|it|they|applications?|figures)\b"
    r"|\basked (?:whether|if|when|why|what|how)\b",  # a member's question, not their task
    re.IGNORECASE,
)


def _agreed_someone_will(text: str, attendees: list[Attendee]) -> bool:
    """ "It was agreed that Lucy Fairbairn would arrange a briefing": an action for a named person,
    though it reads like a decision. Only when an attendee (or job title) is the subject."""
    match = re.search(  # "that" is heard as "at" ("It was agreed at Tom would circulate ...")
        r"\bagreed (?:that|at)\s+(?P<who>[\w' -]{2,60}?)\s+(?:would|will|should|is to|was to)\s+\w+",
        text,
        re.I,
    )
    return bool(match) and _names_attendee(match.group("who"), attendees)


def _requested_from(text: str, attendees: list[Attendee]) -> bool:
    """ "Members requested a note on the staffing position from Tom by the next meeting": a task for
    the attendee it is asked of, the owner after the verb (tune-actions scripts, ADR 0167). Only when
    an attendee is named after "from", not "requested more money from the government"."""
    match = re.search(
        r"\b(?:requested|asked for|sought|would like|wanted)\b[^.?!]{3,90}?\bfrom\s+(?P<who>[\w' -]{2,50})",
        text,
        re.IGNORECASE,
    )
    return bool(match) and _names_attendee(match.group("who"), attendees) and not _REPORTED.search(text)


# The owner after a passive task: "The figures for each ward to be circulated to members by Sarah
# Whitfield" (tune-actions speech, ADR 0167); only with an attendee after "by".
_PASSIVE_BY = re.compile(
    r"\bto be (?:circulated|provided|sent|shared|forwarded|emailed|made available|brought back|reported back|"
    r"arranged|prepared|produced)\b[^.?!]{0,60}?\bby\s+(?P<who>[\w' -]{2,50})",
    re.IGNORECASE,
)
# An attendee who agreed, undertook, offered or volunteered to do something, whatever the verb
# ("Grace Mensah has agreed to chaise ...": the verb misheard; tune-actions speech). Not "had agreed"
# (history), not agreeing to a proposal ("agreed to the amendment").
_UNDERTAKES = re.compile(
    r"(?<!\bhad )(?<!\bhad previously )\b(?:has |have )?(?:kindly )?(?:agreed|undertook|offered|volunteered)"
    r" to (?!(?:the|this|that|a|an|it|these|those|be|its|their|his|her)\b)[a-z]{3,}",
    re.IGNORECASE,
)


def _owner_named_for_task(text: str, attendees: list[Attendee]) -> bool:
    """ "X to be circulated ... by <attendee>", or "<attendee> (has) agreed to <verb>": a task with its
    owner named, whatever the verb (ADR 0167). Not reported speech."""
    if _REPORTED.search(text):
        return False
    passive = _PASSIVE_BY.search(text)
    if passive and _names_attendee(passive.group("who"), attendees):
        return True
    undertakes = _UNDERTAKES.search(text)
    return bool(undertakes) and _names_attendee(
        text[max(0, undertakes.start() - 60) : undertakes.start()], attendees
    )


def _deadline_only(text: str, attendees: list[Attendee], detector: Detector) -> bool:
    """A short sentence that gives a date and nothing else to act on: "By Friday, please.", "Before
    the next meeting, if you can." (not a new action for someone named, nor a resolution)."""
    return (
        len(text.split()) <= 10
        and bool(find_due(text, None))
        and not _names_attendee(text, attendees)
        and detector.decision_score(text) < detector.threshold
        and "?" not in text
    )


def _is_action(
    text: str, attendees: list[Attendee], detector: Detector, meeting_date: dt.date | None
) -> bool:
    """An action by the detector or by one of the owner-named task forms (ADR 0167). A deadline (any
    date form ``dates`` reads) with an attendee named in the same sentence is an action too, even
    when the verb was misheard ("Grace Mensah at a circuit ... by 11 May")."""
    return bool(
        (detector.action_score(text) >= detector.threshold and not _NOT_A_TASK.search(text))
        or _agreed_someone_will(text, attendees)
        or _requested_from(text, attendees)
        or _owner_named_for_task(text, attendees)
        or (
            (_ACTION_PATTERNS[_DATE_PATTERN].search(text) or find_due(text, meeting_date))
            and _names_attendee(text, attendees)
            and not _REPORTED.search(text)
            and not _DONE.search(text)
        )
    )


# Said of what is, was or has been, not of what someone will do (the detector's own reading only): a report
# of engagements ("the Deputy Mayor and I have attended some forty engagements"), a scheme's features listed
# ("Third, there's a new interest-free loan ..."), a question about the past ("was the survey really done in
# August?"), the parties' rights read out at a hearing.
_NOT_A_TASK = re.compile(
    r"\b(?:i|we)\s+(?:have|'ve)\s+(?:attended|met|visited|received|seen|had|done|completed|held|hosted|"
    r"opened|launched|delivered|spoken)\b(?![^.!?]*\b(?:will|'ll|shall|going to)\b)"
    r"|^\W*(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|next|finally|also),?\s+"
    r"(?:there'?s|there is|there are|we have|we've)\b"
    r"|^\W*(?:[A-Z][a-z]+,\s+)?(?:was|were|did|has|have|is|are)\b[^.!?]*\?\s*\.?\s*$"
    r"|\bha(?:ve|s) (?:a|the) right (?:of|to) appeal\b",
    re.IGNORECASE,
)


# What has been done, not a task: "A new team has been recruited to inspect homes with Tom within 10 days"
# ("with damp" heard as "with Tom": an attendee beside a deadline). Not "has been asked to".
_DONE = re.compile(
    r"\b(?:has|have) been (?!(?:asked|requested|instructed|tasked|invited|told)\b)"
    r"[a-z]+(?:ed|en|wn|lt|ung)\b",
    re.IGNORECASE,
)


# "I will hand over to Grace Mensah, the strategy was approved in October ...": the chair's hand-over
# run into the report after it names an attendee beside the report's dates, which read as an action.
# "Hand over" is heard as "end over" or "and over" on synthetic voices (a tune run with a third voice
# set, benchmarks/minutes.py --voices other): only after "I will" and before "to".
_HANDOVER_TO = (
    r"^\s*(?:so,?\s+)?(?:i will|i'll|i'd like to|let me|i'm going to)\s+(?:hand(?:ing)?|end|and)\s+(?:it\s+)?"
    r"over\s+to\s+"
)
_HANDOVER = re.compile(_HANDOVER_TO + r"[^,.;?!]{2,40},", re.IGNORECASE)
_HANDOVER_NO_COMMA = re.compile(
    _HANDOVER_TO + r"(?:the\s+)?(?:(?:cllr|councillor|mr|mrs|ms|dr)\.?\s+)?", re.IGNORECASE
)


def _handover_cut(text: str, attendees: list[Attendee]) -> int | None:
    """Where the chair's hand-over ends: at its comma, or, with no comma heard ("I will hand over to
    Tom Reynolds the strategy was approved in October"), after the attendee's name or title that
    follows it (not before "to ...": "hand over to Nia to present" is left as it is)."""
    comma = _HANDOVER.match(text)
    if comma:
        return comma.end() - 1 if len(text[comma.end() :].split()) >= _CLAUSE_MIN_WORDS else None
    opening = _HANDOVER_NO_COMMA.match(text)
    if not opening:
        return None
    rest = text[opening.end() :]
    forms = sorted({f for a in attendees for f in _name_forms(a)}, key=len, reverse=True)
    for form in forms:
        if rest[: len(form)].lower() == form.lower() and rest[len(form) : len(form) + 1] == " ":
            after = rest[len(form) + 1 :]
            if len(after.split()) >= _CLAUSE_MIN_WORDS and not re.match(r"to\b", after, re.IGNORECASE):
                return opening.end() + len(form)
            return None
    return None


# "So we, er, we note the review": hesitations and the words they repeat, which minutes never keep.
_FILLER = re.compile(r"\b(?:um+|uh+|er+m*|erm|ah+|hmm+)\b[,.]?(?:\s+|$)", re.IGNORECASE)
_REPEATED = re.compile(r"\b(\w+(?:'\w+)?)(?:,\s+\1\b)+", re.IGNORECASE)  # "we, we"; not "had had"


def without_fillers(text: str) -> str:
    """``text`` without "um", "er" and the words a speaker said twice over them ("we, er, we note")."""
    cleaned = _FILLER.sub("", text)
    cleaned = _REPEATED.sub(r"\1", cleaned)
    cleaned = re.sub(r"\s+([,.?!])", r"\1", " ".join(cleaned.split()))
    cleaned = re.sub(r"^[,\s]+", "", cleaned)
    return cleaned[:1].upper() + cleaned[1:] if cleaned and text[:1].isupper() else cleaned


def split_merged(
    sentences: list[Sentence],
    attendees: list[Attendee],
    detector: Detector,
    meeting_date: dt.date | None,
    titles: list[str] = (),
) -> list[Sentence]:
    """Sentences the recogniser ran together, an action and a resolution with only a comma between
    ("Tom agreed to share the figures by Thursday, with hope at the recommendations be approved"),
    cut at that comma when one side is a resolution and the other an action on its own, so both
    lines are drafted; the clause cues of ``split_sentences`` only know the resolution's own words,
    which are the ones misheard (ADR 0170). Each side keeps four words or more; times are shared
    out by characters."""
    out: list[Sentence] = []
    for sentence in sentences:
        s = sentence
        for _ in range(3):  # "Item 2, Parking, I will hand over to Grace, the number of ...": two cuts
            cut = _item_call_cut(s.text, titles, attendees)
            if cut is None:
                cut = _handover_cut(s.text, attendees)
            if cut is None:
                cut = _merged_cut(s.text, attendees, detector, meeting_date)
            if cut is None:
                break
            left, right = s.text[:cut].strip(" ,;"), s.text[cut + 1 :].strip()
            at = s.start + (s.end - s.start) * cut / max(len(s.text), 1)
            out.append(Sentence(left, s.start, round(at, 2), s.speaker))
            s = Sentence(right, round(at, 2), s.end, s.speaker)
        out.append(s)
    return out


_ITEM_CALL_START = re.compile(r"^\s*" + _ITEM_CALL_WORDS + r"[,.:;-]?\s*", re.IGNORECASE)


def _item_call_cut(text: str, titles: list[str], attendees: list[Attendee] = ()) -> int | None:
    """After the agenda title in an item call run into what follows it ("Item 3 Digital Transformation
    Update Tom Reynolds The digital strategy was approved in October ...": the hand-over and the full stop
    not heard; ADR 0174), so the report's first sentence is not read as the call's, nor as a resolution or
    an action. The title's words must follow the call in order, one of them at most misheard; an
    attendee's name straight after the title (what is left of "I will hand over to ...") stays with it."""
    call = _ITEM_CALL_START.match(text)
    if not call or not titles:
        return None
    words = list(re.finditer(r"[\w'-]+", text[call.end() :]))
    for title in titles:
        wanted = [w.lower() for w in re.findall(r"[\w'-]+", title)]
        if len(wanted) < 2 or len(words) < len(wanted) + _CLAUSE_MIN_WORDS:
            continue
        heard = [m.group(0).lower() for m in words[: len(wanted)]]
        if sum(a != b for a, b in zip(heard, wanted, strict=True)) > (1 if len(wanted) >= 3 else 0):
            continue
        cut = call.end() + words[len(wanted) - 1].end()
        after = text[cut:].lstrip(" ,.;:")
        for form in sorted((f for a in attendees for f in _name_forms(a)), key=len, reverse=True):
            if re.match(re.escape(form) + r"\b", after, re.IGNORECASE):
                rest = after[len(form) :]
                if len(rest.split()) >= _CLAUSE_MIN_WORDS:
                    cut = len(text) - len(rest)
                break
        return cut
    return None


def _merged_cut(
    text: str, attendees: list[Attendee], detector: Detector, meeting_date: dt.date | None
) -> int | None:
    """Where a run-on sentence holds an action and a resolution, each on its own side of a comma."""

    def decision(part: str) -> bool:
        return detector.decision_score(part) >= detector.threshold and not _agreed_someone_will(
            part, attendees
        )

    def action(part: str) -> bool:
        return not decision(part) and _is_action(part, attendees, detector, meeting_date)

    action_first: list[int] = []  # an action, then the resolution: cut at the last such comma
    decision_first: list[int] = []  # the resolution, then an action: cut at the first
    for match in re.finditer(r"[,;]\s", text):
        left, right = text[: match.start()], text[match.end() :]
        if len(left.split()) < _CLAUSE_MIN_WORDS or len(right.split()) < _CLAUSE_MIN_WORDS:
            continue
        if decision(text) and not (decision(left) or decision(right)):
            continue  # the resolution's words span the comma: one sentence
        if action(left) and decision(right):
            action_first.append(match.start())
        elif decision(left) and action(right):
            decision_first.append(match.start())
    # "Officers were asked to ... by June, with Sarah leading, it was agreed that ...": the owner stays
    # with the action.
    if action_first:
        return action_first[-1]
    if decision_first:
        return decision_first[0]
    # No comma heard at all: "... come back to the committee within four weeks with hope that the
    # revised library opening hours will be approved" ("RESOLVED: That" misheard). Cut where the
    # resolution's "that the" clause starts (up to two words before it), when the action stands alone.
    for match in reversed(list(_THAT_THE_CLAUSE.finditer(text))):
        left, right = text[: match.start()], text[match.end() :]
        if len(left.split()) < _CLAUSE_MIN_WORDS or len(right.split()) < _CLAUSE_MIN_WORDS:
            continue
        if action(left) and decision(right):
            return match.start()
    return None


_THAT_THE_CLAUSE = re.compile(r"\s(?=(?:[a-z]+\s){0,2}(?:that|at)\s+the\b)", re.IGNORECASE)


# "I'll get a revised version to you": minutes name the document ("a revised version of the Joint Health
# and Wellbeing Strategy").
_VERSION = re.compile(
    r"\b(?P<said>(?:the|a|an)\s+(?:(?:final|revised|updated|draft|new|full)\s+)?version)\b(?!\s+of\b)", re.I
)


def action_text(text: str, title: str = "") -> str:
    text = " ".join(text.split()).strip()
    if title:
        text = _VERSION.sub(lambda m: f"{m.group('said')} of the {title.strip().rstrip('.')}", text, count=1)
    text = re.sub(r"^(action( point| item)?\s*[:\-]\s*)", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^(so|okay|right|and)\b[, ]*", "", text, flags=re.IGNORECASE)
    return (text[0].upper() + text[1:]).rstrip(".") + "." if text else ""


# --- 4. summary ---------------------------------------------------------------------------------------

_PROCEDURAL = re.compile(
    r"\b(good (morning|afternoon|evening)|welcome|thank you|thanks|can you hear|are we agreed|"
    r"any (other )?(questions|comments)|next item|moving on|item (number )?\w+|that concludes|"
    r"i('ll| will) (now )?hand over|over to you|let'?s (start|begin|move))\b",
    re.IGNORECASE,
)


def summarise(sentences: list[Sentence], skip: set[int], *, ratio: float = 0.35, most: int = 6) -> list[int]:
    """Indexes of the sentences that summarise a stretch: central (TF-IDF) and contentful."""
    candidates = [
        i
        for i, s in enumerate(sentences)
        if i not in skip and len(_tokens(s.text)) >= 4 and not _PROCEDURAL.search(s.text)
    ]
    if not candidates:
        return []
    keep = max(1, min(most, round(len(candidates) * ratio)))
    if len(candidates) <= keep:
        return candidates
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(tokenizer=_tokens, token_pattern=None, lowercase=False, sublinear_tf=True)
    try:
        matrix = vec.fit_transform([sentences[i].text for i in candidates])
    except ValueError:
        return candidates[:keep]
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    scores = matrix @ centroid
    chosen: list[int] = []
    chosen_rows: list[int] = []
    order = np.argsort(-scores)
    for row in order:
        # Avoid near-duplicates (maximal marginal relevance, lightly).
        if chosen_rows:
            overlap = (matrix[row] @ matrix[chosen_rows].T).toarray().max()
            if overlap > 0.7:
                continue
        chosen_rows.append(int(row))
        chosen.append(candidates[int(row)])
        if len(chosen) >= keep:
            break
    return sorted(chosen + _answers(sentences, candidates, chosen))


def _answers(sentences: list[Sentence], candidates: list[int], chosen: list[int]) -> list[int]:
    """The reply to each question chosen: the next sentence, when it is a candidate and not said by the
    one who asked (a minuted question without its answer tells the reader little)."""
    added = []
    for i in chosen:
        reply = i + 1
        if (
            sentences[i].text.rstrip().endswith("?")
            and reply in candidates
            and reply not in chosen
            and not sentences[reply].text.rstrip().endswith("?")
            and not (sentences[i].speaker and sentences[reply].speaker == sentences[i].speaker)
        ):
            added.append(reply)
    return added


# --- the whole draft -----------------------------------------------------------------------------------

_DECLARATION = re.compile(
    r"\b(declar\w+|interests?)\b.*\b(interest|declar\w+)\b|\bno declarations\b|\bnothing to declare\b",
    re.IGNORECASE,
)


def _joined_resolution(previous: str, sentence: str, resolution: str) -> str:
    """``previous`` (a resolution) and the next sentence's ``resolution`` as one, when the sentence is the
    rest of it (ADR 0174), else "":

    - its second part after a pause: "... position be noted. And the recovery actions be endorsed.";
    - the rest of a resolution cut off before its outcome, after a stretch the recogniser skipped:
      "... resolved at the recommendations of the waste collection." then "The collection review be
      approved." (the word said on both sides of the cut is kept once).
    """
    rest = resolution.removeprefix("RESOLVED: That ").rstrip(".")
    head = previous.rstrip(".")
    if _AND_CONTINUES.match(sentence):
        return f"{head} and {rest}."
    if re.search(_PASSIVE_OUTCOME, head, re.IGNORECASE) or not re.search(
        _PASSIVE_OUTCOME, rest, re.IGNORECASE
    ):
        return ""
    if re.search(_RESOLVED_WORD + r"|\b(?:agreed|decided)\b", sentence, re.IGNORECASE):
        return ""  # a resolution of its own
    words = re.sub(r"^the\s+", "", rest, flags=re.IGNORECASE).split()
    if words and head.split()[-1].lower() == words[0].lower():
        words = words[1:]
    return f"{head} {' '.join(words)}."


@dataclass
class _Proposal:
    """A recommendation or motion said and not yet decided."""

    at: int  # index of the sentence it was said in
    body: str  # "to approve the plan as set out, and to delegate ..."
    by: str  # who said it ("me" in it is them)
    delegation: bool = False  # a delegation put with a motion ("with the wording delegated to ...")


_BARE_ASSENT = re.compile(
    r"^\W*(?:(?:right|okay|ok|so|good|lovely|thank you|thanks|yes|no|and|then)\W+)*"
    r"(?:anyone against\W+(?:no\W+)?)?"
    r"(?:agreed|all agreed|carried|that'?s (?:agreed|carried)|is that agreed|are we (?:all )?agreed"
    r"|everyone (?:happy|content|okay)(?: with that)?)\b",
    re.IGNORECASE,
)


def _moved(
    proposed: list[_Proposal], title: str, attendees: Sequence[Attendee] = (), *, latest_first: bool = True
) -> list[str]:
    """The resolutions of the motions and recommendations still before the room, the latest first (or in
    the order said); a refusal where officers recommended approval says so, as minutes do."""
    moved = [
        r
        for p in (reversed(proposed) if latest_first else proposed)
        for r in motions.recommended_resolutions(p.body, title, attendees, speaker=p.by)
    ]
    if any(" be granted" in motions.nominal_resolution(p.body, title) for p in proposed):
        moved = [
            r.replace(
                "planning permission be refused",
                "planning permission be refused, contrary to the officer recommendation,",
            )
            for r in moved
        ]
    return moved


def _as_moved(
    spoken: list[str], proposed: list[_Proposal], title: str, attendees: Sequence[Attendee] = ()
) -> list[str]:
    """The chair's outcome ("That's carried, so the application is refused") in the words of the motion
    that was moved ("refusal on the grounds that ..."), which carry its reasons and conditions."""
    moved = _moved(proposed, title, attendees)
    out = []
    for resolution in spoken:
        act = re.search(r" be (\w+)", resolution)
        fuller = next(
            (r for r in moved if act and f" be {act.group(1)}" in r and len(r) > len(resolution)), None
        )
        if "authority be delegated" in resolution:
            fuller = None  # a delegation said in full is already the motion's own words
        out.append(fuller or resolution)
        if fuller:
            # "the motion to refuse, with the wording of the reasons delegated to the Development
            # Management Manager": the delegation put with the motion is decided with it.
            out += [
                r for r in moved if r.startswith("RESOLVED: That authority be delegated") and r not in out
            ]
    return out


_ANYONE_AGAINST = re.compile(
    r"^\W*(?:(?:right|okay|ok|so)\W+)*(?:is )?any(?:one|body|) (?:against|object)", re.I
)


def _recommendations_put(
    text: str,
    i: int,
    said: str,
    proposed: list[_Proposal],
    after: str,
    chair: bool,
    decided_at: int,
) -> list[_Proposal]:
    """The recommendations the chair's sentence ``i`` puts to the room and the room agrees, or []:
    by reference ("are we agreed on the recommendations? ... Agreed?"), said by the chair with assent
    following ("So the recommendation is to award ..., and to delegate .... Agreed?"), or as bare assent
    just after an officer said them ("Anyone against? No. Agreed then.")."""
    if not chair or not proposed:
        return []
    if said:
        # The chair saying the recommendations and the room agreeing: what officers said before is part
        # of what is agreed ("... and the delegation for minor changes").
        tail = text[text.find(said) + len(said) :]
        if not (_ASSENT.search(tail) or _ASSENT.search(after)):
            return []
        return proposed[:-1] or proposed  # the recommendations as officers put them, where they did
    by_reference = motions.PUTS_RECOMMENDATIONS.search(text)
    if by_reference and (_ASSENT.search(text[by_reference.end() :]) or _ASSENT.search(after)):
        return proposed
    last = proposed[-1].at
    no_objection = _ANYONE_AGAINST.match(text) and re.match(r"\W*no\b", after, re.IGNORECASE)
    if (_BARE_ASSENT.match(text) or no_objection) and i - last <= 4 and decided_at < last:
        return proposed
    return []


_MINUTES_ITEM = re.compile(r"\bminutes\b", re.IGNORECASE)
_MINUTES_AGREED = re.compile(
    r"\b(?:move (?:them|the minutes)|second(?:ed)?|correct record|(?:we(?:'re| are)|all) agreed|agreed\b"
    r"|happy (?:with|to (?:approve|agree|sign)) (?:them|the minutes))",
    re.IGNORECASE,
)
_CONFIRMED = re.compile(
    r"\bbe (?:approved|agreed|confirmed|signed|accepted|adopted)\b|\bcorrect record\b", re.I
)


def _as_minutes_confirmed(item: DraftItem, own: list[Sentence], meeting_date: dt.date | None) -> None:
    """The previous meeting's minutes confirmed, in the form minutes use: "That the minutes of the meeting
    held on 19 January 2027 be approved as a correct record and signed by the Chair." The date is the
    one said for them ("Item one, the minutes of the nineteenth of January")."""
    held = next(
        (d for s in own if (d := dates.date_before(s.text, meeting_date or dt.date.today())) is not None),
        None,
    )
    which = f"the meeting held on {held.day} {held:%B %Y}" if held else "the previous meeting"
    confirmed = (
        f"RESOLVED: That the minutes of {which} be approved as a correct record and signed by the Chair."
    )
    for decision in item.decisions:
        if _CONFIRMED.search(decision.text):
            decision.text = confirmed
            # What else was said is a correction to the record ("Page three, where it says we agreed
            # to freeze garage rents"), not a decision of this meeting.
            item.decisions = [decision]
            return
    agreed = next((s for s in own if _MINUTES_AGREED.search(s.text)), None)
    if agreed is not None:
        # "I'm happy to move them." "I think we're agreed then?": the minutes item's one decision.
        item.decisions = [Decision(confirmed, "", agreed.start, agreed.end)]


UNHEARD_VOTE_GAP = 20.0  # seconds: a resolution drafted this soon after a result is what it decided


def _unheard_vote_warnings(title: str, votes: list[tuple[float, str]], decisions: list) -> list[str]:
    """One warning for each vote whose result was heard with nothing put to it, unless a resolution was
    drafted just after it ("All in favour? ... That's carried. So the criteria are approved.") or the same
    vote was already warned of ("All in favour? ... That's carried.", a call and its result)."""
    out: list[str] = []
    last = -UNHEARD_VOTE_GAP
    for when, what in votes:
        decided = any(0 <= d.start - when <= UNHEARD_VOTE_GAP for d in decisions)
        if not decided and when - last > UNHEARD_VOTE_GAP:
            minute, second = divmod(int(when), 60)
            out.append(
                f"{title}: {what.format(at=f'{minute}:{second:02d}')} but what was put to it was not heard. "
                "Check the recording and write the resolution by hand."
            )
        last = when
    return out


def _previous_decision(items: list[DraftItem], sentence: Sentence, within: float = 10.0) -> Decision | None:
    """The last item's last resolution when it ended at most ``within`` seconds before ``sentence``."""
    if not items or not items[-1].decisions:
        return None
    last = items[-1].decisions[-1]
    return last if 0 <= sentence.start - last.end <= within else None


def draft(
    segments: list[dict],
    agenda: list[str],
    attendees: list[Attendee],
    *,
    meeting_date: dt.date | None = None,
    detector: Detector | None = None,
    align_method: str = "monotonic",
    correct: bool = True,
) -> Draft:
    """The whole draft: present, apologies, declarations, then each item's summary, resolutions, actions.

    With ``correct`` the transcript's words are first read against the meeting's own vocabulary
    (attendance, agenda, the words of minutes: ``vocabulary.py``, ADR 0164)."""
    detector = detector or default_detector()
    if correct:
        from . import vocabulary

        segments = vocabulary.correct_segments(segments, vocabulary.for_meeting(attendees, agenda))
    titles = [t for t in agenda if t.strip()]
    sentences = split_merged(split_sentences(segments), attendees, detector, meeting_date, titles)
    for s in sentences:
        s.text = without_fillers(s.text)
    warnings: list[str] = []
    if not sentences:
        warnings.append("The transcript has no words in it: there is nothing to draft from.")
    agenda_given = bool(titles)
    if not titles:
        titles = ["Minutes"]
        assigned = [0] * len(sentences)
    else:
        assigned = align(sentences, titles, method=align_method)
        warnings += agenda_mismatch(sentences, titles, assigned)
    for s, a in zip(sentences, assigned, strict=True):
        s.item = a
    present = [a for a in attendees if a.present]
    apologies = [a for a in attendees if not a.present]
    declarations = [
        SummaryLine(reported_declaration(s.text), s.start, s.end)
        for s in sentences
        # The chair's "Are there any declarations of interest?" is the question, not a declaration.
        if s.item == -1 and _DECLARATION.search(s.text) and not s.text.rstrip().endswith("?")
    ]
    roles = {a.name: a.role for a in attendees}
    items: list[DraftItem] = []
    for j, title in enumerate(titles):
        own = [s for s in sentences if s.item == j]
        item = DraftItem(title=title)
        if own:
            item.start, item.end = own[0].start, own[-1].end
        used: set[int] = set()
        decided_at = -10  # index of the sentence the last decision came from
        unheard_votes: list[tuple[float, str]] = []  # (when, what): a result with nothing heard put to it
        proposed: list[_Proposal] = []  # recommendations said and not yet decided
        for i, s in enumerate(own):
            if i in used:  # the deadline of the action before it (below)
                continue
            after = " ".join(x.text for x in own[i + 1 : i + 4])  # assent may follow a mover and a seconder
            chair = roles.get(s.speaker) == "chair"
            said = motions.recommendation_in(s.text) or motions.motion_moved(s.text)
            if said:
                proposed.append(_Proposal(i, said, s.speaker))
            elif put_with := motions.delegation_put_with(s.text):
                # Decided with the motion it is put with.
                proposed.append(_Proposal(i, put_with, s.speaker, delegation=True))
            called = _result_after_call(own, i) if "?" in s.text else None  # a call to vote's result
            if called is not None and called[0] in _LOST and _CALL_TO_VOTE.search(s.text):
                # "All in favour? ... Two. Against? ... Six. Lost.": what was put is not a resolution,
                # however it was drafted when moved (ADR 0183); an earlier recommendation it would have
                # replaced stays before the room.
                since = own[proposed[-1].at].start if proposed else own[max(decided_at, 0)].start
                item.decisions = [d for d in item.decisions if d.start < since]
                if proposed:
                    proposed.pop()
                used.add(i)
                continue
            appointed = nominated(own, i, title, attendees)
            if appointed:
                if not any(d.text == appointed for d in item.decisions):
                    item.decisions.append(Decision(appointed, find_vote(after), s.start, s.end))
                decided_at = i
                used.add(i)
                continue
            put = _recommendations_put(s.text, i, said, proposed, after, chair, decided_at)
            if put:
                # The recommendations put to the room and agreed (ADR 0178): each act they ask for, as
                # the clerk minutes it.
                vote = find_vote(s.text) or find_vote(after)
                for resolution in _moved(put, title, attendees, latest_first=False):
                    same = next((d for d in item.decisions if _same_motion(d.text, resolution)), None)
                    if same is None:
                        item.decisions.append(Decision(resolution, vote, s.start, s.end))
                    elif len(resolution) > len(same.text):  # one act said twice: the fuller saying
                        same.text = resolution
                proposed.clear()
                decided_at = i
                used.add(i)
                continue
            spoken = _as_moved(
                spoken_resolutions(s.text, title, after, attendees, chair), proposed, title, attendees
            )
            if not spoken and chair:
                # The chair's formal "Then the Committee notes the Corporate Risk Register." (ADR 0178)
                spoken = motions.decided_as_said(s.text, title, attendees, s.speaker)
            if spoken:
                # The chair's own words for a decision (ADR 0176): "Can I take it we're happy to note the
                # update?" is "That the ... Update be noted".
                vote = find_vote(s.text) or find_vote(after)
                if not vote and i >= 1 and _vote_only(own[i - 1].text):
                    vote = find_vote(own[i - 1].text)  # the clerk's count, then "The motion is carried ..."
                for resolution in spoken:
                    if not any(d.text == resolution for d in item.decisions):
                        item.decisions.append(Decision(resolution, vote, s.start, s.end))
                proposed.clear()
                decided_at = i
                used.add(i)
                continue
            motion = motion_resolution(s.text, [x.text for x in own[:i]], title)
            latest = [r for r in _moved(proposed, title, attendees) if "authority be delegated" not in r]
            if motion and latest:
                motion = latest[0]  # the motion last moved, not an earlier recommendation it replaced
            if motion and detector.decision_score(s.text) >= detector.threshold:
                # A vote on a motion put earlier ("All those in favour? ... that's carried"): the motion.
                recent = item.decisions[-1] if item.decisions and i - decided_at <= 4 else None
                # The motion as moved earlier in the item, however many sentences of debate came between.
                last = next((d for d in reversed(item.decisions) if _same_motion(d.text, motion)), recent)
                if last is not None and _same_motion(last.text, motion):
                    # "All those in favour?" then "carried, we'll recommend it to Cabinet": one motion,
                    # written the fuller way.
                    last.text = max(last.text, motion, key=len)
                    last.vote = last.vote or find_vote(s.text)
                elif not any(d.text == motion for d in item.decisions):
                    item.decisions.append(Decision(motion, find_vote(f"{s.text} {after}"), s.start, s.end))
                decided_at = i
                used.add(i)
                continue
            short_vote = _vote_like(s.text) and not re.search(r"\b(?:that|at) the\b|\bresol", s.text, re.I)
            if (
                item.decisions
                and (i - 1 in used or i - decided_at <= 2)
                and (_vote_only(s.text) or short_vote)
            ):
                # "The charge wins 7 votes in favour and won again" ("That was carried with ..."
                # misheard) after a resolution is its vote, not a second resolution.
                item.decisions[-1].vote = item.decisions[-1].vote or find_vote(s.text)
                used.add(i)
            elif (
                short_vote
                and i >= 1
                and i - 1 not in used
                and i - decided_at > 3
                and "?" not in own[i - 1].text
                and len(own[i - 1].text.split()) >= 5
                and not _PROCEDURAL.search(own[i - 1].text)
            ):
                # A vote with no resolution found before it: the resolution was said but misheard
                # ("The committee had revised library opening hours via proof ..."), so the sentence
                # before the vote is the resolution, for the officer to check (ADR 0151).
                before = own[i - 1]
                resolution = resolution_text(before.text)
                if (
                    resolution
                    and _has_content(resolution)
                    and not _count_of_hands(resolution)
                    and not any(d.text == resolution for d in item.decisions)
                ):
                    item.decisions.append(Decision(resolution, find_vote(s.text), before.start, before.end))
                    decided_at = i - 1
                used.update({i - 1, i})
            elif i <= 1 and _vote_only(s.text) and (last := _previous_decision(items, s)):
                # "That was agreed unanimously." placed under the next item (the item call misheard, so
                # the item's start was put too early; ADR 0174) is the vote on the last item's
                # resolution, never a resolution of its own.
                last.vote = last.vote or find_vote(s.text)
                used.add(i)
            elif (
                detector.decision_score(s.text) >= detector.threshold
                and not _agreed_someone_will(s.text, attendees)
                and not _history(s.text)
                and not _NOT_A_RESOLUTION.search(s.text)
            ):
                # The owner-named task forms below (ADR 0167) only add actions: a sentence the
                # detector reads as a resolution stays one ("Councillor Lee moved and the committee
                # agreed to note the report" names an attendee before "agreed to").
                as_said = motions.decided_as_said(s.text, title, attendees, s.speaker)
                resolution = as_said[0] if len(as_said) == 1 else resolution_text(s.text)
                vote = find_vote(s.text)
                if _count_of_hands(resolution) or not _has_content(resolution):
                    # "Is that agreed? ... Thank you." after the chair's resolution: its assent, not another;
                    # "All those in favour?" with no resolution before it: a call to vote, not a resolution;
                    # "That's all five.": a count. "That's carried." or "The motion is carried." says
                    # nothing of its own: it decides what is still before the room, or nothing at all.
                    result = called if proposed else None
                    if item.decisions and i - decided_at <= 4:
                        item.decisions[-1].vote = item.decisions[-1].vote or vote
                    elif result is not None:
                        # "The recommendation is approval." ... "All in favour? ... That's all six.
                        # Approved.": the call to vote decides what is before the room (ADR 0183); a
                        # motion lost takes only itself off the table.
                        word, counted = result
                        if word in _LOST:
                            proposed.pop()
                        else:
                            # The motion last moved (not an earlier one it replaced), with any delegation
                            # put with it.
                            last_moved = [proposed[-1], *(p for p in proposed[:-1] if p.delegation)]
                            for put_resolution in _moved(last_moved, title, attendees):
                                if not any(_same_motion(d.text, put_resolution) for d in item.decisions):
                                    item.decisions.append(
                                        Decision(put_resolution, vote or counted, s.start, s.end)
                                    )
                            proposed.clear()
                            decided_at = i
                    elif proposed and "?" not in resolution and not _count_of_hands(resolution):
                        vote = vote or find_vote(after)
                        for put_resolution in _moved(proposed, title, attendees, latest_first=False):
                            if not any(_same_motion(d.text, put_resolution) for d in item.decisions):
                                item.decisions.append(Decision(put_resolution, vote, s.start, s.end))
                        proposed.clear()
                        decided_at = i
                    elif (
                        "?" in s.text
                        and _CALL_TO_VOTE.search(s.text)
                        and called is not None
                        and called[0] not in _LOST
                    ):
                        # "All in favour? ... Approved." with nothing heard put to the room: the clerk is
                        # told where to listen rather than given "That approved" (ADR 0183).
                        unheard_votes.append((s.start, f"a vote was taken at {{at}} ({called[0]})"))
                    elif _CARRIED_ALONE.search(resolution) and "?" not in resolution:
                        # Nothing heard was before the room: say so rather than minute "That that's carried".
                        unheard_votes.append((s.start, "a vote was carried at {at}"))
                    used.add(i)
                    continue
                # A vote is often announced in the sentence after the resolution.
                if not vote and i + 1 < len(own):
                    vote = find_vote(own[i + 1].text)
                joined = (
                    _joined_resolution(item.decisions[-1].text, s.text, resolution)
                    if resolution and item.decisions and decided_at == i - 1
                    else ""
                )
                if joined:
                    # One resolution the recogniser wrote as two sentences (ADR 0174), as the chair said it.
                    last = item.decisions[-1]
                    last.text = joined
                    last.vote = last.vote or vote
                    last.end = s.end
                    decided_at = i
                elif resolution and not any(d.text == resolution for d in item.decisions):
                    item.decisions.append(Decision(resolution, vote, s.start, s.end))
                    decided_at = i
                used.add(i)
            elif (
                _BARE_PROMISE.search(s.text)
                and len(s.text.split()) <= 16
                and (j := _asker(own, i)) is not None
            ):
                # "Yes, I'll pick that up." / "Leave that with me, I'll have an answer by Friday." (ADR
                # 0176): the task is the one just asked for, and whoever promised it owns it.
                run = _asking_run(own, j)
                asked = " ".join(own[k].text for k in run)
                owner = find_owner(s.text, attendees, s.speaker) or next(
                    (a.name for a in attendees if a.name == s.speaker), ""
                )
                due = find_due(s.text, meeting_date) or find_due(asked, meeting_date)
                last = item.actions[-1] if item.actions else None
                if last is not None and any(last.start == own[k].start for k in run):
                    # The request was taken as an action already: it now has its owner, and the rest
                    # of what was asked and promised.
                    start = next(k for k in run if own[k].start == last.start)
                    said = " ".join(own[k].text for k in run if k >= start)
                    last.text = action_text(f"{said} {s.text}", title)
                    last.owner = owner or last.owner
                    last.due = last.due or due
                    last.end = s.end
                else:
                    # The task as asked and as taken on: "Could we see the full report? I'll circulate it
                    # to all members by Friday." (ADR 0177: the request alone lost where and to whom).
                    said = action_text(f"{asked} {s.text}", title)
                    item.actions.append(Action(said, owner, due, own[run[0]].start, s.end))
                used.update({*run, i})
            elif _is_action(s.text, attendees, detector, meeting_date):
                due = find_due(s.text, meeting_date)
                answer = i + 1 < len(own) and own[i + 1].speaker != s.speaker
                if (
                    not due
                    and i + 1 < len(own)
                    and _deadline_only(own[i + 1].text, attendees, detector)
                    and not (answer and _FIRST_PERSON_PROMISE.search(own[i + 1].text))  # taken on, below
                ):
                    # "Helen, can you pick that up? By the end of next week, please.": the deadline
                    # said as a sentence of its own belongs to the action before it.
                    due = find_due(own[i + 1].text, meeting_date)
                    used.add(i + 1)
                owner = (
                    s.speaker
                    if _promised_by_speaker(s.text, attendees, s.speaker)
                    and any(a.name == s.speaker for a in attendees)
                    else find_owner(s.text, attendees, s.speaker)
                )
                last = item.actions[-1] if item.actions else None
                asked_at = next(
                    (
                        k
                        for k in range(max(0, i - 3), i)
                        if last is not None and own[k].start == last.start and own[k].speaker != s.speaker
                    ),
                    None,
                )
                if (
                    asked_at is not None
                    and _FIRST_PERSON_PROMISE.search(s.text)
                    and last.owner in ("", s.speaker)
                    and any(a.name == s.speaker for a in attendees)
                ):
                    # "Can members have a briefing before the consultation closes?" "Yes, we'll arrange a
                    # members' briefing in April.": the request, taken on by whoever answered it.
                    last.text = action_text(f"{last.text} {s.text}", title)
                    last.owner = s.speaker
                    last.due = due or last.due
                    last.end = s.end
                    used.add(i)
                    continue
                if (
                    last is not None
                    and i >= 1
                    and own[i - 1].speaker == s.speaker
                    and last.start == own[i - 1].start
                    and _FIRST_PERSON_PROMISE.search(s.text)
                ):
                    # "... and I can split it by provider and by area. I'll provide that to members before
                    # the next meeting.": one task said in two sentences.
                    last.text = action_text(f"{last.text} {s.text}", title)
                    last.due = due or last.due
                    last.end = s.end
                    used.add(i)
                    continue
                said = s.text
                if (
                    len(s.text.split()) <= 10
                    and i >= 1
                    and i - 1 not in used
                    and own[i - 1].speaker == s.speaker
                    and _FIRST_PERSON_PROMISE.search(s.text)
                ):
                    # "There's new guidance on pooling, and the committee would benefit from a session on
                    # it. I'll get some dates out to members.": the promise with what it is about.
                    said = f"{own[i - 1].text} {s.text}"
                item.actions.append(Action(action_text(said, title), owner, due, s.start, s.end))
                used.add(i)
        item.decisions = [d for d in item.decisions if not _NOT_A_RESOLUTION.search(d.text)]
        warnings += _unheard_vote_warnings(title, unheard_votes, item.decisions)
        if agenda_given and _MINUTES_ITEM.search(title):
            _as_minutes_confirmed(item, own, meeting_date)
        for i in summarise(own, used):
            line = reported(own[i].text, roles.get(own[i].speaker, ""))
            item.summary.append(SummaryLine(line, own[i].start, own[i].end))
        items.append(item)
    return Draft(
        items=items, present=present, apologies=apologies, declarations=declarations, warnings=warnings
    )


# --- attendees and agenda from text ----------------------------------------------------------------------


def parse_attendees(text: str) -> list[Attendee]:
    """One attendee a line: "Name, role[, title][, email]"; "Apologies:" starts the absent ones.

    ``Cllr Jane Smith, chair`` / ``Sam Patel, officer, Head of Digital`` / ``Apologies: Cllr Lee``.
    """
    out: list[Attendee] = []
    present = True
    for raw in text.splitlines():
        line = raw.strip().lstrip("-*• ").strip()
        if not line or line.startswith("#"):
            continue
        if re.match(r"^apologies\b", line, re.IGNORECASE):
            present = False
            line = re.sub(r"^apologies( for absence)?\s*[:\-]?\s*", "", line, flags=re.IGNORECASE)
            if not line:
                continue
        if re.match(r"^present\s*[:\-]?\s*$", line, re.IGNORECASE):
            present = True
            continue
        parts = [p.strip() for p in line.split(",")]
        email = next((p for p in parts[1:] if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", p)), "")
        parts = [p for p in parts if p != email]
        name = parts[0]
        role = parts[1].lower() if len(parts) > 1 and parts[1].lower() in ROLES else "member"
        title = (
            parts[2]
            if len(parts) > 2
            else (parts[1] if len(parts) > 1 and parts[1].lower() not in ROLES else "")
        )
        if role == "member" and title:
            role = "officer"
        out.append(Attendee(name=name, role=role, title=title, present=present, email=email))
    return out


# --- who is speaking: suggestions for the officer to confirm -----------------------------------------------

_CHAIR_CUES = re.compile(
    r"\b(welcome|apologies|declarations? of interest|interest to declare|item (number )?\w+,|moving on|"
    r"next item|that concludes|are we agreed)\b",
    re.IGNORECASE,
)
_INTRODUCES = re.compile(
    r"\b(?:hand(?:ing)? over to|over to you,?|invite|call(?:ing)? on|ask)\s+"
    r"(?P<a>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})"
    r"|(?P<b>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})\s+will (?:introduce|present|take us through)",
)


def _attendee_named(text: str, attendees: list[Attendee]) -> Attendee | None:
    lowered = text.lower()
    for attendee in attendees:
        if any(re.search(r"\b" + re.escape(f.lower()) + r"\b", lowered) for f in _name_forms(attendee)):
            return attendee
    return None


def suggest_speakers(segments: list[dict], attendees: list[Attendee]) -> dict[str, str]:
    """A first guess at who each speaker label is, for the officer to confirm: the label that opens
    the meeting and calls the items is the chair; a person handed over to speaks next."""
    present = [a for a in attendees if a.present] or attendees
    votes: dict[str, Counter] = {}
    labels = [str(s.get("speaker", "")) for s in segments]
    for i, seg in enumerate(segments):
        label = labels[i]
        if not label:
            continue
        text = str(seg.get("text", ""))
        chair = next((a for a in present if a.role == "chair"), None)
        if chair and _CHAIR_CUES.search(text):
            votes.setdefault(label, Counter())[chair.name] += 1
        match = _INTRODUCES.search(text)
        named = _attendee_named(match.group("a") or match.group("b"), present) if match else None
        if named:
            following = next(
                (labels[j] for j in range(i + 1, len(segments)) if labels[j] and labels[j] != label), ""
            )
            if following:
                votes.setdefault(following, Counter())[named.name] += 2
    pairs = sorted(
        ((count, label, name) for label, counter in votes.items() for name, count in counter.items()),
        reverse=True,
    )
    out: dict[str, str] = {}
    taken: set[str] = set()
    for _count, label, name in pairs:
        if label not in out and name not in taken:
            out[label] = name
            taken.add(name)
    return out
