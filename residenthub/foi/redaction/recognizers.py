"""Our recognisers, registered in Presidio's AnalyzerEngine beside its spaCy NER (see ``detect.py``).

Each finds one family of personal data by shape and checksum, or by context; none downloads anything.
Names are the hard part: ``HubNameRecognizer`` adds to the model's PERSON entities the names in the places
letters put them (titles, "Dear", sign-offs, relations), runs of name-shaped words where a first name from
the gazetteer leads or a surname closes, and a line holding nothing but a name.
"""

from __future__ import annotations

import ipaddress
import re

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult

from . import gazetteer, organisations
from .entities import (  # noqa: F401  (the names are part of this module's interface)
    ACCOUNT,
    ADDRESS,
    AGE,
    CARD,
    DATE,
    DOB,
    DRIVING_LICENCE,
    EMAIL,
    IBAN,
    IP,
    NHS_NUMBER,
    NI_NUMBER,
    PASSPORT,
    PERSON,
    PHONE,
    POSTCODE,
    SORT_CODE,
    URL,
    VEHICLE,
)


def _char_class(test) -> str:
    chars = "".join(chr(c) for c in range(0x41, 0x2000) if test(chr(c)) and chr(c) not in "]\\^-")
    return "[" + chars + "]"


# Upper- and lower-case letters of the Latin, Greek and Cyrillic scripts (re has no \p{Lu}).
UP = _char_class(str.isupper)
LO = _char_class(str.islower)
LETTER = UP[:-1] + LO[1:]


def _result(kind: str, start: int, end: int, score: float, source: str) -> RecognizerResult:
    return RecognizerResult(kind, start, end, score, recognition_metadata={"recognizer_name": source})


def _context(text: str, start: int, end: int, pattern: re.Pattern, before: int = 40, after: int = 10) -> bool:
    window = text[max(0, start - before) : start] + " " + text[end : end + after]
    return bool(pattern.search(window))


# --- checksums -------------------------------------------------------------------------------------------
def nhs_checksum_ok(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    value = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", value):
        return False
    moved = value[4:] + value[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


# --- UK identifiers ------------------------------------------------------------------------------------
_NHS = re.compile(r"(?<![\w-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\w-])")
_NINO = re.compile(
    r"(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([A-D])"
    r"(?![A-Za-z0-9])",
    re.I,
)
# The NI number's written shape in capitals, whatever its prefix ("QQ 12 34 56 C", "TN 23 90 17 C"): a
# mistyped or unallocated number is still the one the form holds (issue 13, session 22).
_NINO_SHAPE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2} \d{2} \d{2} \d{2} [A-D](?![A-Za-z0-9])")
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(GIR ?0AA|(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)) ?\d[ABD-HJLNP-UW-Z]{2})"  # noqa: E501
    r"(?![A-Za-z0-9])"
)
# The same shape in any case ("sw1a 1aa"), taken only where the writer says it is a postcode: in lower
# case the shape alone also fits ordinary tokens such as "m1 1am".
_POSTCODE_ANY_CASE = re.compile(_POSTCODE.pattern, re.I)
_POSTCODE_CONTEXT = re.compile(r"post ?code|\bpc\b|\bzip\b", re.I)
_SORT_CODE = re.compile(r"(?<![\d-])(\d{2})[- ](\d{2})[- ](\d{2})(?![\d-])")
_SORT_CONTEXT = re.compile(r"sort[ -]?code|\bsort\b|\bbank\b|\baccount\b", re.I)
_ACCOUNT = re.compile(r"(?<![\d-])(\d{8})(?![\d-])")
_ACCOUNT_CONTEXT = re.compile(r"\baccount\b|\ba/c\b|\bacc(?:ount)?\.? no\b|\bacct?\b|\bbank\b", re.I)
# A sort code and an account number written together: "20-11-88 / 73904412", "40-11-62 71203398".
_SORT_AND_ACCOUNT = re.compile(r"(?<![\d-])(\d{2}-\d{2}-\d{2})[ \t]*[/,]?[ \t]*(\d{8})(?![\d-])")
_VEHICLE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-HJ-PR-Y][A-HJ-PR-Y]\d{2} ?[A-HJ-PR-Z]{3}|[A-HJ-NP-Y]\d{1,3} ?[A-HJ-PR-Y]{3})(?![A-Za-z0-9])"  # noqa: E501
)
_VEHICLE_CONTEXT = re.compile(
    r"vehicle|registration|\breg\b|\bcar\b|\bvan\b|number plate|\bVRM\b|parked|\bPCN\b", re.I
)
_PASSPORT = re.compile(r"(?<![\w-])(\d{9})(?![\w-])")
_PASSPORT_CONTEXT = re.compile(r"passport", re.I)
_LICENCE = re.compile(r"(?<![A-Za-z0-9])([A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2})(?:\s?\d{2})?(?![A-Za-z0-9])")


def _licence_ok(value: str) -> bool:
    digits = value[5:11]
    month = int(digits[1:3])
    day = int(digits[3:5])
    return (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31


class HubUkIdentifierRecognizer(EntityRecognizer):
    """NHS number (mod 11), NI number, postcode, sort code and account (next to bank words), vehicle
    registration, passport (next to "passport"), DVLA driving licence."""

    ENTITIES = [NHS_NUMBER, NI_NUMBER, POSTCODE, SORT_CODE, ACCOUNT, VEHICLE, PASSPORT, DRIVING_LICENCE]

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name="HubUkIdentifierRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        out = []
        name = self.name
        for m in _NHS.finditer(text):
            if nhs_checksum_ok("".join(m.groups())):
                out.append(_result(NHS_NUMBER, m.start(), m.end(), 1.0, name))
        for m in _NINO.finditer(text):
            value = m.group(0)
            if value.isupper() or _context(
                text, m.start(), m.end(), re.compile(r"insurance|\bNI\b|NINO", re.I)
            ):
                out.append(_result(NI_NUMBER, m.start(), m.end(), 0.9, name))
        for m in _NINO_SHAPE.finditer(text):
            out.append(_result(NI_NUMBER, m.start(), m.end(), 0.7, name))
        for m in _POSTCODE.finditer(text):
            out.append(_result(POSTCODE, m.start(), m.end(), 0.85, name))
        for m in _POSTCODE_ANY_CASE.finditer(text):
            if not m.group(0).isupper() and _context(text, m.start(), m.end(), _POSTCODE_CONTEXT, before=25):
                out.append(_result(POSTCODE, m.start(), m.end(), 0.8, name))
        for m in _LICENCE.finditer(text):
            if _licence_ok(m.group(1)):
                out.append(_result(DRIVING_LICENCE, m.start(), m.end(), 0.9, name))
        for m in _PASSPORT.finditer(text):
            if _context(text, m.start(), m.end(), _PASSPORT_CONTEXT):
                out.append(_result(PASSPORT, m.start(), m.end(), 0.8, name))
        for m in _SORT_CODE.finditer(text):
            if _context(text, m.start(), m.end(), _SORT_CONTEXT, before=50):
                out.append(_result(SORT_CODE, m.start(), m.end(), 0.8, name))
        for m in _ACCOUNT.finditer(text):
            if _context(text, m.start(), m.end(), _ACCOUNT_CONTEXT, before=50):
                out.append(_result(ACCOUNT, m.start(), m.end(), 0.8, name))
        for m in _SORT_AND_ACCOUNT.finditer(text):
            out.append(_result(SORT_CODE, m.start(1), m.end(1), 0.7, name))
            out.append(_result(ACCOUNT, m.start(2), m.end(2), 0.7, name))
        for m in _VEHICLE.finditer(text):
            value = m.group(0)
            modern = value[0].isalpha() and value[1].isalpha()
            if modern or _context(text, m.start(), m.end(), _VEHICLE_CONTEXT, before=50):
                out.append(_result(VEHICLE, m.start(), m.end(), 0.7, name))
        return out


# --- payment cards, IBAN, IP, email, URL -----------------------------------------------------------------
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){11,18}\d(?![\d-])")
# Upper case, or all lower case as people type it ("my iban is gb29..."); a lower-case one must pass mod 97.
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){10,30}"
    r"|[a-z]{2}\d{2}(?:[a-z0-9]{10,30}|(?:[ -][a-z0-9]{4}){2,7}(?:[ -][a-z0-9]{1,3})?))(?![A-Za-z0-9])"
)
_CARD_GROUPS = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{5}")
_CARD_CONTEXT = re.compile(
    r"card|visa|master ?card|amex|american express|maestro|debit|credit|\bpan\b|\bcc\b", re.I
)
_IBAN_CONTEXT = re.compile(r"\biban\b|\bbic\b|swift|bank", re.I)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Fa-f:])")
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)
_PERSONAL_PATH = re.compile(
    r"/(?:~|@|u/|user/|users/|profile/|people/|person/|members?/|in/|author/)|[?&](?:user|name|email|id)=|"
    r"facebook\.com/|twitter\.com/|x\.com/|instagram\.com/|linkedin\.com/|tiktok\.com/",
    re.I,
)


class HubFinancialAndNetworkRecognizer(EntityRecognizer):
    """Payment cards (Luhn, 13-19 digits, spaced or dashed; 12-digit Maestro beside a card word), IBAN
    (mod 97; upper or lower case), IPv4/IPv6 (parsed), email, URLs whose path names a person (profiles,
    ~user, ?email=)."""

    ENTITIES = [CARD, IBAN, IP, EMAIL, URL]

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name="HubFinancialAndNetworkRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        out = []
        name = self.name
        for m in _CARD.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            if not 12 <= len(digits) <= 19:
                continue
            if len(digits) == 12:
                # Maestro numbers can be 12 digits; so can many references, so only beside a card word
                if luhn_ok(digits) and _context(text, m.start(), m.end(), _CARD_CONTEXT, 40):
                    out.append(_result(CARD, m.start(), m.end(), 0.8, name))
                continue
            if digits[0] in "2345689" and luhn_ok(digits):
                out.append(_result(CARD, m.start(), m.end(), 1.0, name))
            elif _CARD_GROUPS.fullmatch(m.group(0)) or _context(text, m.start(), m.end(), _CARD_CONTEXT, 40):
                # a mistyped or made-up number written like a card is still redacted
                out.append(_result(CARD, m.start(), m.end(), 0.6, name))
        for m in _IBAN.finditer(text):
            value = m.group(0).rstrip(" -")
            if iban_ok(value):
                out.append(_result(IBAN, m.start(), m.start() + len(value), 1.0, name))
            elif value[0].isupper() and _context(text, m.start(), m.end(), _IBAN_CONTEXT, 30):
                out.append(_result(IBAN, m.start(), m.start() + len(value), 0.6, name))
        for m in _IPV4.finditer(text):
            try:
                ipaddress.IPv4Address(m.group(0))
            except ValueError:
                continue
            out.append(_result(IP, m.start(), m.end(), 0.9, name))
        for m in _IPV6.finditer(text):
            value = m.group(0)
            if value.count(":") < 2 or re.fullmatch(r"[\d:]+", value) and len(value) < 8:
                continue  # times such as 10:30:00
            try:
                ipaddress.IPv6Address(value)
            except ValueError:
                continue
            out.append(_result(IP, m.start(), m.end(), 0.9, name))
        for m in _EMAIL.finditer(text):
            out.append(_result(EMAIL, m.start(), m.end(), 1.0, name))
        for m in _URL.finditer(text):
            value = m.group(0).rstrip(".,;:")
            if _PERSONAL_PATH.search(value):
                out.append(_result(URL, m.start(), m.start() + len(value), 0.8, name))
        return out


