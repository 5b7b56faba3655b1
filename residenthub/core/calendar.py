"""The working-day calendar used by every clock.

Day one is the first working day after the day of receipt, so a request received on a Friday
with a 1-day target is due on the following Monday. Bank holidays come from the ``holidays``
package (England by default, ``HOLIDAY_REGIONS`` to add Scotland, Wales, Northern Ireland).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

DEFAULT_REGIONS = ("ENG",)


@lru_cache(maxsize=32)
def _bank_holidays(year: int, regions: tuple[str, ...]) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for region in regions:
        days.update(holidays.country_holidays("GB", subdiv=region, years=year).keys())
    return frozenset(days)


def is_working_day(day: dt.date, regions: tuple[str, ...] = DEFAULT_REGIONS) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year, regions)


def add_working_days(start: dt.date, days: int, regions: tuple[str, ...] = DEFAULT_REGIONS) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current, regions):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date, regions: tuple[str, ...] = DEFAULT_REGIONS) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start, regions)
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, regions):
            count += 1
    return count
