"""Standardising person data before linkage.

Every function here is pure: it takes a raw value and returns the standard form, or raises
``InvalidValue`` with a reason. Invalid values are reported by the caller (per source, row and
column), never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

DATA = Path(__file__).parent / "data"

TITLES = {
    "mr",
    "mrs",
    "miss",
    "ms",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "revd",
    "reverend",
    "capt",
    "captain",
    "master",
    "fr",
    "father",
    "sr",
    "jr",
    "jnr",
    "snr",
    "esq",
}


class InvalidValue(ValueError):
    """A value that cannot be standardised; the message says why (no personal data in it)."""


# Extracts repeat the same names, postcodes and dates many times over: the pure functions below
# remember recent answers (bounded), which makes standardising a million records several times faster.
_memo = functools.lru_cache(maxsize=1 << 17)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@_memo
def clean_text(value) -> str:
    """Lower case, accents removed, punctuation to spaces, spaces collapsed."""
    if value is None:
        return ""
    text = _ascii(str(value)).lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.replace("'", ""))
    return " ".join(text.split())


@_memo
def clean_name(value) -> str:
    """A name part: clean text with titles removed. Hyphenated and double names keep their words."""
    words = [w for w in clean_text(value).split() if w not in TITLES]
    return " ".join(words)


@functools.cache
def nickname_table() -> dict[str, str]:
    """Short form or variant -> canonical given name, from ``data/nicknames.csv``."""
    table: dict[str, str] = {}
    with open(DATA / "nicknames.csv", encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if not line.startswith("#")):
            if not row:
                continue
            canonical = row[0].strip()
            table[canonical] = canonical
            for variant in row[1:]:
                table.setdefault(variant.strip(), canonical)
    return table


@_memo
def canonical_first_name(first_name: str) -> str:
    """The canonical form of a (clean) given name: Bill -> william, Peggy -> margaret."""
    first = first_name.split(" ")[0] if first_name else ""
    return nickname_table().get(first, first)


def split_full_name(value) -> tuple[str, str, str]:
    """'Mrs Mary Ann O'Brien' -> ('mary', 'ann', 'obrien'); 'Smith, John' -> ('john', '', 'smith')."""
    text = str(value or "")
    if "," in text:
        last, _, rest = text.partition(",")
        text = f"{rest} {last}"
    words = clean_name(text).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    return words[0], " ".join(words[1:-1]), words[-1]


# --- dates of birth ----------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y")


def parse_dob(value, *, today: dt.date | None = None) -> str:
    """ISO date of birth from ISO, DD/MM/YYYY and a few other forms; empty for empty.

    A day/month transposition (e.g. 1980-31-12) is corrected: only one reading is a real date.
    Impossible dates, future dates and years before 1000 raise ``InvalidValue``.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        text = str(value).strip()
        if not text:
            return ""
        parsed = _parse_date_text(text)
    today = today or _today()
    if parsed > today:
        raise InvalidValue("date of birth is in the future")
    if parsed.year < 1000:
        raise InvalidValue("the year has fewer than four digits")
    return parsed.isoformat()


def _today() -> dt.date:
    """Today's date, looked up at most once a minute (``date.today()`` costs more than a parse)."""
    now = time.monotonic()
    if now - _TODAY[0] > 60:
        _TODAY[:] = [now, dt.date.today()]
    return _TODAY[1]


_TODAY: list = [-1e9, None]