# --- phone numbers ------------------------------------------------------------------------------------
_PHONE_CONTEXT = re.compile(
    r"phone|\btel\b|telephone|mobile|\bcell\b|\bcall\b|\bfax\b|contact|number|\bmob\b|\bph\b|whatsapp|text",
    re.I,
)
# A calendar date in numeric form (2024-06-01, 15/01/2025, 15.01.2025) has phone-like digit groups; it is
# a date, never a phone number (issue 13: the commonest false positive on the pii-anon development corpus).
_NUMERIC_DATE = re.compile(
    r"(?:(?:19|20)\d\d([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])([-/.])(?:0?[1-9]|1[0-2])\2(?:19|20)\d\d"
    r"|(?:0?[1-9]|1[0-2])([-/.])(?:0?[1-9]|[12]\d|3[01])\3(?:19|20)\d\d)"
)


def _is_numeric_date(raw: str) -> bool:
    return bool(_NUMERIC_DATE.fullmatch(raw.strip()))


_PHONE_SHAPE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().-]{6,20}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?!\w)")
# A case or file reference, not a phone: digits after a letter prefix and a hyphen ("FOI-2027-0412",
# "TA-5523-118"), or a year, a hyphen and a serial ("2027-1187"), as councils number their files.
_REFERENCE_PREFIX = re.compile(r"[A-Za-z]{1,10}[-/]$")
_YEAR_SERIAL = re.compile(r"(?:19|20)\d\d-\d{3,6}")


def _reference(text: str, start: int, raw: str) -> bool:
    return bool(_REFERENCE_PREFIX.search(text[max(0, start - 11) : start])) or bool(
        _YEAR_SERIAL.fullmatch(raw.strip())
    )


# Never a person's phone, valid or not (issue 13, session 22): digits run on from letters ("INC0048812",
# "GW24-01882", "Q4 2023/24"), a range of years ("(2018–2021)"), a number broken across lines ("ID
# 2209381" then "14/02" on the next), and the number an organisation gives as its own ("call us on 0300
# 555 0144").
_YEAR_RANGE = re.compile(r"\(?(?:19|20)\d\d[ \t]*[–—-][ \t]*(?:(?:19|20)\d\d|\d\d)\)?")
_ORGANISATION_NUMBER = re.compile(
    r"\b(?:call|ring|phone|contact|text)[ \t]+us(?:[ \t]+(?:on|at))?[ \t:]*\Z", re.I
)


_GLUED_REFERENCE = re.compile(
    r"(?<![A-Za-z])(?!(?i:tel|mob|mobile|phone|fax|ph|t|m|w|h)\b)[A-Za-z]{1,10}[-/]?\Z"
)


def _not_a_phone(text: str, start: int, raw: str) -> bool:
    return (
        bool(_GLUED_REFERENCE.search(text[max(0, start - 11) : start]))
        or bool(_YEAR_RANGE.fullmatch(raw.strip()))
        or "\n" in raw.strip()
        or bool(_ORGANISATION_NUMBER.search(text[max(0, start - 20) : start]))
    )


class HubPhoneRecognizer(EntityRecognizer):
    """UK and international numbers through libphonenumber (regions GB, then US, then any number written
    with a + or 00), and digit groups of phone length next to phone words."""

    ENTITIES = [PHONE]
    REGIONS = ("GB", "US")

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name="HubPhoneRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        out = []
        seen: list[tuple[int, int]] = []
        for region in self.REGIONS:
            for match in phonenumbers.PhoneNumberMatcher(
                text, region, leniency=phonenumbers.Leniency.POSSIBLE
            ):
                if any(s <= match.start < e for s, e in seen):
                    continue
                digits = re.sub(r"\D", "", match.raw_string)
                if len(digits) < 7:
                    continue
                valid = phonenumbers.is_valid_number(match.number)
                raw = match.raw_string
                shaped = bool(re.search(r"[\s().+-]", raw)) or raw.startswith(("0", "+"))
                if not shaped:  # a bare run of digits is an invoice or a reference more often than a phone
                    continue
                if "." in raw and not valid:  # version numbers, amounts
                    continue
                if _is_numeric_date(raw) or (not valid and _reference(text, match.start, raw)):
                    continue
                if _not_a_phone(text, match.start, raw):
                    continue
                if len(set(digits)) == 1:  # "0000000": a placeholder or a branch code's padding
                    continue
                score = 0.85 if valid else 0.6
                seen.append((match.start, match.end))
                out.append(_result(PHONE, match.start, match.end, score, self.name))
        for m in _PHONE_SHAPE.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in seen):
                continue
            digits = re.sub(r"\D", "", m.group(0))
            if (
                _is_numeric_date(m.group(0))
                or len(set(digits)) == 1
                or _reference(text, m.start(), m.group(0))
                or _not_a_phone(text, m.start(), m.group(0))
            ):
                continue
            if 7 <= len(digits) <= 15 and _context(text, m.start(), m.end(), _PHONE_CONTEXT, before=40):
                out.append(_result(PHONE, m.start(), m.end(), 0.5, self.name))
        return out


# --- dates ---------------------------------------------------------------------------------------------
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # noqa: E501
_DATE = re.compile(
    r"(?<![\d/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}[/-]\d{1,2}[/-]\d{1,2}|"
    r"\d{1,2}(?:st|nd|rd|th)?(?: of)? "
    + _MONTHS
    + r",? \d{4}|"
    + _MONTHS
    + r"\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})(?![\d/])",
    re.I,
)
_DOB_CONTEXT = re.compile(r"(?:\bd\.?o\.?b\b\.?|date of birth|\bborn\b|\bbirthday\b|\bbirth ?date\b)", re.I)
_PERSONAL_DATE_CONTEXT = re.compile(
    r"\b(?:born|birth|died|death|deceased|aged?|married|divorced|admitted|discharged|arrested|appointment|"
    r"visited|moved|tenancy|evicted|my|his|her|their|he|she|i)\b",
    re.I,
)


# A person's age, as case notes, forms and residents write it (ADR 0177): "aged 88", "aged 2, 5 and 8",
# "79 years old", "13yo", "14 y/o", "he's 4", "my nan (89)", "18/10/2008 (15 years)". A bare "3 years" is
# a duration ("waited 3 years"), never an age here; after a name, ``detect._ages_after_names`` reads
# "Dorothy Finch (90)", "Ryan Tolley, 24," and "Mr Wilfred Ansah 78yrs".
_RELATIVE = (
    r"(?i:mum|mom|mother|dad|father|nan|nana|gran|grandma|grandmother|grandad|grandfather|son|daughter|"
    r"brother|sister|husband|wife|partner|aunt|uncle|baby|child|boy|girl)"
)
_AGE = re.compile(
    r"\b(?:aged|age of|age)[ \t]+(?P<list>\d{1,3}(?:(?:,[ \t]+|[ \t]+and[ \t]+)\d{1,3})*)(?![\d%,.]\d|[\d%])"
    r"|(?<![\d£$€.,:/-])\b(?P<unit>\d{1,3})[ \t-]?(?:years?[ -]old|yrs?[ -]old|y\.o\.|y/o|yo)(?![\w/])"
    r"|\bturned[ \t]+(?P<turned>\d{1,3})(?=[ \t]*(?:[;)!]|[,.](?!\d)|$|years|this|last|in\b|on\b))"
    r"|\b(?:(?i:he|she)(?:'s|’s|[ \t]+is)|(?:[A-Z][a-z]+|" + _RELATIVE + r"|grandson|granddaughter)[ \t]+is)"
    r"[ \t]+(?P<bare>\d{1,2})"
    r"(?=[ \t]*(?:[;)!]|[,.](?!\d)|and\b|$))",
    re.MULTILINE,
)
AGE_IN_BRACKETS = r"\((?P<age>\d{1,3})(?:[ \t]*(?:years?|yrs?))?\)"
# A number in brackets after a relation or a date: "my nan (89)", "DOB: 18/10/2008 (15 years)".
_AGE_BRACKETED = re.compile(r"(?:\b" + _RELATIVE + r"|\d{4})[ \t]*" + AGE_IN_BRACKETS)


def ages(text: str) -> list[tuple[int, int]]:
    """Spans of people's ages, the numbers only, as the field marks them ("a 79 year old": "79"); not
    amounts, times or durations."""
    out = []
    for m in _AGE.finditer(text):
        group = next(g for g in ("list", "unit", "turned", "bare") if m.group(g))
        out.append((m.start(group), m.end(group)))
    for m in _AGE_BRACKETED.finditer(text):
        if 0 < int(m.group("age")) <= 110:
            out.append((m.start("age"), m.end("age")))
    return out


