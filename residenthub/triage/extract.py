"""Details pulled from a resident's message to prefill the service's form.

Everything found here is a suggestion: the resident sees each prefilled page and confirms it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from residenthub.core.validators import normalise_postcode, normalise_uk_phone

POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.I)
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PCN = re.compile(
    r"\b(?:PCN|penalty charge notice)(?: (?:no\.?|number|ref(?:erence)?))?[:\s#]*([A-Z]{2}\d{7,10})\b", re.I
)
PCN_BARE = re.compile(r"\b([A-Z]{2}\d{8})\b")
# Current UK registrations (AB12 CDE), written in capitals.
REGISTRATION = re.compile(r"\b([A-Z]{2}[0-9]{2}\s?[A-Z]{3})\b")
STREET_TYPES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Grove|Way|Court|Drive|Place|Crescent|Gardens|Terrace|"
    "Walk|Hill|Rise|Square|Parade|Row|Mews|Green|Park|Estate|Broadway|High Street|Vale|View"
)
# "Street light", "Park bench": a street type followed by one of these words is not a place name.
NOT_A_PLACE = r"(?!\s+(?:lights?|lamps?|lighting|sweep(?:er|ing)?|cleaning|furniture|signs?|bench(?:es)?)\b)"
STREET = re.compile(
    rf"\b(?:(?:no\.?\s*|number\s+)?\d{{1,4}}[a-z]?,?\s+)?(?:[A-Z][a-z']+\s+){{1,3}}(?:{STREET_TYPES})\b{NOT_A_PLACE}"
    rf"(?:\s+[A-Z]\d{{1,2}})?"
)
PLACE = re.compile(
    rf"\b(?:outside|opposite|near|next to|by|behind|in front of|at the (?:junction|corner) of|"
    rf"on the corner of|at|on|in)\s+(?:(?:no\.?\s*|number\s+)?\d{{1,4}}[a-z]?,?\s+)?(?:the\s+)?"
    rf"(?:[A-Z][\w']+\s+){{1,3}}"
    rf"(?:{STREET_TYPES})\b{NOT_A_PLACE}(?:\s+(?:and|&)\s+(?:[A-Z][\w']+\s+){{1,3}}(?:{STREET_TYPES})\b)?"
)
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]  # fmt: skip
    )
    for m in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DATE_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
DATE_WORDS = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(" + "|".join(MONTHS) + r")\b\.?(?:,?\s+(\d{4}))?", re.I
)
DATE_MONTH_FIRST = re.compile(
    r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I
)
RELATIVE = re.compile(
    r"\b(today|yesterday|tomorrow|(?:last|this|on|next)\s+(?:" + "|".join(WEEKDAYS) + r"))\b", re.I
)


@dataclass
class Details:
    postcodes: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # ISO dates, in the order found
    places: list[str] = field(default_factory=list)  # "outside 14 Mill Lane", "Church Street"
    pcn: str = ""
    registrations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}


def _add(items: list[str], value: str | None) -> None:
    if value and value not in items:
        items.append(value)


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _year(raw: str | None, today: dt.date) -> int:
    if not raw:
        return today.year
    year = int(raw)
    return year + 2000 if year < 100 else year


def find_dates(text: str, today: dt.date) -> list[str]:
    found: list[tuple[int, str]] = []
    for m in DATE_NUMERIC.finditer(text):  # UK order: day/month/year
        value = _date(_year(m.group(3), today), int(m.group(2)), int(m.group(1)))
        if value:
            found.append((m.start(), value))
    for m in DATE_WORDS.finditer(text):
        value = _date(_year(m.group(3), today), MONTHS[m.group(2).lower()], int(m.group(1)))
        if value:
            found.append((m.start(), value))
    for m in DATE_MONTH_FIRST.finditer(text):
        if m.group(1).lower() == "may" and not m.group(3):
            continue  # "may 2" is too often the verb
        value = _date(_year(m.group(3), today), MONTHS[m.group(1).lower()], int(m.group(2)))
        if value:
            found.append((m.start(), value))
    for m in RELATIVE.finditer(text):
        word = m.group(1).lower()
        if word == "today":
            day = today
        elif word == "yesterday":
            day = today - dt.timedelta(days=1)
        elif word == "tomorrow":
            day = today + dt.timedelta(days=1)
        else:
            which, name = word.split()
            target = WEEKDAYS.index(name)
            if which == "next":
                delta = (target - today.weekday()) % 7 or 7
                day = today + dt.timedelta(days=delta)
            else:  # "last", "on", "this": the most recent one, today included for "this"/"on"
                delta = (today.weekday() - target) % 7
                if which == "last" and delta == 0:
                    delta = 7
                day = today - dt.timedelta(days=delta)
        found.append((m.start(), day.isoformat()))
    dates: list[str] = []
    for _pos, value in sorted(found):
        _add(dates, value)
    return dates


def extract(text: str, today: dt.date | None = None) -> Details:
    today = today or dt.date.today()
    text = (text or "")[:20_000]
    details = Details()
    for m in POSTCODE.finditer(text):
        _add(details.postcodes, normalise_postcode(m.group(0)))
    for m in PHONE.finditer(text):
        _add(details.phones, normalise_uk_phone(m.group(0)))
    for m in EMAIL.finditer(text):
        _add(details.emails, m.group(0))
    details.dates = find_dates(text, today)
    for m in PLACE.finditer(text):
        _add(details.places, m.group(0).strip(" ,"))
    if not details.places:
        for m in STREET.finditer(text):
            _add(details.places, m.group(0).strip(" ,"))
    pcn = PCN.search(text) or PCN_BARE.search(text)
    if pcn:
        details.pcn = pcn.group(1).upper()
    for m in REGISTRATION.finditer(text):
        value = m.group(1).replace(" ", "")
        if details.pcn and value in details.pcn:
            continue
        if POSTCODE.fullmatch(m.group(1)):
            continue
        _add(details.registrations, value)
    return details
