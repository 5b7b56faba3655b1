"""Due dates as minutes say them, resolved against the meeting's date (UK usage).

Absolute forms: "21 May 2026", "21st of May", "May the twenty-first", "Thursday the 21st of May",
"21/05/2026", "21/5/26", "21.05.2026", "2026-05-21" (numeric dates are day first, as in the UK).
Relative forms: "within two weeks", "in three weeks' time", "in a fortnight", "by the end of the
month", "by the end of next month", "by the end of the week", "by the end of May", "by Friday",
"by this Friday", "by next Friday", "Friday week", "tomorrow", "for the next meeting".

UK readings, chosen and documented (ADR 0103): "Friday" and "this Friday" are the first Friday after
the meeting; "next Friday" is the Friday of the following week (Monday-based weeks); "Friday week"
is a week after the first Friday; "the end of the week" is its Friday; a day and month without a
year already past at the meeting means next year; months are taken as the calendar month.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_SHORT_MONTHS = {m[:3]: i for m, i in MONTHS.items()} | {"sept": 9}
WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_ORDINAL_WORDS = {w: i for i, w in enumerate(ORDINALS, 1)}
# "one" to "twenty": counts ("in two weeks") and days said as cardinals ("by six March").
_CARDINAL_NAMES = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
)
_CARDINALS = {w: i for i, w in enumerate(_CARDINAL_NAMES.split(), 1)}
_COUNT_WORDS = {"a": 1, "an": 1, **_CARDINALS, "couple of": 2}

_MONTH_RE = r"(?:" + "|".join(sorted([*MONTHS, *_SHORT_MONTHS], key=len, reverse=True)) + r")\.?"
_DAY_RE = r"(?:" + "|".join(WEEKDAYS) + r")"
_ORD_WORD = re.compile(
    r"\b(?:(twenty|thirty)[\s-]+)?(" + "|".join(_ORDINAL_WORDS) + r")\b|\b(thirtieth|twentieth)\b",
    re.IGNORECASE,
)


def _ordinal_words_as_digits(text: str) -> str:
    """ "the twenty-first of May" -> "the 21st of May": speech recognisers write dates both ways."""

    def digits(match: re.Match) -> str:
        if match.group(3):
            return {"thirtieth": "30th", "twentieth": "20th"}[match.group(3).lower()]
        tens = {"twenty": 20, "thirty": 30}.get((match.group(1) or "").lower(), 0)
        return f"{tens + _ORDINAL_WORDS[match.group(2).lower()]}th"

    return _ORD_WORD.sub(digits, text)


_CARDINAL_DAY = re.compile(
    r"\b(?:(twenty|thirty)[\s-]+)?(" + "|".join(_CARDINALS) + r")\s+(?=(?:of\s+)?" + _MONTH_RE + r"\b)",
    re.IGNORECASE,
)


def _cardinal_days_as_digits(text: str) -> str:
    """ "by six March" -> "by 6 March": a recogniser writes a misheard "sixth" that way."""

    def digits(match: re.Match) -> str:
        tens = {"twenty": 20, "thirty": 30}.get((match.group(1) or "").lower(), 0)
        return f"{tens + _CARDINALS[match.group(2).lower()]} "

    return _CARDINAL_DAY.sub(digits, text)


# A day said as a number word and heard as a word that sounds like it ("by sick March 2028" for
# "by sixth March 2028", "my for April" for "by fourth April": tune meetings, ADR 0170). Only before a
# month name and after "by/before/on/until" (or "my", a misheard "by") or with a year after the month,
# so "plans for March" and "moved to April" stay as they are.
_SOUNDS_LIKE_DAY = {
    "won": 1,
    "fist": 1,
    "to": 2,
    "too": 2,
    "tree": 3,
    "free": 3,
    "for": 4,
    "fore": 4,
    "forth": 4,
    "fifths": 5,
    "fith": 5,
    "sick": 6,
    "sicks": 6,
    "sixt": 6,
    "sixed": 6,
    "ate": 8,
    "eights": 8,
    "nights": 9,
    "tents": 10,
    "tense": 10,
}
_MONTH_AHEAD = r"(?=(?:of\s+)?" + _MONTH_RE + r"\b)"
# Words that are prepositions too ("plans for March 2028", "moving on to April") only after "by".
_PREPOSITION_DAYS = ("to", "too", "for", "fore", "forth")
_OTHER_DAYS = "|".join(w for w in _SOUNDS_LIKE_DAY if w not in _PREPOSITION_DAYS)
_MISHEARD_DAY = re.compile(
    r"\b(?P<lead>(?:by|my|before|until|than)\s+(?:the\s+)?)(?P<n>"
    + "|".join(_SOUNDS_LIKE_DAY)
    + r")\s+"
    + _MONTH_AHEAD
    + r"|\b(?P<lead2>on\s+(?:the\s+)?)(?P<n2>"
    + _OTHER_DAYS
    + r")\s+"
    + _MONTH_AHEAD
    + r"|\b(?P<n3>"
    + _OTHER_DAYS
    + r")\s+(?=(?:of\s+)?"
    + _MONTH_RE
    + r",?\s+(?:19|20)\d\d\b)",
    re.IGNORECASE,
)


def _misheard_days_as_digits(text: str) -> str:
    """ "by sick March" -> "by 6 March" (``_SOUNDS_LIKE_DAY``)."""

    def digits(match: re.Match) -> str:
        word = (match.group("n") or match.group("n2") or match.group("n3")).lower()
        return f"{match.group('lead') or match.group('lead2') or ''}{_SOUNDS_LIKE_DAY[word]} "

    return _MISHEARD_DAY.sub(digits, text)


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or _SHORT_MONTHS[word[:4] if word[:4] == "sept" else word[:3]]


def month_end(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _year(text: str | None, base: dt.date) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_DAY_MONTH = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>" + _MONTH_RE + r")(?:,?\s+(?P<y>\d{4}))?\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    r"\b(?P<m>" + _MONTH_RE + r")\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?",
    re.IGNORECASE,
)
# "end on April": "end of" misheard (tune meetings with room noise, ADR 0151).
_END_OF_NAMED = re.compile(
    r"\b(?:end (?:of|on|in)|by|before|during|in)\s+(?P<m>" + _MONTH_RE + r")\b", re.IGNORECASE
)
_END_OF_THIS = re.compile(
    # "end on next month": "of" misheard, as _END_OF_NAMED allows (tune-actions, ADR 0167)
    r"\bend (?:of|on) (?:the |this )?(?P<next>next |the next |following )?"
    r"(?P<unit>month|week|quarter|year)\b",
    re.IGNORECASE,
)
_WITHIN = re.compile(
    r"\b(?:within|in|over)\s+(?:the\s+next\s+)?"
    r"(?P<n>\d+|a couple of|couple of|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+(?P<working>working\s+|business\s+)?(?P<unit>days?|weeks?|fortnights?|months?)(?:'|’)?(?:s)?"
    r"(?:\s+time)?\b",
    re.IGNORECASE,
)
# "within the next month", "over the next fortnight": one of the unit.
_THE_NEXT_UNIT = re.compile(
    r"\b(within|in|over)\s+the\s+next\s+(?=(?:day|week|fortnight|month)\b)", re.IGNORECASE
)
# "by the 20th", "by the twentieth" (ordinal words are digits by then): that day of this month, or of
# the next when it is past (ADR 0151).
_DAY_ONLY = re.compile(
    r"\b(?:by|before|on|until|no later than)\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?=\s*(?:$|[.,;:?!)]|(?:of\s+)?(?:this|the|next)\s+month\b|(?:and|please|if|so|at|to|for|with)\b))",
    re.IGNORECASE,
)
# "within a four-night": how the recogniser hears "fortnight" on synthetic voices (tune-actions, ADR 0167).
_FORTNIGHT = re.compile(
    r"\b(?:within|in)\s+a\s+(?:fortnight|four[- ]?nights?)\b|\bfortnight'?s? time\b", re.IGNORECASE
)
# "within a fort-ite", "in a fortnite": "fortnight" heard as a word that is no English word but sounds
# like it (one sound change, or two for a word that is no English word; tune-actions speech, ADR 0170).
# Not "within a forthright ...", "in a fortress"; only after "within / in a".
_A_FORT = re.compile(r"\b(?:within|in)\s+a\s+(?P<w>fo[a-z]*(?:[- ][a-z]+)?)\b", re.IGNORECASE)


def _sounds_like_fortnight(text: str) -> bool:
    from residenthub.speech.soundalike import edit_distance, sound_key

    from .vocabulary import is_known

    for match in _A_FORT.finditer(text):
        word = match.group("w").lower()
        joined = re.sub(r"[- ]", "", word)
        distance = edit_distance(sound_key(joined), sound_key("fortnight"))
        known = is_known(joined) or all(is_known(part) for part in re.split(r"[- ]", word))
        if distance <= 1 or (distance == 2 and not known):  # "Fortnite", "fort night"; "fort-ite"
            return True
    return False


_WEEKDAY_WEEK = re.compile(r"\b(?P<day>" + _DAY_RE + r")\s+week\b", re.IGNORECASE)
_NEXT_WEEKDAY = re.compile(r"\b(?:next|the following)\s+(?P<day>" + _DAY_RE + r")\b", re.IGNORECASE)
_THIS_WEEKDAY = re.compile(
    r"\b(?:by|before|on|this|until|for|no later than|close of play on)\s+"
    r"(?:this\s+)?(?:coming\s+)?(?P<day>" + _DAY_RE + r")\b",
    re.IGNORECASE,
)
_TOMORROW = re.compile(r"\btomorrow\b", re.IGNORECASE)
_NEXT_WEEK = re.compile(
    r"\b(?:by|before|during|for|in)\s+(?:the\s+)?(?:next|following)\s+week\b", re.IGNORECASE
)
_NEXT_MONTH = re.compile(
    r"\b(?:by|before|during|for|in)\s+(?:the\s+)?(?:next|following)\s+month\b", re.IGNORECASE
)
# "ahead of / in advance of / in time for the next meeting" too (tune-actions scripts, ADR 0167).
# "next meeting" with its "by the" misheard ("my next meeting", "either next meeting"): not after "the",
# "our", "this", "your" ("our next meeting is in May" names a meeting, not a deadline).
_NEXT_MEETING = re.compile(
    r"\b(?:(?:by|before|at|for|to|on|ahead of|in advance of|prior to) the next"
    r"|(?<!\bthe )(?<!\bour )(?<!\bthis )(?<!\byour )(?<!\bits )next) (?:meeting|committee)\b",
    re.IGNORECASE,
)


def _dated(year: int | None, month: int, day: int, base: dt.date) -> dt.date | None:
    try:
        due = dt.date(year or base.year, month, day)
    except ValueError:
        return None
    if year is None and due < base:
        try:
            due = due.replace(year=due.year + 1)
        except ValueError:
            return None
    return due


def _first_after(base: dt.date, weekday: int) -> dt.date:
    return base + dt.timedelta(days=(weekday - base.weekday() - 1) % 7 + 1)


# Where an action names two dates, the deadline is the one after "by" ("a note on the fifth of November
# by 20 March"): the first date said is often what the task is about.
_DEADLINE_CUE = re.compile(r"\b(?:by|before|until|no\s+later\s+than)\s", re.IGNORECASE)


def find_due_date(text: str, meeting_date: dt.date, *, next_meeting_days: int = 28) -> dt.date | None:
    """The date an action is due by, or None when the text names none: the first date after a
    deadline word ("by", "before", "until", "no later than") where there is one, else the first."""
    for cue in _DEADLINE_CUE.finditer(text):
        if cue.start() > 0:
            due = _first_date(text[cue.start() :], meeting_date, next_meeting_days)
            if due:
                return due
    return _first_date(text, meeting_date, next_meeting_days)


def _first_date(text: str, meeting_date: dt.date, next_meeting_days: int) -> dt.date | None:
    base = meeting_date
    text = _cardinal_days_as_digits(_ordinal_words_as_digits(text))
    text = _THE_NEXT_UNIT.sub(r"\1 one ", _misheard_days_as_digits(text))
    for pattern in (_NUMERIC, _ISO):
        match = pattern.search(text)
        if match:
            due = _dated(_year(match.group("y"), base), int(match.group("m")), int(match.group("d")), base)
            if due and 1 <= due.month <= 12:
                return due
    match = _DAY_MONTH.search(text) or _MONTH_DAY.search(text)
    if match:
        due = _dated(
            _year(match.group("y"), base), _month_number(match.group("m")), int(match.group("d")), base
        )
        if due:
            return due
    match = _DAY_ONLY.search(text)
    if match:
        day = int(match.group("d"))
        ahead = 1 if re.search(r"next\s+month", text[match.end() : match.end() + 20], re.IGNORECASE) else 0
        if not ahead and day < base.day:
            ahead = 1
        year, month = base.year + (base.month + ahead - 1) // 12, (base.month + ahead - 1) % 12 + 1
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    match = _END_OF_THIS.search(text)
    if match:
        ahead = 1 if match.group("next") else 0
        unit = match.group("unit").lower()
        if unit == "month":
            return month_end(base.year, base.month + ahead)
        if unit == "week":
            return base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=4 + 7 * ahead)
        if unit == "quarter":  # calendar quarters
            return month_end(base.year, (base.month - 1) // 3 * 3 + 3 + 3 * ahead)
        return dt.date(base.year + ahead, 12, 31)
    match = _END_OF_NAMED.search(text)
    if match:
        month = _month_number(match.group("m"))
        year = base.year + (1 if month < base.month else 0)
        return month_end(year, month)
    if _FORTNIGHT.search(text) or _sounds_like_fortnight(text):
        return base + dt.timedelta(days=14)
    match = _WITHIN.search(text)
    if match:
        n = (
            int(match.group("n"))
            if match.group("n").isdigit()
            else _COUNT_WORDS[match.group("n").lower().strip()]
        )
        unit = match.group("unit").lower()
        if unit.startswith("month"):
            month = base.month + n
            year, month = base.year + (month - 1) // 12, (month - 1) % 12 + 1
            return min(dt.date(year, month, 1) + dt.timedelta(days=base.day - 1), month_end(year, month))
        days = {"d": 1, "w": 7, "f": 14}[unit[0]]
        if match.group("working") and unit.startswith("day"):  # weekends left out
            due = base
            while n > 0:
                due += dt.timedelta(days=1)
                n -= due.weekday() < 5
            return due
        return base + dt.timedelta(days=n * days)
    match = _WEEKDAY_WEEK.search(text)
    if match:
        return _first_after(base, WEEKDAYS[match.group("day").lower()]) + dt.timedelta(days=7)
    match = _NEXT_WEEKDAY.search(text)
    if match:
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=7)
        return monday + dt.timedelta(days=WEEKDAYS[match.group("day").lower()])
    match = _THIS_WEEKDAY.search(text)
    if match:
        return _first_after(base, WEEKDAYS[match.group("day").lower()])
    if _TOMORROW.search(text):
        return base + dt.timedelta(days=1)
    if _NEXT_WEEK.search(text):  # by the end of the working week after this one
        return base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=11)
    if _NEXT_MONTH.search(text):
        return month_end(base.year, base.month + 1)
    if _NEXT_MEETING.search(text):
        return base + dt.timedelta(days=next_meeting_days)
    return None


def date_before(text: str, base: dt.date) -> dt.date | None:
    """The first day and month named in ``text`` as a date on or before ``base`` ("the minutes of the
    nineteenth of January", said in March 2027, are 19 January 2027; said in January 2027, of a
    November meeting, 2026)."""
    text = _cardinal_days_as_digits(_ordinal_words_as_digits(text))
    found = _DAY_MONTH.search(text) or _MONTH_DAY.search(text)
    if not found:
        return None
    year = _year(found.group("y"), base)
    try:
        day = dt.date(year or base.year, _month_number(found.group("m")), int(found.group("d")))
    except (ValueError, KeyError):
        return None
    if year is None and day > base:
        day = day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else None
    return day