class HubPersonalDateRecognizer(EntityRecognizer):
    """A date next to "date of birth"/"born" is a date of birth; a full date next to words about a person
    (died, admitted, married, his/her/my...) is personal; other dates (meetings, invoices) are not flagged.
    A person's age is personal too ("aged 88", "Dorothy Finch (90)")."""

    ENTITIES = [DOB, DATE, AGE]

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name="HubPersonalDateRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        out = []
        for m in _DATE.finditer(text):
            if _context(text, m.start(), m.end(), _DOB_CONTEXT, before=30, after=0):
                out.append(_result(DOB, m.start(), m.end(), 0.9, self.name))
            elif _context(text, m.start(), m.end(), _PERSONAL_DATE_CONTEXT, before=50, after=10):
                out.append(_result(DATE, m.start(), m.end(), 0.5, self.name))
        out += [_result(AGE, a, b, 0.6, self.name) for a, b in ages(text)]
        return out


# --- addresses -----------------------------------------------------------------------------------------
# UK street words, the USPS street suffixes (Publication 28, appendix C) and their abbreviations.
_STREET_WORDS = (
    "Road|Rd|Street|St|Avenue|Ave|Av|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Place|Pl|Crescent|Cres|Grove|Gardens|"
    "Gdns|Terrace|Hill|Park|Square|Sq|Walk|Mews|Rise|Row|Parade|Green|View|Vale|Yard|Wharf|Gate|Boulevard|Blvd|"
    "Highway|Hwy|Parkway|Pkwy|Circle|Cir|Trail|Trl|Pike|Loop|Alley|Aly|Run|Path|Pass|Plaza|Plz|Point|Pt|Ridge|"
    "Rdg|Heights|Hts|Crossing|Xing|Estate|Estates|Embankment|Broadway|Causeway|Chase|Croft|Fields|Meadow|"
    "Meadows|Orchard|Passage|Quay|Route|Rte|Branch|Bridge|Brg|Brook|Brooks|Burg|Bypass|Camp|Canyon|Cape|"
    "Center|Centre|Ctr|Cliff|Cliffs|Club|Common|Corner|Corners|Course|Courts|Cove|Coves|Creek|Crk|Crest|Curve|"
    "Dale|Dam|Divide|Expressway|Expy|Extension|Ext|Fall|Falls|Ferry|Field|Flat|Flats|Ford|Fords|Forest|Forge|"
    "Fork|Forks|Fort|Ft|Freeway|Fwy|Garden|Gateway|Glen|Glens|Greens|Grv|Harbor|Harbour|Hbr|Haven|Hollow|"
    "Inlet|Island|Islands|Isle|Junction|Jct|Key|Keys|Knoll|Knolls|Lake|Lakes|Land|Landing|Light|Lights|Loaf|"
    "Lock|Locks|Lodge|Mall|Manor|Manors|Mill|Mills|Mission|Motorway|Mount|Mt|Mountain|Mtn|Neck|Oval|Overpass|"
    "Pine|Pines|Plain|Plains|Port|Prairie|Radial|Ramp|Ranch|Rapid|Rapids|Rest|River|Rv|Roads|Shoal|Shoals|"
    "Shore|Shores|Skyway|Spring|Springs|Spur|Squares|Station|Sta|Stravenue|Stream|Streets|Summit|Smt|Trace|"
    "Track|Trafficway|Trailer|Tunnel|Turnpike|Tpke|Underpass|Union|Valley|Vly|Via|Viaduct|Village|Vlg|Ville|"
    "Vista|Vis|Wall|Ways|Well|Wells|Strasse|Straße|Str|Weg|Gasse|Platz|Allee|Straat|Laan|Vej|Gade|Gatan|"
    "Vägen|Katu|Tie"
)
_LEAD_STREET = (
    r"(?:Rue|Via|Viale|Vicolo|Corso|Calle|Carrer|Avenida|Avda\.?|Av\.|Rua|Travessa|Paseo|Piazza|Plaza|Praça|"
    r"Boulevard|Bd\.?|Chemin|Allée|Impasse|Place|Ulica|ul\.|Aleja|al\.|Strada|Str\.|Sokak|Cadde(?:si)?|Jalan|Jl\.|"
    r"Viaducto|Calzada|Circuito|Privada|Periférico|Eje|Retorno|Cerrada|Andador|Prolongación|Callejón|Camino|"
    r"Carretera|Aleea|Calea|Bulevardul|Splaiul|Intrarea|Largo|Alameda|Estrada|Rodovia|Vila|Beco)"
)
_SUFFIX_STREET = (
    r"(?:strasse|straße|str\.|weg|gasse|platz|allee|ring|damm|ufer|straat|laan|gracht|plein|steeg|vej|gade|gata|"
    r"gatan|vägen|veien|gate|katu|tie|polku|kuja|utca|út|ulice|iela|gatvė|tänav|sokak|caddesi)"
)
_CAP = UP + r"[\w'’.-]*"
_NUM = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
_UNIT = r"(?:,?[ \t]*(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.?|Room|Bldg\.?|Building|#|No\.?)[ \t]*[\w-]+)"  # noqa: E501
_ZIPISH = r"(?:[AC-FHKNPRTV-Y]\d{2} [0-9AC-FHKNPRTV-Y]{4}|\([A-Z]{2}\)|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{4} ?[A-Z]{2}(?![a-z])|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{3}[ -]?\d{2}|\d{2}-\d{3}|\d{4,6}(?:-\d{3,4})?|[A-Z]{1,3}-\d{4,5})"  # noqa: E501
_STOP = r"(?!(?:The|This|That|We|I|It|He|She|They|Our|Your|Please|Thank|Thanks|Dear|If|And|But|Or|On|In|At|For|To|From|Tel|Phone|Email|Mobile)\b)"  # noqa: E501
_PLACE = rf"(?:{_ZIPISH}|{_STOP}{_CAP}|(?:de|del|la|las|los|da|do|dos|das|di)(?=[ \t]+{UP}))"
_SEP = r"(?:,[ \t]*|[ \t]*\n[ \t]*,?[ \t]*|[ \t]+-[ \t]+|[ \t]*/[ \t]*)"
_UNIT_PART = r"(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Room)[ \t]*\d[\w-]*"
_TAIL = rf"(?:{_SEP}(?:{_UNIT_PART}|{_PLACE}(?:[ \t]+{_PLACE}){{0,3}})){{0,5}}"
_ADDRESS = re.compile(
    rf"(?:(?i:Flat|Apartment|Apt\.?|Unit|Suite|Room)[ \t]+\d+[A-Za-z]?,?[ \t]+)?(?<![\w£$€.,]){_NUM},?[ \t]+"
    rf"(?:(?:{_CAP}|of|the|de|la|du|von|van)[ \t]+){{0,4}}"
    rf"(?:{_STREET_WORDS})\b\.?{_UNIT}?{_TAIL}"
)
_ADDRESS_FOREIGN = re.compile(
    rf"(?:(?<![\w£$€.,]){_NUM}[ \t]+)?(?<![\w])(?:"
    rf"(?i:{_LEAD_STREET})[ \t]+(?:{_CAP}|de|del|la|da|do|dos|das|des|di|du)(?:[ \t]+(?:{_CAP}|de|del|la|da|do|dos|das|des|di|du)){{0,4}},?[ \t]+{_NUM}"  # noqa: E501
    rf"|{_CAP}(?i:{_SUFFIX_STREET})[ \t]+{_NUM})"
    rf"{_UNIT}?{_TAIL}"
)
# A number and capitalised words, then a town and a postcode or ZIP: "12 Koningin Julianaplein, 2595 AA Den Haag".  # noqa: E501
_ADDRESS_GENERIC = re.compile(
    rf"(?<![\w£$€.,]){_NUM},?[ \t]+(?!(?i:{_MONTHS})\b){_STOP}{_CAP}(?:[ \t]+{_CAP}){{0,4}}{_UNIT}?"
    rf"(?P<tail>{_TAIL})"
)
# A street then its number, then a postcode and town: "Trädgårdsstigen 794\n26720 Västerås", "Viaducto Sur 159".  # noqa: E501
_ADDRESS_CONTINENTAL = re.compile(
    rf"(?<![\w]){_STOP}{_CAP}(?:[ \t]+(?:{_CAP}|de|del|la|las|los|da|do|dos|das|di|du|van|von|der|den|am|an|im"  # noqa: E501
    rf"|utca|út|tér|u\.|körút|ulica|aleja|al\.|strada|calea|bulevardul|sokak|caddesi|vej|gade|gate|veien|väg|vägen"
    rf"|gatan|katu|tie)){{0,3}},?[ \t]+{_NUM}\.?{_UNIT}?(?P<tail>{_TAIL})"
)
# A number, then a street word in lower case: "44, rue Adam", "12 calle de la Montaña".
_ADDRESS_LOWER_LEAD = re.compile(
    rf"(?<![\w£$€.,]){_NUM},?[ \t]+(?:rue|avenue|boulevard|bd|chemin|allée|impasse|place|quai|route|calle|via|viale|"  # noqa: E501
    rf"rua|avenida|travessa|ulica|ul\.)[ \t]+(?:(?:{_CAP}|de|del|la|las|los|da|do|dos|das|des|di|du|d['’]\w+)[ \t]*){{1,5}}"  # noqa: E501
    rf"{_UNIT}?{_TAIL}"
)
# A house number and a street written all in lower case, as people type them in a message ("from 18b albion
# st", "outside 9 harcourt rd"): the street word must close it, and the first word must not be one that
# starts ordinary phrases ("at 10 the street was closed").
_ADDRESS_LOWER = re.compile(
    r"(?:(?:flat|room|unit)[ \t]+\d{1,4}[a-z]?,?[ \t]+)?(?<![\w£$€.,])\d{1,4}[a-z]?[ \t]+"
    r"(?!(?:the|a|an|of|on|in|at|to|for|and|or|my|our|your|their|his|her|"
    r"this|that|these|those|every|each|more|other|different|same|main|side|back|new|old|miles?|km|metres?|"
    r"meters?|yards?|feet|minutes?|mins?|hours?|days?|weeks?|years?|times?)\b)(?:[a-z][a-z'-]+[ \t]+){1,2}"
    r"(?:st|rd|road|street|ave|avenue|lane|ln|close|drive|dr|way|gardens|gdns|terrace|tce|crescent|cres|"
    r"court|ct|place|pl|grove|mews|hill|row|walk|square|sq)\b(?![ \t]*(?:is|was|were|are)\b)\.?"
    r"(?:,[ \t]*[a-z]+\b(?:[ \t]+[a-z]+\b)?,?[ \t]+[a-z]{1,2}\d[a-z\d]?[ \t]*\d[a-z]{2}\b)?"  # town, postcode
)
# A house number, a street and its number, then a flat or suite: "9721 Dalmatinova 43 Apt. 678". The flat or
# suite word is what makes a number-word-number run an address; the town after it on the same line is taken
# by _extend.
_ADDRESS_NUMBER_UNIT = re.compile(
    rf"(?<![\w£$€.,]){_NUM}[ \t]+(?!(?i:{_MONTHS})\b){UP}[\w'’.-]*"
    rf"(?:[ \t]+(?!(?i:{_MONTHS})\b)[^\W\d_][\w'’.-]*){{0,3}}"
    rf"[ \t]+{_NUM}\.?,?[ \t]+(?i:apt\.?|apartment|suite|ste\.?|unit|flat)[ \t]*\d[\w-]*(?![\w])"
)
# A block of short lines, one of them with a number: the address block of a letter or a form.
_BLOCK_TOKEN = (
    rf"(?:{_PLACE}|{_NUM}\.?|(?i:apt\.?|suite|unit|flat|no\.?|\#)|de|la|da|do|del|di|du|van|von|der)"
)
_BLOCK_LINE = rf"[ \t]*,?[ \t]*{_BLOCK_TOKEN}(?:[ \t,]+{_BLOCK_TOKEN}){{0,5}}[ \t,]*"
_BLOCK_STREET = re.compile(
    rf"(?m)^[ \t,]*\d{{1,5}}[A-Za-z]?,?[ \t]+{_CAP}|\b(?:{_STREET_WORDS})\b|{_CAP}(?i:{_SUFFIX_STREET})\b"
)
_BLOCK_POST = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{5}(?:-\d{4})?|\d{3}[ -]\d{2}|\d{4} ?[A-Z]{2}|\d{2}-\d{3}"  # noqa: E501
    r"|[A-Z]\d[A-Z] ?\d[A-Z]\d)(?![\w-])|,[ \t]*[A-Z]{2}\b"
)
_ADDRESS_BLOCK = re.compile(rf"(?m)^(?:{_BLOCK_LINE}\n){{2,5}}{_BLOCK_LINE}$")
_PO_BOX = re.compile(
    rf"\b(?:P\.?\s?O\.?\s?Box|Postbox|Postfach|Apartado|Caixa Postal)[ \t]+\d{{1,6}}{_TAIL}", re.I
)
# US military post: "Unit 4719 Box 7394 / DPO AP 70942", "USNS Møller / FPO AA 85844".
_MILITARY = re.compile(
    r"(?i:\b(?:unit[ \t]+\d{4}[ \t]+box[ \t]+\d{4}|(?:usns|usnv|uss|usc?gc)[ \t]+[\w'’-]+(?:[ \t]+[\w'’-]+)?)"
    r",?[ \t]*\n?[ \t]*(?:dpo|fpo|apo)[ \t]+(?:aa|ae|ap)[ \t]+\d{5})"
)
# What follows an address on the next lines of an address block: a flat or suite, a town, a region and a
# postcode, a country ("> " and similar quote marks of a forwarded email are allowed before them).
_NEXT_LINE = re.compile(
    rf"[ \t]*,?[ \t]*\n(?:[ \t]*\n)?[ \t>?*|]*,?[ \t]*"
    rf"(?P<part>(?:(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Room|Bldg\.?|Building)[ \t]*[\w-]+"
    rf"|(?:{_PLACE})(?:[ \t,]+(?:{_PLACE}|\((?:{_CAP}|[A-Z]+)\))){{0,4}}))[ \t,.]*(?=\n|$)"
)
# A town and a country on the same line after a flat or house number: "... Suite 215 NUNGATTA Australia".
_SAME_LINE_PLACE = re.compile(
    rf"(?:[ \t]+(?:(?:Apt\.?|Suite|Unit|Flat)[ \t]*\d[\w-]*|{_STOP}(?!(?i:{_MONTHS})\b){_CAP})){{1,4}}(?=[ \t]*(?:$|[\n,.;?!]|[ \t]{LO}))"  # noqa: E501
)
_LONE_NUMBER_BEFORE = re.compile(
    r"(?:^|(?<=[\s>:]))(?:\d{1,6}[ \t]+|(?:Apt\.?|Suite|Unit|Flat)[ \t]+\w+,?[ \t]+)$"
)
# After "lives at", "my address is", "send it to"... the words up to the end of the phrase are an address when
# they hold a house number and a capitalised or street word: "lives at 255 Præstevænget 15, København".
_ADDRESS_CUE = re.compile(
    r"(?i:\b(?:lives?|living|lived|resides?|resided|residing|located|situated|moved|moving|relocated)"
    r"[ \t]+(?:at|on|in|to)|\baddress(?:[ \t]+(?:is|was|will[ \t]+be))?[ \t]*(?::|-)?"
    r"|\b(?:send|sent|deliver|delivered|post|posted|mail|mailed|forward|forwarded|return|returned|ship|shipped)"
    r"\b[^.\n]{0,30}?\bto|\bmeet[ \t]+(?:me|you|us)[ \t]+at|\b(?:is|are|was|were)[ \t]+(?:located[ \t]+)?(?:at|on)"  # noqa: E501
    r"(?=[ \t]+\d))[ \t]*\n?[ \t]*"
)
# "the corner of 3744 Retreat Avenue and Władysława Route"
_CORNER = re.compile(
    rf"\b(?i:the[ \t]+)?(?i:corner[ \t]+of)[ \t]+(?:{_NUM}[ \t]+)?(?:(?:{_CAP}|ul\.|u\.|de|la|del|dei|di|van|ten)[ \t]+)*"  # noqa: E501
    rf"(?:{_CAP}|{_NUM}\.?)(?:[ \t]+(?:{_CAP}|{_NUM}\.?|(?i:str|st)\.?))*[ \t]+and[ \t]+(?:{_CAP}|ten|van|de)"
    rf"(?:[ \t]+(?:{_CAP}|ten|van|de)){{0,3}}"
)
_SEG_TOKEN = (
    rf"(?:\d{{1,6}}[A-Za-z]?(?:[-/]\d{{1,5}})?\.?|{_CAP}|(?i:apt\.?|suite|unit|flat|no\.?|u\.|ul\.|str\.?|st\.)"
    rf"|de|del|dei|della|la|las|los|da|do|dos|das|di|du|van|von|der|den|ter|le|y|{LO}+(?i:{_SUFFIX_STREET}))(?![\w])"
)
_SEGMENT = re.compile(rf"{_SEG_TOKEN}(?:(?:[ \t]+|,[ \t]*|[ \t]*\n[ \t>]*){_SEG_TOKEN}){{1,12}}")
_MONTH_WORD = re.compile(r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_TAIL_HAS_POSTCODE = re.compile(rf"(?<![\w-]){_ZIPISH}(?![\w-])|,[ \t]*[A-Z]{{2}}\b")


# Quote marks of a forwarded or replied email at the start of a line ("> ", ">> "), and "???" where a
# character was lost in conversion. Not list bullets: each bulleted line is its own item.
_LINE_MARKS = re.compile(r"(?m)^[ \t]*(?:(?:>[ \t]?)+|\?{3})(?=[ \t]|$)")


# A line that is only a date: "3 Feb", "21 February 2026", "Feb 3".
_DATE_LINE = re.compile(
    rf"\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTHS}\.?(?:[ \t]+\d{{4}})?"
    rf"|{_MONTHS}\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ \t]+\d{{4}})?",
    re.I,
)
# A full UK postcode closing a line, and what may still follow it on the next line: only the country.
_UK_POSTCODE_LINE_END = re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}[ \t,.]*(?=\n)")
_UK_COUNTRY_LINE = re.compile(
    r"[ \t>]*(?i:united[ \t]+kingdom|uk|u\.k\.|great[ \t]+britain|gb|england|scotland|wales"
    r"|northern[ \t]+ireland)"
    r"[ \t,.]*(?=\n|$)"
)


