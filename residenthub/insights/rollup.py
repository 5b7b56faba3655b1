"""The roll-ups: every dashboard figure about cases comes from these small tables, never from a
scan of all cases (docs/adr/0081-daily-rollups.md, docs/adr/0085-monthly-rollups.md).

This module counts; ``actions.store_rollups`` writes: the daily rows of the days built and, in the
same transaction, the monthly rows of every month those days fall in (the sum of its daily rows).

``build_days(first, last)`` rebuilds whole days (delete and insert in one transaction), so running it
twice gives the same tables. ``catch_up()`` is the nightly job: it builds every day since the last
built one, and rebuilds the last ``REBUILD_DAYS`` days, which late changes (a letter logged with an
earlier date of receipt, a reopened case) may have touched.

Backlog (open cases at the end of a day) is a snapshot: it is taken for every day of a short build
(the nightly one and its rebuild window), and for month ends and the last day of a long catch-up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Max, Min, Q
from django.utils import timezone

from residenthub.core.calendar import council_closure_days, is_working_day

from .models import UNKNOWN_WARD, DailyBacklog, RollupDay

REBUILD_DAYS = 7
SNAPSHOT_EVERY_DAY_UP_TO = 8  # the nightly build and its rebuild window
CHUNK = 20_000


class WardLookup:
    """A case's ward from its UPRN (the address list), else from its postcode, else "Unknown"."""

    def __init__(self):
        from residenthub.core.models import Address

        self.by_uprn: dict[str, str] = {}
        by_postcode: dict[str, Counter] = defaultdict(Counter)
        for uprn, postcode, ward in Address.objects.exclude(ward="").values_list("uprn", "postcode", "ward"):
            self.by_uprn[uprn] = ward
            by_postcode[postcode][ward] += 1
        # A postcode spanning two wards goes to the ward most of its addresses are in.
        self.by_postcode = {pc: wards.most_common(1)[0][0] for pc, wards in by_postcode.items()}

    def __call__(self, uprn: str, postcode: str) -> str:
        return self.by_uprn.get(uprn or "") or self.by_postcode.get(postcode or "") or UNKNOWN_WARD


class WorkingDays:
    """Working days between two dates in O(1), from a cumulative count (calendar.working_days_between
    walks day by day; a million cases would take minutes)."""

    def __init__(self):
        self.closures = council_closure_days()
        self.start: dt.date | None = None
        self.cumulative: list[int] = []

    def _cover(self, first: dt.date, last: dt.date) -> None:
        if (
            self.start is not None
            and first >= self.start
            and last < self.start + dt.timedelta(len(self.cumulative))
        ):
            return
        # Grow in big steps: cases arrive in any order, and each rebuild walks the whole range.
        start = min(first, self.start or first) - dt.timedelta(days=366)
        end = max(last, (self.start + dt.timedelta(len(self.cumulative) - 1)) if self.start else last)
        end += dt.timedelta(days=31)
        total, cumulative, day = 0, [], start
        while day <= end:
            total += is_working_day(day, closures=self.closures)
            cumulative.append(total)
            day += dt.timedelta(days=1)
        self.start, self.cumulative = start, cumulative

    def between(self, start: dt.date, end: dt.date) -> int:
        """As ``calendar.working_days_between``: working days after ``start`` up to and including ``end``."""
        self._cover(min(start, end), max(start, end))
        return self.cumulative[(end - self.start).days] - self.cumulative[(start - self.start).days]


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _closed_statuses() -> dict[int, set[str]]:
    from residenthub.services.models import Service

    return {
        service.pk: {s.code for s in service.workflow.statuses if s.is_closed}
        for service in Service.objects.only("pk", "workflow_definition")
    }


def _snapshot_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    if len(days) <= SNAPSHOT_EVERY_DAY_UP_TO:
        return days
    return [d for d in days if (d + dt.timedelta(days=1)).day == 1 or d == last]