@_memo
def _parse_date_text(text: str) -> dt.date:
    text = text.split("T")[0].split(" 00:00")[0]
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    parsed = _transposed(text)
    if parsed is None:
        raise InvalidValue("not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    return parsed


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _transposed(text: str) -> dt.date | None:
    """Read YYYY-DD-MM or MM/DD/YYYY when the day is > 12, i.e. only one reading is a date."""
    match = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
    if match:
        year, first, second = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if not match:
            return None
        second, first, year = (int(g) for g in match.groups())
    # first is where the month should be; accept only if it is a valid day and second a valid month
    if first > 12 and second <= 12:
        try:
            return dt.date(year, second, first)
        except ValueError:
            return None
    return None


@_memo
def dob_swapped(dob: str) -> str:
    """The same date with day and month exchanged (for comparisons), or '' if that is not a date."""
    if not dob:
        return ""
    year, month, day = dob.split("-")
    try:
        return dt.date(int(year), int(day), int(month)).isoformat()
    except ValueError:
        return ""


# --- postcodes and addresses -------------------------------------------------------------------

_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


@_memo
def normalise_postcode(value) -> str:
    """'sw1a1aa' -> 'SW1A 1AA'. Raises ``InvalidValue`` for anything that is not a UK postcode."""
    text = re.sub(r"[^A-Za-z0-9]", "", str(value or "")).upper()
    if not text:
        return ""
    if len(text) < 5 or len(text) > 7:
        raise InvalidValue("not a UK postcode")
    text = f"{text[:-3]} {text[-3:]}"
    if not _POSTCODE.match(text):
        raise InvalidValue("not a UK postcode")
    return text


@dataclass(frozen=True)
class Address:
    flat: str = ""
    number: str = ""
    street: str = ""
    town: str = ""

    def key(self, postcode: str) -> str:
        """A normalised address key for grouping households ('' when too little is known)."""
        if not (self.number or self.flat) or not (self.street or postcode):
            return ""
        return "|".join([self.flat, self.number, self.street, postcode])


_STREET_ABBR = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "ct": "court",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "pl": "place",
    "sq": "square",
    "tce": "terrace",
    "hse": "house",
    "wy": "way",
    "pk": "park",
}
_FLAT = re.compile(r"\b(?:flat|apartment|apt|unit|room)\s+([0-9]+[a-z]?)\b")


@_memo
def parse_address(*lines, town: str = "") -> Address:
    """Address lines into flat, number, street and town. '12a' stays a number; 'Flat 3' a flat."""
    text = clean_text(" , ".join(str(x) for x in lines if x)) if lines else ""
    raw_parts = [clean_text(part) for part in re.split(r"[,\n]", " , ".join(str(x) for x in lines if x))]
    parts = [p for p in raw_parts if p]
    flat = ""
    match = _FLAT.search(text)
    if match:
        flat = match.group(1)
        parts = [_FLAT.sub("", p).strip() for p in parts]
        parts = [p for p in parts if p]
    number, street = "", ""
    for index, part in enumerate(parts):
        found = re.match(r"^([0-9]+[a-z]?)(?:\s*-\s*[0-9]+[a-z]?)?\s+(.+)$", part)
        if found:
            number = found.group(1)
            street = found.group(2)
            rest = parts[index + 1 :]
            if not town and rest:
                town = rest[-1]
            break
        if re.fullmatch(r"[0-9]+[a-z]?", part) and index + 1 < len(parts):
            number, street = part, parts[index + 1]
            rest = parts[index + 2 :]
            if not town and rest:
                town = rest[-1]
            break
    else:
        if parts:
            street = parts[0]
            if not town and len(parts) > 1:
                town = parts[-1]
    street = " ".join(_STREET_ABBR.get(w, w) for w in street.split())
    return Address(flat=flat, number=number, street=street, town=clean_text(town))


# --- contact details and identifiers -----------------------------------------------------------


@_memo
def normalise_phone(value, region: str = "GB") -> str:
    """A phone number in E.164 ('+447700900123'); ``InvalidValue`` if it is not a possible number."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidValue("not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidValue("not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@_memo
def normalise_email(value) -> str:
    text = str(value or "").strip().lower()
    if not text:
        return ""
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z0-9-]{2,}", text):
        raise InvalidValue("not an email address")
    return text


def nhs_number(value) -> str:
    """Ten digits with a valid modulus 11 check digit; spaces and dashes allowed in the input."""
    digits = re.sub(r"[\s-]", "", str(value or ""))
    if not digits:
        return ""
    if not re.fullmatch(r"\d{10}", digits):
        raise InvalidValue("an NHS number has 10 digits")
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise InvalidValue("NHS number check digit is wrong")
    return digits


_NI = re.compile(r"^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")


def ni_number(value) -> str:
    """National Insurance number in the HMRC format (two letters, six digits, A-D); no spaces."""
    text = re.sub(r"\s", "", str(value or "")).upper()
    if not text:
        return ""
    if not _NI.match(text):
        raise InvalidValue("not a National Insurance number (e.g. AB123456C)")
    return text


@_memo
def uprn(value) -> str:
    text = str(value or "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return ""
    if not re.fullmatch(r"\d{1,12}", text):
        raise InvalidValue("a UPRN is up to 12 digits")
    return text.lstrip("0") or "0"


@_memo
def sex(value) -> str:
    text = clean_text(value)
    if not text:
        return ""
    if text in {"m", "male", "man", "boy"}:
        return "m"
    if text in {"f", "female", "woman", "girl"}:
        return "f"
    return "x"