def _before_date_line(value: str) -> str:
    """The lines of a run before the first line that is only a date (a table's next row starts there)."""
    offset = 0
    for row in value.split("\n"):
        if _DATE_LINE.fullmatch(row.strip(" \t,.>")):
            return value[:offset]
        offset += len(row) + 1
    return value


def _end_at_uk_postcode(text: str, res: RecognizerResult) -> RecognizerResult:
    """A UK address ends with its postcode: a following line is the country or not the address at all (the
    next cell of a table, "Yours sincerely"). Lines before the postcode are untouched."""
    for m in _UK_POSTCODE_LINE_END.finditer(text, res.start, res.end):
        country = _UK_COUNTRY_LINE.match(text, m.end() + 1)
        if country and country.end() >= res.end:
            break
        if not country:
            res.end = m.start() + len(m.group(0).rstrip(" \t,."))
            break
    return res


class HubAddressRecognizer(EntityRecognizer):
    """Street addresses: a house number, up to four words and a street word (UK, US, Commonwealth, German,
    Dutch, Nordic...), or a street then its number (Rue, Via, Calle, -straße, -katu...), with the flat or
    suite and the town, region, postcode and country that follow on the same or the next lines."""

    ENTITIES = [ADDRESS]

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name="HubAddressRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        # Read through the quote marks of a forwarded email ("> 12 Mill Lane") and bullets at line starts;
        # blanking them keeps every offset, so the spans still point into the original text.
        original, text = text, _LINE_MARKS.sub(lambda m: " " * len(m.group(0)), text)
        out = []
        for pattern in (
            _ADDRESS,
            _ADDRESS_FOREIGN,
            _PO_BOX,
            _ADDRESS_LOWER_LEAD,
            _ADDRESS_NUMBER_UNIT,
            _ADDRESS_LOWER,
        ):
            for m in pattern.finditer(text):
                value = m.group(0).rstrip(" ,.-\n\t")
                out.append(_result(ADDRESS, m.start(), m.start() + len(value), 0.7, self.name))
        for m in _ADDRESS_BLOCK.finditer(text):
            block = m.group(0)
            lines = [line for line in block.split("\n") if line.strip(" \t,")]
            if (
                len(lines) >= 3
                and len(block.split()) <= 16
                and _BLOCK_STREET.search(block)
                and _BLOCK_POST.search(block)
            ):
                start = m.start() + (len(block) - len(block.lstrip(" \t,\n")))
                rows = block.strip(" \t,\n").split("\n")
                # A date line ("3 Feb", a letter's date, a table's date column) ends whatever was above it:
                # the address starts below it.
                dated = [i for i, row in enumerate(rows) if _DATE_LINE.fullmatch(row.strip(" \t,."))]
                if dated:
                    for row in rows[: dated[-1] + 1]:
                        start += len(row) + 1
                    rows = rows[dated[-1] + 1 :]
                    if len(rows) < 2 or not _BLOCK_STREET.search("\n".join(rows)):
                        continue
                # A sender's name line above the recipient's block ("Demo Borough Council") is not theirs.
                while len(rows) > 2 and organisations.is_organisation_line(rows[0]):
                    start += len(rows.pop(0)) + 1
                value = "\n".join(rows)
                lead = len(value) - len(value.lstrip(" \t,"))
                start, value = start + lead, value[lead:]
                out.append(_result(ADDRESS, start, start + len(value), 0.5, self.name))
        for m in [*_ADDRESS_GENERIC.finditer(text), *_ADDRESS_CONTINENTAL.finditer(text)]:
            tail = m.group("tail")
            parts = tail.count("\n") + tail.count(",")
            postcode = any(not _YEAR.fullmatch(p.group(0)) for p in _TAIL_HAS_POSTCODE.finditer(tail))
            if parts >= 2 or (parts >= 1 and postcode):
                value = m.group(0).rstrip(" ,.-\n\t")
                out.append(_result(ADDRESS, m.start(), m.start() + len(value), 0.55, self.name))
        for m in _CORNER.finditer(text):
            out.append(_result(ADDRESS, m.start(), m.end(), 0.55, self.name))
        for m in _MILITARY.finditer(text):
            out.append(_result(ADDRESS, m.start(), m.end(), 0.7, self.name))
        for cue in _ADDRESS_CUE.finditer(text):
            m = _SEGMENT.match(text, cue.end())
            if m is None:
                continue
            value = m.group(0)
            stop = re.search(rf"(?:(?<=\d)|(?<=[a-z]{{3}}))\.(?=[ \t]+{UP})", value)  # a sentence ends
            value = (value[: stop.start()] if stop else value).rstrip(" ,.-\n\t>")
            value = _before_date_line(value).rstrip(" ,.-\n\t>")
            if cue.group(0).strip().lower().startswith(("is", "are", "was", "were")) and not re.match(
                rf"\d{{1,6}}[A-Za-z]?[ \t]+(?:\d{{1,5}}[ \t]+)?{_CAP}", value
            ):
                continue
            words = re.findall(r"[^\W\d_][\w'’.-]*", value)
            numbers = re.findall(r"(?<![\w.])\d{1,6}[A-Za-z]?(?![\d])", value)
            lettered = [w for w in words if len(w) >= 3 and not _MONTH_WORD.fullmatch(w)]
            if numbers and lettered and not all(_YEAR.fullmatch(n) for n in numbers):
                out.append(_result(ADDRESS, m.start(), m.start() + len(value), 0.5, self.name))
        return [
            piece
            for res in out
            for piece in self._without_line_marks(
                original, _end_at_uk_postcode(original, self._extend(original, res))
            )
        ]

    def _without_line_marks(self, text: str, res: RecognizerResult) -> list[RecognizerResult]:
        """An address over several quoted lines, cut into one span a line, leaving out the "> " marks:
        they are the email's, not the address."""
        pieces, start = [], res.start
        for mark in _LINE_MARKS.finditer(text, res.start, res.end):
            if mark.start() > start:
                pieces.append((start, mark.start()))
            start = mark.end()
        pieces.append((start, res.end))
        if len(pieces) == 1:
            return [res]
        out = []
        for a, b in pieces:
            a += len(text[a:b]) - len(text[a:b].lstrip())
            b -= len(text[a:b]) - len(text[a:b].rstrip(" \t\n,"))
            if b > a:
                out.append(_result(ADDRESS, a, b, res.score, self.name))
        return out

    @staticmethod
    def _extend(text: str, res: RecognizerResult) -> RecognizerResult:
        """Take in a lone house number or flat just before the address, and the flat, town, postcode and
        country lines of the address block after it."""
        before = _LONE_NUMBER_BEFORE.search(text, max(0, res.start - 24), res.start)
        if before:
            res.start = before.start()
        if re.search(r"(?:\d|(?i:apt|suite|unit|flat)\.?[ \t]*\w+)$", text[max(0, res.start) : res.end]):
            after = _SAME_LINE_PLACE.match(text, res.end)
            if after:
                res.end = after.end()
        for _ in range(6):
            m = _NEXT_LINE.match(text, res.end)
            if m is None or m.group("part").strip() == "":
                break
            res.end = m.end("part")
        return res