def build_days(first: dt.date, last: dt.date) -> int:
    """Rebuild the roll-ups of every day from ``first`` to ``last``; returns the cases counted."""
    from residenthub.cases.models import Case, CaseEvent

    if last < first:
        return 0
    ward_of = WardLookup()
    wd = WorkingDays()
    start, end = _bounds(first, last)
    stats: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    close_times: Counter = Counter()
    per_day: Counter = Counter()
    cell_fields = ("service_id", "team_id", "uprn", "postcode", "channel")

    received = Case.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        *cell_fields, "created_at"
    )
    for service_id, team_id, uprn, postcode, channel, created_at in received.iterator(chunk_size=CHUNK):
        day = _local_day(created_at)
        stats[(day, service_id, team_id, ward_of(uprn, postcode), channel)][0] += 1
        per_day[day] += 1

    closed = Case.objects.filter(closed_at__gte=start, closed_at__lt=end).values_list(
        *cell_fields, "created_at", "closed_at", "due_date", "duplicate_of_id"
    )
    for service_id, team_id, uprn, postcode, channel, created_at, closed_at, due, dup in closed.iterator(
        chunk_size=CHUNK
    ):
        day = _local_day(closed_at)
        cell = (day, service_id, team_id, ward_of(uprn, postcode), channel)
        row = stats[cell]
        if dup:
            row[4] += 1  # a duplicate is closed by being marked; it is not the service's work
            continue
        row[1] += 1
        row[2] += day <= due
        close_times[(*cell, wd.between(_local_day(created_at), day))] += 1

    closed_codes = _closed_statuses()
    reopens = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.STATUS_CHANGED, at__gte=start, at__lt=end
    ).values_list(*(f"case__{f}" for f in cell_fields), "from_status", "to_status", "at")
    for service_id, team_id, uprn, postcode, channel, from_status, to_status, at in reopens.iterator(
        chunk_size=CHUNK
    ):
        closed_set = closed_codes.get(service_id, set())
        if from_status in closed_set and to_status not in closed_set:
            stats[(_local_day(at), service_id, team_id, ward_of(uprn, postcode), channel)][3] += 1

    backlog_rows = []
    for day in _snapshot_days(first, last):
        _, day_end = _bounds(day, day)
        still_open = Q(closed_at__isnull=True, is_open=True) | Q(closed_at__gte=day_end)
        open_cases = Case.objects.filter(still_open, created_at__lt=day_end).values_list(
            *cell_fields, "created_at", "due_date"
        )
        cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
        for service_id, team_id, uprn, postcode, channel, created_at, due in open_cases.iterator(
            chunk_size=CHUNK
        ):
            row = cells[(service_id, team_id, ward_of(uprn, postcode), channel)]
            age = wd.between(_local_day(created_at), day)
            row[0] += 1
            row[1] += due < day
            row[2 + (0 if age <= 5 else 1 if age <= 10 else 2 if age <= 20 else 3)] += 1
        backlog_rows.extend(
            DailyBacklog(
                day=day,
                service_id=s,
                team_id=t,
                ward=w,
                channel=c,
                open_cases=r[0],
                overdue=r[1],
                age_0_5=r[2],
                age_6_10=r[3],
                age_11_20=r[4],
                age_over_20=r[5],
            )
            for (s, t, w, c), r in cells.items()
        )

    from .actions import store_rollups

    store_rollups(first, last, stats, close_times, backlog_rows, per_day)
    return sum(per_day.values())


def catch_up(today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """Build every day not built yet up to ``today``, and rebuild the last few. Returns the range."""
    from residenthub.cases.models import Case

    today = today or timezone.localdate()
    last_built = RollupDay.objects.aggregate(last=Max("day"))["last"]
    if last_built is None:
        earliest = Case.objects.aggregate(first=Min("created_at"))["first"]
        if earliest is None:
            return None
        first = _local_day(earliest)
    else:
        first = min(last_built + dt.timedelta(days=1), today - dt.timedelta(days=REBUILD_DAYS))
    build_days(first, today)
    return first, today


def built_days(days: Iterable[dt.date]) -> set[dt.date]:
    return set(RollupDay.objects.filter(day__in=list(days)).values_list("day", flat=True))
