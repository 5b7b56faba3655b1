"""What callers to this council talk about, taken from the service catalogue (never from test calls).

Two uses, both measured in ``benchmarks/voice.py`` on its tuning split only:

- ``prompt()``: the words Whisper is primed with (its ``initial_prompt``), so "pothole" and
  "fly-tipping" come out as the council writes them;
- ``correct(text)``: a light pass that maps a near miss heard down a phone line ("pot hole",
  "street lie", "lamb post") back onto a catalogue term or a safety word. It only rewrites runs of
  words that sound close to a term and are not ordinary words themselves, so a correct transcript is
  left alone.

The safety words come from triage's urgency rules (``triage.urgency``), so a misheard "gas" or
"carbon monoxide" still raises its flag.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from dataclasses import dataclass

from residenthub.speech.soundalike import keys_near, sound_key

# Safety vocabulary: the key nouns of triage's urgent rules (triage/urgency.py), which callers must
# never lose to a mishearing.
SAFETY_TERMS = (
    "gas",
    "smell of gas",
    "gas leak",
    "carbon monoxide",
    "flooding",
    "flooded",
    "on fire",
    "disabled",
    "wheelchair",
    "dementia",
    "collapsed",
    "suicide",
    "overdose",
    "domestic abuse",
    "homeless",
    "eviction",
    "safeguarding",
    "vulnerable",
    "elderly",
    "emergency",
)
# Leading verbs of service names ("Report a pothole" -> "pothole").
_VERB = re.compile(
    r"^(?:report|book|apply for|make|give|join|borrow|challenge|request)\s+(?:an?\s+|the\s+)?", re.I
)
_WORD = re.compile(r"[a-z0-9']+")
CACHE_SECONDS = 300
PROMPT_MAX_WORDS = 90  # Whisper reads at most 223 prompt tokens; a long prompt also invites echoes
# After the catalogue, the words of an urgent or vulnerable call (ADR 0156): on the tuning calls
# (clean, 190 script utterances) urgent calls caught 0.789 -> 0.832 and word error rate 0.351 -> 0.328,
# one more false alarm in 95 calm calls. About 35 tokens, so catalogue + these stay under 223.
PROMPT_URGENT = (
    "Or an emergency: smell of gas, carbon monoxide, flooded, collapsed, fallen, disabled, wheelchair, "
    "dementia, carer, pregnant, domestic abuse, knife, suicide, nowhere to sleep."
)


def topic(name: str) -> str:
    """ "Report a street light fault" -> "street light fault"; "Council tax - apply..." -> "Council tax"."""
    name = _VERB.sub("", name.strip())
    return name.split(" - ")[0].split(" (")[0].strip()


@dataclass(frozen=True)
class Vocabulary:
    topics: tuple[str, ...]  # one per active service, in catalogue order
    terms: tuple[str, ...]  # topics, keywords and safety words, lower case, unique

    @functools.cached_property
    def index(self) -> dict[str, list[tuple[str, str, int]]]:
        """(term, sound key, words) by the key's first letter: the correction pass compares a heard
        run only with terms that start with the same sound."""
        found: dict[str, list[tuple[str, str, int]]] = {}
        for term in self.terms:
            key = sound_key(term)
            if len(key) >= 4:
                found.setdefault(key[0], []).append((term, key, len(term.split())))
        return found

    def prompt(self) -> str:
        words: list[str] = []
        for item in self.topics:
            if len(words) + len(item.split()) > PROMPT_MAX_WORDS:
                break
            words.append(item)
        return "Calls to the council about: " + ", ".join(words) + ". " + PROMPT_URGENT


def build(services) -> Vocabulary:
    """From (name, keywords) pairs; ``services`` is any iterable of objects with ``name`` and
    ``keywords`` (Service rows) or of (name, keywords) tuples."""
    topics: list[str] = []
    terms: dict[str, None] = {}
    for service in services:
        name, keywords = service if isinstance(service, tuple) else (service.name, service.keywords)
        subject = topic(name)
        if subject.lower() not in (t.lower() for t in topics):
            topics.append(subject)
        for term in (subject, *(keywords or ())):
            terms.setdefault(term.lower().strip(), None)
    for term in SAFETY_TERMS:
        terms.setdefault(term, None)
    return Vocabulary(tuple(topics), tuple(t for t in terms if t))


_cached: tuple[float, Vocabulary] | None = None
_lock = threading.Lock()


def current() -> Vocabulary:
    """The live catalogue's vocabulary, re-read at most every five minutes."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > CACHE_SECONDS:
            from residenthub.services.models import Service

            rows = Service.objects.filter(active=True).order_by("position", "name").only("name", "keywords")
            _cached = (time.monotonic(), build(list(rows)))
        return _cached[1]