# --- names ---------------------------------------------------------------------------------------------
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Revd|Cllr|Councillor)"
_TITLE_PREFIX = re.compile(r"^(?i:" + _TITLES + r")\.?\s+")
_WORD = rf"(?:Mc|Mac|O['’]|D['’])?{UP}{LO}+(?:[-'’]{UP}?{LO}+)?"
_UPPER = rf"{UP}{{2,}}(?:[-'’]{UP}{{2,}})?"
_INITIAL = r"[A-Z]\.?"
_NAME = rf"(?:{_INITIAL}[ \t])?(?:{_WORD}|{_UPPER})(?:[ \t](?:{_INITIAL}[ \t])?(?:{_WORD}|{_UPPER})){{0,2}}"
# Words that follow a name written in lower case ("mr baker said", "mrs jones yesterday"), never its
# second word: the lower-case title pattern stops before them.
_NOT_A_SURNAME = (
    "said|says|told|tells|asked|asks|wrote|writes|called|calls|phoned|rang|rings|came|comes|went|goes"
    "|was|is|has|had|have|will|would|can|could|should|did|does|and|or|but|about|yesterday|today|tomorrow"
    "|at|on|in|from|to|for|with|who|which|that|then|when|again|also|too|mentioned|replied|explained"
    "|agreed|emailed|texted|visited|lives|lived|left|please|thanks|here|there|now"
)
_TITLED = re.compile(
    rf"\b(?i:{_TITLES})\.?[ \t]+(?P<name>(?:{_INITIAL}[ \t]){{0,2}}(?:{_WORD}|{_UPPER})(?:[ \t](?:{_WORD}|{_UPPER}))?"  # noqa: E501
    rf"|(?-i:[a-z]{{2,}})(?:[ \t](?!(?:{_NOT_A_SURNAME})\b)[a-z]{{2,}})?)"
)
_DEAR = re.compile(rf"\b(?i:dear|hi|hello)[ \t]+(?P<name>{_NAME})")
_SIGN_OFF = re.compile(
    r"(?:Yours[ \t]+(?:sincerely|faithfully|truly)|(?:Kind|Best|Warm|With[ \t]+kind)[ \t]+regards|Regards"
    r"|Best[ \t]+wishes|Many[ \t]+thanks|Thanks|Thank[ \t]+you|Cheers)[ \t]*[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t]*"
    rf"(?:{_TITLES}\.?[ \t]+)?"
    rf"(?P<name>{_NAME})[ \t]*(?=$|\n|,)",
    re.I,
)
_SIGNED = re.compile(
    rf"\b(?i:signed|sign-off|from|name|contact|cc|attn|attention)(?:[ \t]+by)?[ \t]*:?[ \t]+(?P<name>{_NAME})"
)
_RELATION = re.compile(
    r"\b(?i:neighbou?rs?|partner|ex-partner|husband|wife|son|daughter|friend|boyfriend|girlfriend|landlord"
    r"|landlady|tenant|lodger|mother|father|mum|dad|brother|sister|carer|uncle|aunt|nephew|niece|cousin"
    r"|grandson|granddaughter|grandmother|grandfather|stepson|stepdaughter|spouse|occupier|parent|guardian"
    r"|relative|child|visitor|witness|contractor|colleague|patient|client|customer|resident|applicant"
    r"|claimant|student|pupil|named|called)"
    rf",?[ \t]+(?P<name>{_NAME})"
)
# Someone giving a name: "my name is ...", "call me ...", "maiden name is ...", "last name? ..."; the name may
# be in lower case there ("my name is vitoria").
_LOWER_NAME = rf"{LO}{{2,}}(?:[ \t](?:{LO}[ \t])?{LO}{{2,}}){{0,2}}"
# "my name's kasia", and "my names kasia" as chats write it (not "my names and addresses")
_NAME_S = r"['’]?s(?=[ \t]+(?!(?:are|were|is|was|and|or|of|on|in|to|for|have|had|the|a|an|will|would)\b))"
_NAMED = re.compile(
    r"\b(?i:(?:my|his|her|their|your|the)[ \t]+(?:(?:full|first|last|maiden|middle)[ \t]+|sur)?name"
    rf"(?:[ \t]+is|[ \t]+was|\?|:|{_NAME_S})|(?:first|last|maiden|full|middle)[ \t]+name[ \t]*(?:is|was|\?|:)"
    r"|surname[ \t]*(?:is|was|\?|:)|(?:call|calls|called)[ \t]+me|known[ \t]+as|goes[ \t]+by)"
    rf"[ \t]+(?P<name>{_NAME}|{_LOWER_NAME})"
)
# A speaker's name leading a line of dialogue or chat: "Ubul: What a wife.", "[1:45 PM] Mike: Hi".
_SPEAKER = re.compile(
    rf"(?m)^[ \t>]*(?:\[[^\]\n]{{1,24}}\][ \t]*)?(?P<name>{_WORD}(?:[ \t]{_WORD})?)[ \t]*:[ \t]*"
    rf"(?=[\"“'‘]?{LETTER})"
)
_NOT_SPEAKER = {
    "username",
    "user",
    "postcode",
    "zip",
    "email",
    "website",
    "hotline",
    "helpline",
    "ps",
    "fyi",
    "re",
    "fw",
    "fwd",
    "cc",
    "bcc",
    "attn",
    "sent",
    "to",
    "from",
    "subject",
    "ticket",
    "ref",
    "url",
    "id",
    "pin",
    "mob",
    "tel",
    "fax",
    "answer",
    "question",
    "dob",
    "iban",
    "swift",
    "bic",
    "nhs",
    "vat",
    "sku",
    "dept",
}
# After a little word ("with", "by"...), only names the gazetteer knows.
_WEAK = re.compile(rf"\b(?i:by|with|to|for|and|from|met|saw|told|asked|thank)[ \t]+(?P<name>{_NAME})")
_TOKEN = re.compile(rf"{LETTER}(?:{LETTER}|['’-])*|[A-Z]\.")
_NOT_PERSON_WORDS = {
    w.lower()
    for w in (  # noqa: SIM905
        "Sir Madam Resident Residents Occupier Householder Customer Colleague Colleagues Team All Council "
        "Councillor Borough Friend Friends Neighbour Neighbours Applicant Requester Road Street Avenue Lane Close "  # noqa: E501
        "Drive Crescent Terrace Square Station School Academy College University Church Chapel Hospital Surgery "  # noqa: E501
        "Centre Center Library Committee Department Service Services House Ltd Limited Trust Partnership "
        "Association Inc Corp Company Group Bank Court Park City County State Republic Kingdom United Street "
        "Dear Regards Yours Sincerely Faithfully Hello Hi To From Notes NHS FOI Monday Tuesday Wednesday "
        "Thursday Friday Saturday Sunday January February March April June July August September October "
        "November December Thanks Thank Best Kind Cheers Manager Officer Director Team Reference Invoice "
        "Account Payment Card Total Date Page Subject Re Fwd Attn Please Contact Phone Email Name Address "
        "Tel Mobile The This That These Those And Or Of In On At For With By Our Your Their His Her My We "
        "Ward Estate Housing Social Care Adult Children Services Planning Highways Environmental Health "
        "England Wales Scotland Ireland Britain London Europe America Africa Asia Police Fire Ambulance "
        "Government Ministry Office Authority Agency Society Club Foundation Institute Museum Hotel Restaurant "  # noqa: E501
        "Cafe Shop Store Market Airport Port River Lake Mount North South East West Central Upper Lower New Old "  # noqa: E501
        "Great Little St Saint Royal National International Global Mr Mrs Ms Miss Dr Prof Cllr Flat Apartment "  # noqa: E501
        "Unit Suite Floor Yes No Not Signed Signature Date Time Note Total Amount Description Balance Visa"
    ).split()
}


