"""Read helpers over the roll-ups: a period is read from the monthly rows for the whole months it
covers and from the daily rows for the days at either end (docs/adr/0085-monthly-rollups.md).

Every sum is grouped in the database by the few dimensions a panel needs, so a page reads at most
hundreds of rows whatever the number of cases, and makes the same queries for the same filters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from .models import DailyCaseStat, DailyCloseTime, MonthlyCaseStat, MonthlyCloseTime

# Read whole months from the monthly rows. benchmarks/insights.py turns this off for one pass to
# measure the same page over the daily rows alone (its baseline); nothing else should.
USE_MONTHS = True

STAT_FIELDS = {
    "received": "received",
    "closed": "closed",
    "in_time": "closed_in_time",
    "reopened": "reopened",
    "duplicates": "duplicates",
}


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def split_period(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """(whole months inside ``start``..``end`` as first days, day ranges left over at either end)."""
    months: list[dt.date] = []
    month = start if start.day == 1 else month_end(start) + dt.timedelta(days=1)
    while month_end(month) <= end:
        months.append(month)
        month = month_end(month) + dt.timedelta(days=1)
    if not months:
        return [], [(start, end)]
    edges = []
    if start < months[0]:
        edges.append((start, months[0] - dt.timedelta(days=1)))
    if month_end(months[-1]) < end:
        edges.append((month_end(months[-1]) + dt.timedelta(days=1), end))
    return months, edges


def _daily_q(edges) -> Q:
    q = Q(pk__in=[])
    for first, last in edges:
        q |= Q(day__gte=first, day__lte=last)
    return q


def summed(
    start: dt.date,
    end: dt.date,
    cell_q: Q,
    dims: tuple[str, ...],
    fields: tuple[str, ...] = tuple(STAT_FIELDS),
    *,
    close_times: bool = False,
) -> list[dict]:
    """Case figures (or, with ``close_times``, closing-time counts ``n``) of ``start``..``end``
    summed by ``dims`` (``service_id``, ``team_id``, ``ward``, ``channel``, ``month``, ``day``,
    ``working_days``). ``cell_q`` filters on the cell fields only."""
    months, edges = split_period(start, end) if USE_MONTHS else ([], [(start, end)])
    if close_times:
        sums = {"n": Sum("count")}
        daily_model, monthly_model = DailyCloseTime, MonthlyCloseTime
    else:
        sums = {f: Sum(STAT_FIELDS[f]) for f in fields}
        daily_model, monthly_model = DailyCaseStat, MonthlyCaseStat
    out: dict[tuple, dict] = {}

    def add(rows):
        for row in rows:
            key = tuple(row[d] for d in dims)
            target = out.get(key)
            if target is None:
                out[key] = row
            else:
                for f in sums:
                    target[f] = (target[f] or 0) + (row[f] or 0)

    if months and "day" not in dims:
        qs = monthly_model.objects.filter(cell_q, month__gte=months[0], month__lte=months[-1])
        add(qs.values(*dims).annotate(**sums).order_by())
    day_ranges = edges if "day" not in dims else [(start, end)]
    if day_ranges:
        qs = daily_model.objects.filter(cell_q & _daily_q(day_ranges))
        if "month" in dims:
            qs = qs.annotate(month=TruncMonth("day"))
        add(qs.values(*dims).annotate(**sums).order_by())
    return [{k: (v or 0) if k in sums else v for k, v in row.items()} for row in out.values()]


def grouped(rows: list[dict], key: str, fields: tuple[str, ...]) -> dict:
    """Rows summed again by one of their keys."""
    out: dict = defaultdict(lambda: dict.fromkeys(fields, 0))
    for row in rows:
        target = out[row[key]]
        for f in fields:
            target[f] += row.get(f) or 0
    return out