def forget() -> None:
    """Drop the cached vocabulary (after the catalogue is reloaded; tests)."""
    global _cached
    with _lock:
        _cached = None


def prompt() -> str:
    return current().prompt()


# --- Correction ------------------------------------------------------------------------------------

# Very common English words: never rewritten, never part of a rewritten run on their own.
COMMON = frozenset(
    """a about above after again all also am an and any are as at away back be because been before
    being below between both but by came can come could day did do does done down each even ever
    every few for from get go going gone good got had has have he her here him his how i if in into
    is it its just know last like live lives living look made make many may me might more most much
    must my near need never new next no not now of off on once one only or other our out over own
    put really right said same say see she should since so some still such take than that the their
    them then there these they thing think this those though through time to too two under up us
    very want was way we week well went were what when where which while who why will with would
    year yes yet you your street road lane close house home flat door outside front number""".split()  # noqa: SIM905
)


# A word heard alone that is itself an English word is left as heard ("please", "payment", "post", "free"):
# rewriting it onto a catalogue term ("place", "pavement", "pest", "fridge") broke more calls than it
# mended (ADR 0181). Runs of two or three words ("pot hole", "street lie") are still read.
PROTECT_WORDS = True


def _english(word: str) -> bool:
    """``word`` or its stem (plural, past tense, -ing) is in the English lexicon of spaCy's model, the
    word list the redaction's gazetteer reads (WordNet's lemmas and spaCy's stop words)."""
    from residenthub.foi.redaction.gazetteer import common_words

    known = common_words()
    word = word.strip("'").removesuffix("'s")
    stems = {word, word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-2] + "e"}
    return any(len(stem) >= 3 and stem in known for stem in stems) if known else False


def _inflection(word: str, term: str) -> bool:
    """ "disable" and "disabled", "light" and "lights": one word in two forms."""
    stem = word.rstrip("sde")
    return len(stem) >= 4 and term.startswith(stem) and " " not in term


def _close(heard: str, term: str, max_share: float) -> bool:
    return _near(sound_key(heard), sound_key(term), max_share)


def _near(a: str, b: str, max_share: float) -> bool:
    """Sound keys ``a`` (heard) and ``b`` (a term) within ``max_share`` of the term's length."""
    return keys_near(a, b, max_share, min_length=4)


def correct(text: str, vocabulary: Vocabulary | None = None, *, max_share: float = 0.25) -> str:
    """``text`` with near-miss runs of words replaced by the catalogue term they sound like.

    A run of 1-3 words is replaced only when it is not already a term, is not all common words,
    sounds like exactly one term (by the key above, within ``max_share`` of the term's length), and
    the term has as many or more words than the run minus one (no swallowing a sentence)."""
    vocabulary = vocabulary or current()
    term_set = set(vocabulary.terms)
    tokens = text.split()
    lowered = [re.sub(r"[^a-z0-9'-]", "", t.lower()) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        replaced = False
        for n in (3, 2, 1):
            run = lowered[i : i + n]
            if len(run) < n or not all(run):
                continue
            phrase = " ".join(run)
            if phrase in term_set or phrase.replace(" ", "-") in term_set:
                break  # already right
            if all(w in COMMON for w in run):
                continue
            if n == 1 and (len(run[0]) < 4 or run[0] in COMMON):
                continue
            heard = sound_key(phrase)
            candidates = vocabulary.index.get(heard[:1], [])
            matches = [
                (t, k) for t, k, size in candidates if abs(size - n) <= 1 and _near(heard, k, max_share)
            ]
            kept = n == 1 and PROTECT_WORDS and _english(run[0])
            if matches and kept and not _inflection(run[0], matches[0][0]):
                continue  # an English word heard is kept, unless the term is only another form of it
            if len({k for _t, k in matches}) == 1:  # one term, however it is spelt ("streetlight")
                trail = re.sub(r"^.*?([^\w'-]*)$", r"\1", tokens[i + n - 1])
                out.append(matches[0][0] + trail)
                i += n
                replaced = True
                break
        if not replaced:
            out.append(tokens[i])
            i += 1
    return " ".join(out)