_NAME_SHAPE = re.compile(rf"{UP}(?:{LETTER}|['’.-])*")
_FIRST_NAME_PAIR = re.compile(r"(?P<a>[A-Z][a-z]+)[ \t]+(?:&|and)[ \t]+(?P<b>[A-Z][a-z]+)")
_UNKNOWN_SHAPE = re.compile(r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)?")


_PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "di",
    "da",
    "dos",
    "das",
    "du",
    "le",
    "la",
    "bin",
    "binti",
    "ibn",
    "al",
    "el",
    "ter",
    "ten",
    "y",
    "e",
    "af",
    "zu",
}


class _Surnames:
    """Membership in the surname list, also for hyphenated ("Lindström-Niemi") and prefixed ("al-Hassan")."""

    def __init__(self, names: frozenset[str], common: frozenset[str]):
        self.names = names

    def __contains__(self, word: str) -> bool:
        if word in self.names:
            return True
        parts = [p for p in re.split(r"[-'’]", word) if len(p) > 2]
        return len(parts) > 1 and any(p in self.names for p in parts if p not in _PARTICLES)


_CONTRACTION = re.compile(r"['’](?:re|ll|ve|m|d|t)$")


def _plural_of_common(word: str, common) -> bool:
    """An English word or its plural ("files", "boxes"): the word lists hold lemmas."""
    return word in common or (
        word.endswith("s") and (word[:-1] in common or word.endswith("es") and word[:-2] in common)
    )


# Words of chat and social media that are never a name, however they are written ("RT @x", "LOL", "Gotta go",
# "Goodnight"): written for issue 13 from general knowledge of informal English.
_CHAT_WORDS = frozenset(
    """rt mt ff dm pm lol lmao lmfao rofl omg omfg idk idc tbh smh fml ffs btw imo imho irl tbt nsfw ikr jk
    ily ilysm tysm thx ty np brb gtg ttyl wtf wth stfu af asap bday gotta gonna wanna dunno lemme gimme
    ima imma tryna ya yall yo yeah yep yup nope nah ok okay oke okk ah ahh aw aww awww oh ooh ugh uh um umm
    hmm wow woah haha hahaha hehe lool xx xxx xo xoxo goodnight goodmorning photoset shoutout retweet
    hashtag selfie""".split()  # noqa: SIM905
)
_ELONGATED = re.compile(r"([a-z])\1\1", re.I)


_IRREGULAR_PLURALS = {"women", "men", "children", "people", "feet", "teeth", "mice", "geese"}


def _english_form(word: str, common) -> bool:
    """An English word or a regular form of one the lemma lists do not hold ("Stories", "Apps", "Women")."""
    return (
        _plural_of_common(word, common)
        or word in _IRREGULAR_PLURALS
        or (word.endswith("ies") and word[:-3] + "y" in common)
    )


def _is_name_token(word: str) -> bool:
    """Not a word of forms, places and bodies, not a contraction, not a word of chat ("LOL", "RT"), not a
    word stretched for emphasis ("Wowwww", "Ahhhh": three times the same letter)."""
    low = word.lower().strip(".")
    return (
        low not in _NOT_PERSON_WORDS
        and low not in _CHAT_WORDS
        and not _CONTRACTION.search(low)
        and not _ELONGATED.search(low)
    )


def _miss_the_verb(title: str, name: str) -> bool:
    """ "miss" before a lower-case word is the verb ("I miss you", "miss secondary school"), and so is
    "miss" in lower case before anything ("miss RFleeshman"): the title is written "Miss Patel"."""
    title = title.strip()
    return title.lower().rstrip(".") == "miss" and (title[0].islower() or name[:1].islower())


# Staff and family written as initials, as case notes and meeting notes do ("Home visit – KD & BW",
# "Action: KD to email PSH", "Mum (YO) present", "Checked by: RT"; ADR 0177). Two or three capitals,
# or dotted ("A.M."), only where the line's shape says a person is meant.
_INITIALS_TOKEN = r"(?:[A-Z]{2,3}|[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?)(?![\w&])"  # noqa: S105
_AFTER_INITIALS = r"(?:[ \t]*\([^)\n]{1,30}\))?"  # "PD (Director), SJ"
_INITIALS_LIST = (
    rf"{_INITIALS_TOKEN}{_AFTER_INITIALS}(?:[ \t]*(?:&|and|/|,)[ \t]*{_INITIALS_TOKEN}{_AFTER_INITIALS})*"
)
_INITIALS_LABELLED = re.compile(
    r"(?im)\b(?:checked|handled|prepared|reviewed|approved|completed|written|signed|taken|authorised|"
    r"closed|logged|entered|updated|minuted|noted)[ \t]+by[ \t]*:?[ \t]*"
    r"|\b(?:officer|officers|caseworker|case worker|social worker|worker|author|initials|attendees|present|"
    r"staff|allocated to|assigned to|duty officer|placing officer|visiting officer|investigating officer)"
    r"[ \t]*[:\-–][ \t]*"
    r"|\b(?:visit|call|meeting|seen|interview|contact)\b[^\n:–]{0,24}[ \t][–-][ \t]*"
)
_INITIALS_ACTING = re.compile(
    rf"(?m)(?:^|\bactions?:[ \t]*|[.;][ \t]+)(?P<name>{_INITIALS_TOKEN})[ \t]+(?:to|will|says|said|"
    r"reports|reported|advised|confirmed|stated|agreed|explained|visited|called|phoned|emailed|attended)\b",
    re.IGNORECASE,
)
_INITIALS_RELATION = re.compile(
    r"(?i:\b(?:mum|mother|dad|father|son|daughter|child|sister|brother|partner|grandmother|grandfather|nan|"
    r"carer|tenant|victim|perpetrator|resident|neighbour|landlord|officer|worker|family of|pupil|"
    rf"parent|guardian|friend|client))[ \t]*(?:\([ \t]*(?P<name>{_INITIALS_TOKEN})[ \t]*\)|"
    rf"(?P<name2>[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?))"
)
# Capitals that are not people in council writing: acronyms first, then two-letter words of English.
NOT_INITIALS = frozenset(
    """UK US USA EU UN GP PC PS HB DA OT SW IT HR TV ID NI OK AM PM CT DM TA NB RE FW FYI ETA TBC TBA UC
    PIP ESA JSA MP QC KC LA ASB PSH ASC CIN CP LAC SEN EHC NHS DWP HMRC CRM ICT ICO DPO CEO CFO DOB NOK
    FOI SAR EIR BBC ITV AI ADHD ASD MH DV A&E ENT ICU BT EE O2 VAT PAYE CV PR QA IOU RSVP ASAP POA HMO
    DFG OK IN OUT ON OF TO AT BY OR IF IS AN AS BE DO GO HE ME MY NO SO UP US WE AND THE FOR BUT NOT
    ALL ANY CAN HAS HAD WAS ARE YES NEW OLD""".split()  # noqa: SIM905
) | frozenset(
    # roles, teams and procedures of councils and their partners (issue 13, session 22)
    """IRO MARAC EDT SENCO NFA LAS DSL YOT PCN IDVA ISVA MASH EHCP PNC CAF NRPF PCSO CCTV MOT DVLA
    LADO SGO ICPC RCPC PEP HRA EHO""".split()  # noqa: SIM905
)
# The acronyms of roles and teams that stand before or after a name ("DPO Hannah Okoro", "SENCO Mrs Patel",
# "Ruth Abernethy (IRO)"): cut from a name's ends, and never a name alone. Not the two-letter words of
# NOT_INITIALS: "DA", "DO", "AN", "HE", "LA" are parts of names in capitals ("DA SILVA", "NGUYEN VAN AN").
ROLE_ACRONYMS = frozenset(
    """IRO MARAC EDT SENCO NFA DSL YOT PCN IDVA ISVA MASH EHCP PNC CAF NRPF PCSO LADO SGO ICPC RCPC HRA EHO
    GP OT SW HR DPO CEO CFO PSH ASC CIN LAC SEN NHS DWP HMRC ICO FOI SAR DOB NOK PC MP QC KC""".split()  # noqa: SIM905
)
# Letters after a name that are degrees, honours or memberships ("Dr Harjit Singh Dhillon MBBS MRCGP").
POST_NOMINALS = frozenset(
    """MBBS MRCGP FRCGP MRCP FRCP FRCS PHD DPHIL MSC BSC LLB LLM OBE MBE CBE KBE DBE QC KC MP MSP RGN RMN
    CQSW DIPSW FCA ACA MRICS MRTPI CENG""".split()  # noqa: SIM905
)


