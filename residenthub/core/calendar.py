"""The working-day calendar used by every clock.

Day one is the first working day after the day of receipt, so a request received on a Friday
with a 1-day target is due on the following Monday. Bank holidays come from the ``holidays``
package (England by default); council closure days (``core.ClosureDay``, set by an
administrator) are not working days either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

DEFAULT_REGIONS = ("ENG",)
UK_REGIONS = ("ENG", "WLS", "SCT", "NIR")  # FOI Act s.10(6): a bank holiday anywhere in the UK
_CLOSURES_KEY = "calendar:closure-days"


@lru_cache(maxsize=64)
def _bank_holidays(year: int, regions: tuple[str, ...]) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for region in regions:
        days.update(holidays.country_holidays("GB", subdiv=region, years=year).keys())
    return frozenset(days)


def council_closure_days() -> frozenset[dt.date]:
    """Closure days from the database, cached until one is added or removed."""
    from django.core.cache import cache

    from .models import ClosureDay

    days = cache.get(_CLOSURES_KEY)
    if days is None:
        days = frozenset(ClosureDay.objects.values_list("date", flat=True))
        cache.set(_CLOSURES_KEY, days, 3600)
    return days


def forget_closure_days() -> None:
    from django.core.cache import cache

    cache.delete(_CLOSURES_KEY)


def is_working_day(
    day: dt.date, regions: tuple[str, ...] = DEFAULT_REGIONS, closures: Iterable[dt.date] = ()
) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year, regions) and day not in closures


def add_working_days(
    start: dt.date,
    days: int,
    regions: tuple[str, ...] = DEFAULT_REGIONS,
    closures: frozenset[dt.date] | None = None,
) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    if closures is None:
        closures = council_closure_days()
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current, regions, closures):
            remaining -= 1
    return current


def working_days_between(
    start: dt.date,
    end: dt.date,
    regions: tuple[str, ...] = DEFAULT_REGIONS,
    closures: frozenset[dt.date] | None = None,
) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start, regions, closures)
    if closures is None:
        closures = council_closure_days()
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, regions, closures):
            count += 1
    return count