def _initials(text: str) -> list[tuple[int, int]]:
    """Spans of initials that stand for a person (see ``_INITIALS_LABELLED``)."""
    out = []
    for m in _INITIALS_LABELLED.finditer(text):
        lead = re.match(_INITIALS_LIST, text[m.end() :])
        if not lead:
            continue
        blanked = re.sub(r"\([^)]*\)", lambda p: " " * len(p.group()), lead.group())  # "(Director)"
        for i in re.finditer(_INITIALS_TOKEN, blanked):
            value = i.group()
            if value.upper() not in NOT_INITIALS or value == "DM":  # a label names a person
                out.append((m.end() + i.start(), m.end() + i.end()))
    for pattern, groups in ((_INITIALS_ACTING, ("name",)), (_INITIALS_RELATION, ("name", "name2"))):
        for m in pattern.finditer(text):
            for g in groups:
                value = m.group(g)
                if value and value.isupper() and ("." in value or value not in NOT_INITIALS):
                    out.append((m.start(g), m.end(g)))
    return out


class HubNameRecognizer(EntityRecognizer):
    """Names the model misses: after titles and greetings, under sign-offs, after relations, runs led by a
    gazetteer first name or closed by a gazetteer surname (any case), and lines that hold only a name."""

    ENTITIES = [PERSON]

    def __init__(self, use_gazetteer: bool = True, use_patterns: bool = True):
        self.use_gazetteer = use_gazetteer
        self.use_patterns = use_patterns
        super().__init__(supported_entities=self.ENTITIES, name="HubNameRecognizer")

    def load(self) -> None:
        if self.use_gazetteer:
            gazetteer.first_names()
            gazetteer.surnames()
            gazetteer.common_words()

    def analyze(self, text, entities, nlp_artifacts=None):
        out: list[RecognizerResult] = []
        if self.use_patterns:
            for pattern, score in (
                (_TITLED, 0.85),
                (_DEAR, 0.8),
                (_SIGN_OFF, 0.85),
                (_SIGNED, 0.6),
                (_RELATION, 0.5),
                (_NAMED, 0.7),
            ):
                for m in pattern.finditer(text):
                    title = text[m.start() : m.start("name")]
                    if pattern is _TITLED and _miss_the_verb(title, m.group("name")):
                        continue
                    found = self._clean(
                        text,
                        m.start("name"),
                        m.group("name"),
                        strict=pattern is _WEAK or pattern is _SIGNED,
                    )
                    if found:
                        out.append(_result(PERSON, *found, score, self.name))
            for m in _SPEAKER.finditer(text):
                words = m.group("name").split()
                lows = [w.lower() for w in words]
                if any(w in _NOT_SPEAKER or not _is_name_token(w) for w in lows):
                    continue
                if self.use_gazetteer:
                    common, first = gazetteer.common_words(), gazetteer.first_names()
                    if all(w in common and w not in first for w in lows):
                        continue
                out.append(_result(PERSON, m.start("name"), m.end("name"), 0.5, self.name))
        if self.use_gazetteer:
            out += self._gazetteer_runs(text)
            out += self._register_names(text)
            out += self._lower_case_lists(text)
            for a, b in _initials(text):
                # read from the line's shape, as a title is: strong, so the span filter keeps it (session 22)
                res = _result(PERSON, a, b, 0.7, self.name)
                res.recognition_metadata["initials"] = True  # "FR" is no English word here
                out.append(res)
            doc = getattr(nlp_artifacts, "tokens", None) if nlp_artifacts is not None else None
            if doc is not None and hasattr(doc, "ents"):
                out += self._mislabelled(doc)
                out += self._proper_nouns(doc)
                out += self._lower_case_names(doc)
                out += self._unknown_proper_nouns(doc)
        return out

    # Names in lower case where a chat or a note puts them (issue 13, session 22): the list after "present:"
    # or "attendees:" ("present: hannah, raj, deb, marcus (TL)") when half its items are first names, and a
    # word that is no English word after "my dad", "my son"... ("my dad tunde works nights").
    _ATTENDANCE = re.compile(
        r"(?im)^[ \t>*-]*(?:present|attendees|attending|in attendance|apologies|attended by)[ \t]*:[ \t]*"
        r"(?P<items>[^\n]+)"
    )
    _MY_RELATION = re.compile(
        r"\b(?i:my|his|her|our|their)[ \t]+(?:mum|mom|mother|dad|father|son|daughter|husband|wife|partner"
        r"|brother|sister|nan|gran|grandad|uncle|aunt|cousin|friend|neighbour|boyfriend|girlfriend)[ \t]+"
        rf"(?P<name>{LO}{{3,}})(?=['’]s\b|[^\w'’]|$)"
    )

    def _lower_case_lists(self, text: str) -> list[RecognizerResult]:
        first, common = gazetteer.first_names(), gazetteer.common_words()
        out = []
        for m in self._ATTENDANCE.finditer(text):
            items = []
            for i in re.finditer(r"[^,;&/]+", m.group("items")):
                value = re.sub(r"\([^)]*\)?", "", i.group()).strip()
                value = re.sub(r"^(?:and)[ \t]+", "", value)
                if re.fullmatch(rf"{LETTER}+(?:[ \t]{LETTER}+)?", value):
                    a = m.start("items") + i.start() + i.group().index(value)
                    items.append((a, a + len(value), value))
            names = [v for *_, v in items if v.split()[0].lower() in first]
            if items and len(names) * 2 >= len(items):
                for a, b, value in items:
                    low = value.split()[0].lower()
                    # the lower-case items only: the others are the other detectors' (and may be firms)
                    if value.islower() and (low in first or low not in common):
                        out.append(_result(PERSON, a, b, 0.7, self.name))
        for m in self._MY_RELATION.finditer(text):
            low = m.group("name")
            if low not in common and low not in _NOT_PERSON_WORDS and low not in _CHAT_WORDS:
                out.append(_result(PERSON, m.start("name"), m.end("name"), 0.7, self.name))
        return out

    # "ADEBAYO, Folasade – Nigerian", "Hussein, Abdi | Flat 2 ...": a surname, a comma and a first name at
    # the start of a line of a register or a table (numbered or not), then a separator or the line's end.
    _REGISTER = re.compile(
        r"(?m)^[ \t]*(?:\d{1,3}[.)][ \t]+|\|[ \t]*)?(?P<name>[A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]+)?,[ \t]+"
        r"(?P<first>[A-ZÀ-Þ][\w'’-]+)(?:[ \t]+[A-ZÀ-Þ][\w'’-]+)?)(?=[ \t]*(?:[–—|\t(]|-[ \t]|,|$))"
    )

    def _register_names(self, text: str) -> list[RecognizerResult]:
        first, common, surnames = gazetteer.first_names(), gazetteer.common_words(), gazetteer.surnames()
        out = []
        for m in self._REGISTER.finditer(text):
            family = re.split(r"[ -]", m.group("name").split(",")[0].lower())
            # "Victoria Road, Kingston": a street, not a surname, before the comma
            if m.group("first").lower() in first and not any(
                w in common and w not in surnames for w in family
            ):
                out.append(_result(PERSON, m.start("name"), m.end("name"), 0.6, self.name))
        return out

    _PLACE_LABELS = {"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LOC", "EVENT", "LANGUAGE", "LAW"}

    def _proper_nouns(self, doc) -> list[RecognizerResult]:
        """Runs of capitalised proper nouns (spaCy's tagger) holding a gazetteer name, even where the name is
        also an English word ("Rebecca", "Scott", "Grace"): the tagger tells "Will you..." from "Will said",
        and words the model put in an organisation or a place are left alone."""
        first, common = gazetteer.first_names(), gazetteer.common_words()
        last = _Surnames(gazetteer.surnames(), common)
        other = set()
        for ent in doc.ents:
            # the small model calls many a lone first name an organisation or a place ("Scott", "Rebecca")
            if ent.label_ in self._PLACE_LABELS and not (len(ent) == 1 and ent.text.lower() in first):
                other.update(range(ent.start, ent.end))
        places = {t.i for ent in doc.ents if ent.label_ in ("GPE", "LOC", "FAC", "NORP") for t in ent}
        places |= {t.i for ent in doc.ents if ent.label_ in self._PLACE_LABELS and len(ent) > 1 for t in ent}
        out = []
        run: list = []

        def flush():
            if not run:
                return
            words = [t.text for t in run]
            lows = [w.lower().rstrip(".") for w in words]
            initial = [len(w) <= 2 and w[0].isupper() and (len(w) == 1 or w.endswith(".")) for w in words]
            initial = [ini and w != "I" for ini, w in zip(initial, words, strict=True)]
            named = [
                not ini and (low in first or (low in last and len(low) > 3))
                for low, ini in zip(lows, initial, strict=True)
            ]
            # a lone word must be a first name or a surname that is not an ordinary English word
            if (
                any(named)
                and not all(initial)
                and all(_is_name_token(w) for w in words)
                and (len(words) > 1 or lows[0] in first or lows[0] not in common)
            ):
                res = _result(PERSON, run[0].idx, run[-1].idx + len(run[-1].text), 0.45, self.name)
                res.recognition_metadata["proper_noun"] = True  # the tagger read it as a proper noun
                out.append(res)
            run.clear()

        # an unknown proper noun leading a sentence as the subject of a verb: "Tomomi is from...",
        # "Asya spent a year..." (a name the gazetteer lacks)
        for sent_start in [t for t in doc if t.i == 0 or doc[t.i - 1].text in {".", "!", "?", "\n", "\n\n"}]:
            i = sent_start.i
            j = i
            while j < len(doc) and doc[j].pos_ in ("PROPN", "NOUN") and doc[j].text[:1].isupper():
                j += 1
            if j == i or j >= len(doc) or j - i > 3 or doc[j].pos_ not in ("VERB", "AUX"):
                continue
            words = [doc[k].text for k in range(i, j)]
            lows = [w.lower() for w in words]
            if any(k in places for k in range(i, j)) or any(
                w in common or not _is_name_token(w) or not _NAME_SHAPE.fullmatch(w2)
                for w, w2 in zip(lows, words, strict=True)
            ):
                continue
            out.append(_result(PERSON, doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text), 0.4, self.name))
        for token in doc:
            text = token.text
            shaped = (text[:1].isupper() and _NAME_SHAPE.fullmatch(text)) or (
                len(text) <= 2 and text[:1].isupper() and text.endswith(".")
            )
            if token.pos_ == "PROPN" and shaped and token.i not in other and not text.isupper():
                if run and token.idx - (run[-1].idx + len(run[-1].text)) > 1:
                    flush()
                run.append(token)
            else:
                flush()
        flush()
        return out

    def _unknown_proper_nouns(self, doc) -> list[RecognizerResult]:
        """A capitalised word the tagger reads as a proper noun that is neither an English word nor in any
        name list ("Djokovic", "Okonjo"): in user-written text most such words are people's names the
        gazetteer lacks (surnames of public figures, nicknames, names of other languages). Brands and
        places are caught too; the officer's review removes them, while a name missed is a breach (ADR
        0147: on the development tweets it added 0.04 name recall for 0.03 precision). Also where the
        model put the word in an organisation or a place, which the small model does for many names."""
        common = gazetteer.common_words()
        out = []
        for token in doc:
            word = token.text
            if token.pos_ != "PROPN" or len(word) < 3 or word.isupper() or not _UNKNOWN_SHAPE.fullmatch(word):
                continue
            if _english_form(word.lower(), common) or not _is_name_token(word):
                continue
            out.append(_result(PERSON, token.idx, token.idx + len(word), 0.4, self.name))
        return out

    def _lower_case_names(self, doc) -> list[RecognizerResult]:
        """A first name written in lower case, as people write in chat and comments ("sitting with lydia",
        "love farah and lorna"): a US Census first name that is not an English word, or one of the 300
        commonest of each sex that the tagger reads as a proper noun ("mark" the name, not "mark" the
        verb); with a lower-case surname after it that is not an English word ("jazmine sullivan")."""
        census, frequent = gazetteer.census_first_names(), gazetteer.census_first_names(300)
        common, last = gazetteer.common_words(), gazetteer.surnames()
        out = []
        for token in doc:
            word = token.text
            if not (len(word) >= 3 and word.isalpha() and word.islower()) or word in _PARTICLES:
                continue
            if not (word in census and word not in common or word in frequent and token.pos_ == "PROPN"):
                continue
            if not _is_name_token(word):
                continue
            end = token.idx + len(word)
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if (
                nxt is not None
                and nxt.idx == end + 1
                and nxt.text.isalpha()
                and nxt.text.islower()
                and nxt.text in last
                and nxt.text not in common
            ):
                end = nxt.idx + len(nxt.text)
            out.append(_result(PERSON, token.idx, end, 0.45, self.name))
        return out

    _OTHER_LABELS = {"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LOC", "EVENT", "LANGUAGE", "LAW"}

    def _mislabelled(self, doc) -> list[RecognizerResult]:
        """Entities the model labelled as an organisation, place or work that the gazetteer says are names
        ("Dear Carolyn Hopkins" read as an organisation)."""
        first, last, common = gazetteer.first_names(), gazetteer.surnames(), gazetteer.common_words()
        census = gazetteer.census_first_names()
        out = []
        for ent in doc.ents:
            if ent.label_ not in self._OTHER_LABELS:
                continue
            words = ent.text.split()
            pair = _FIRST_NAME_PAIR.fullmatch(ent.text)
            if pair and all(pair.group(k).lower() in census for k in ("a", "b")):
                # two first names joined read as one body ("Natalia & David", "Cole and Josh")
                for k in ("a", "b"):
                    out.append(
                        _result(
                            PERSON,
                            ent.start_char + pair.start(k),
                            ent.start_char + pair.end(k),
                            0.5,
                            self.name,
                        )
                    )
                continue
            if not 1 <= len(words) <= 3 or not all(_NAME_SHAPE.fullmatch(w) for w in words):
                continue
            if not all(_is_name_token(w) for w in words):
                continue
            lows = [w.lower().rstrip(".") for w in words]
            known = [w for w in lows if (w in first or w in last) and w not in common]
            if len(words) == 1 and not (lows[0] in first and lows[0] not in common):
                continue
            if known:
                out.append(_result(PERSON, ent.start_char, ent.end_char, 0.5, self.name))
        return out

    def _clean(self, text: str, start: int, value: str, strict: bool = False):
        title = _TITLE_PREFIX.match(value)
        if title:
            start += title.end()
            value = value[title.end() :]
        words = value.split()
        keep = []
        for w in words:
            if not _is_name_token(w):
                break
            keep.append(w)
        if not keep:
            return None
        if strict:  # after "with", "by", "for"... only names the gazetteer knows
            first, surnames_ = gazetteer.first_names(), gazetteer.surnames()
            lows = [w.lower().strip(".") for w in keep]
            if not (lows[0] in first or (len(lows) > 1 and lows[-1] in surnames_)):
                return None
            if len(lows) == 1 and lows[0] in gazetteer.common_words():
                return None
        value = " ".join(keep)
        end = start + len(value)
        if text[start:end] != value:  # tabs or double spaces inside: take the span as written
            end = start + len(" ".join(words[: len(keep)]))
            end = min(end, len(text))
        return start, end

    def _gazetteer_runs(self, text: str) -> list[RecognizerResult]:
        first = gazetteer.first_names()
        common = gazetteer.common_words()
        last = _Surnames(gazetteer.surnames(), common)
        frequent = gazetteer.frequent_names()
        census = gazetteer.census_first_names()
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        out = []
        i = 0
        n = len(tokens)

        def shape(word: str) -> str:
            if word.isupper():
                return "U"
            if word[0].isupper():
                return "T"
            if word.islower():
                return "l"
            return "?"

        def gap_ok(a: int, b: int) -> bool:
            between = text[tokens[a][1] : tokens[b][0]]
            return between in (" ", "  ", "\t") or (between == " " and True)

        while i < n:
            s, e, w = tokens[i]
            if w.endswith(("'s", "’s")) and len(w) > 3:  # possessive: "Okafor's"
                w = w[:-2]
                e -= 2
            low = w.lower().rstrip(".")
            # an initial ("J.", "J"), but "I" without a full stop is the pronoun ("I LOVE YOU", "I CHING")
            is_initial = len(w) <= 2 and w[0].isupper() and (len(w) == 1 or w.endswith(".")) and w != "I"
            best = None
            if (low in first or is_initial or low in frequent and w.islower()) and _is_name_token(w):
                # extend over following name-shaped tokens of the same case
                j = i
                while j + 1 < n and j - i < 4 and gap_ok(j, j + 1):
                    nxt = tokens[j + 1][2]
                    if (
                        nxt.lower() in _PARTICLES
                        and j + 2 < n
                        and gap_ok(j + 1, j + 2)
                        and shape(tokens[j + 2][2]) in ("T", "U")
                        and shape(w) != "l"
                    ):
                        j += 1  # "Ludwig van Beethoven", "Maria del Carmen", "Ahmed bin Rashid"
                        continue
                    if (
                        not _is_name_token(nxt)
                        or shape(nxt) not in (shape(w), "T", "U")
                        and not (shape(w) == "l" and shape(nxt) == "l")
                    ):
                        break
                    if is_initial and j == i and shape(nxt) == "l":
                        break
                    j += 1
                    if shape(nxt) == "l" or shape(w) == "l":
                        # lower case: only gazetteer words that are not ordinary English (plurals too: "case
                        # files"), or very common names
                        nlow = nxt.lower()
                        if (nlow not in last or _plural_of_common(nlow, common)) and nlow not in frequent:
                            j -= 1
                            break
                if j > i:
                    words = [tokens[k][2] for k in range(i, j + 1)]
                    lows = [x.lower().rstrip(".") for x in words]
                    shp = shape(words[-1])
                    known_last = lows[-1] in last
                    if shp == "l":
                        ok = (low in first and low not in common or low in frequent) and (
                            known_last and lows[-1] not in common or lows[-1] in frequent
                        )
                    elif is_initial:
                        ok = known_last and shp in ("T", "U")
                    else:
                        ok = shape(w) in ("T", "U") and (known_last or lows[-1] not in common)
                        if low in common and not known_last:
                            ok = False
                    if ok:
                        best = (s, tokens[j][1], 0.6 if known_last else 0.45, j)
            if (
                best is None
                and shape(w) in ("T", "U")
                and low in last
                and low not in common
                and _is_name_token(w)
                and i > 0
                and gap_ok(i - 1, i)
            ):
                # a surname closing a run: "Okonkwo" after a capitalised word the model did not know
                pw = tokens[i - 1][2]
                if shape(pw) == shape(w) and _is_name_token(pw) and pw.lower() not in common:
                    best = (tokens[i - 1][0], e, 0.45, i)
            if best is None and shape(w) == "T" and low not in common and _is_name_token(w):
                if low in first:  # a first name on its own ("Priya called"), when it is not an English word
                    best = (s, e, 0.45, i)
                elif low in last and len(low) > 3:  # a surname on its own ("Holohan phoned")
                    best = (s, e, 0.4, i)
            # a first name on its own in capitals ("TALK KIRK", "HAPPY FOR NIALL"): a US Census first name
            # that is not an English word (issue 13, BTC development data: names 0.764 -> 0.767)
            if (
                best is None
                and shape(w) == "U"
                and len(w) >= 3
                and low in census
                and low not in common
                and _is_name_token(w)
            ):
                best = (s, e, 0.45, i)
            if best:
                out.append(_result(PERSON, best[0], best[1], best[2], self.name))
                i = best[3] + 1
                continue
            i += 1
        out += self._name_lines(text, first, last, common)
        return out

    def _name_lines(self, text, first, last, common) -> list[RecognizerResult]:
        out = []
        for m in re.finditer(
            r"(?m)^[ \t]*(?P<name>(?:[A-Z][\w'’-]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][\w'’-]+|[A-Z]\.)){1,3})[ \t]*,?[ \t]*$",  # noqa: E501
            text,
        ):
            words = m.group("name").split()
            lows = [w.lower().rstrip(".") for w in words]
            if not all(_is_name_token(w) for w in words):
                continue
            if any(w in first for w in lows[:1]) or any(w in last and w not in common for w in lows[1:]):
                out.append(_result(PERSON, m.start("name"), m.end("name"), 0.55, self.name))
        return out
