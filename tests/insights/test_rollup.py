"""The nightly roll-up job: idempotent, catches up missed days, rebuilds the last week."""

from __future__ import annotations

import datetime as dt

import pytest

from residenthub.cases.models import Case
from residenthub.insights import rollup
from residenthub.insights.models import DailyCaseStat, RollupDay

pytestmark = pytest.mark.django_db


def test_catch_up_builds_missed_days_and_rebuilds_the_last_week(place):
    day = dt.date(2026, 9, 1)
    first = place(received=day)
    assert rollup.catch_up(today=day) == (day, day)
    # The job did not run for ten days; a case arrived on the 5th, and a letter received on the
    # 8th was logged later with its date of receipt.
    place(received=day + dt.timedelta(days=4))
    built = rollup.catch_up(today=day + dt.timedelta(days=10))
    assert built == (day + dt.timedelta(days=1), day + dt.timedelta(days=10))
    assert RollupDay.objects.count() == 11
    late = place(received=day + dt.timedelta(days=7))
    rollup.catch_up(today=day + dt.timedelta(days=11))  # rebuilds from the 5th: the letter is counted
    received = dict(DailyCaseStat.objects.values_list("day", "received"))
    assert received == {day: 1, day + dt.timedelta(days=4): 1, day + dt.timedelta(days=7): 1}
    # Running it again changes nothing.
    rollup.catch_up(today=day + dt.timedelta(days=11))
    assert sorted(DailyCaseStat.objects.values_list("day", "received")) == sorted(received.items())
    assert Case.objects.filter(pk__in=[first.pk, late.pk]).count() == 2


def test_working_day_index_matches_the_calendar():
    from residenthub.core.calendar import working_days_between

    index = rollup.WorkingDays()
    start = dt.date(2025, 12, 20)
    for offset in range(0, 40, 3):
        for back in (0, 1, 9):
            a, b = start - dt.timedelta(days=back), start + dt.timedelta(days=offset)
            assert index.between(a, b) == working_days_between(a, b), (a, b)


def test_demo_builds_history_rollups_register_and_a_councillor():
    from django.contrib.auth import get_user_model

    from residenthub.insights import demo
    from residenthub.insights.models import BenefitsLoad, ReportDefinition

    message = demo.load(cases=12, days=40)
    assert "12 past requests" in message
    assert Case.objects.filter(channel_detail=demo.MARKER).count() == 12
    assert DailyCaseStat.objects.exists() and ReportDefinition.objects.filter(name="cabinet-annual").exists()
    assert len(BenefitsLoad.objects.get().findings) == 5
    assert get_user_model().objects.get(username="councillor").groups.filter(name="councillor").exists()
    assert "0 past requests" in demo.load(cases=12, days=40)  # loaded once


def test_split_period_into_whole_months_and_days_at_either_end():
    from residenthub.insights.queries import split_period

    d = dt.date
    assert split_period(d(2026, 8, 1), d(2026, 8, 31)) == ([d(2026, 8, 1)], [])
    assert split_period(d(2026, 7, 20), d(2026, 9, 10)) == (
        [d(2026, 8, 1)],
        [(d(2026, 7, 20), d(2026, 7, 31)), (d(2026, 9, 1), d(2026, 9, 10))],
    )
    assert split_period(d(2026, 8, 3), d(2026, 8, 9)) == ([], [(d(2026, 8, 3), d(2026, 8, 9))])
    assert split_period(d(2025, 4, 1), d(2026, 3, 31))[0] == [
        d(2025 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(4, 16)
    ]
    assert split_period(d(2026, 2, 1), d(2026, 2, 28)) == ([d(2026, 2, 1)], [])


def _monthly_equals_daily():
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from residenthub.insights.models import DailyCloseTime, MonthlyCaseStat, MonthlyCloseTime

    cell = ("service_id", "team_id", "ward", "channel")
    fields = ("received", "closed", "closed_in_time", "reopened", "duplicates")
    daily = {
        (r["month"], *(r[c] for c in cell)): tuple(r[f] for f in fields)
        for r in DailyCaseStat.objects.annotate(month=TruncMonth("day"))
        .values("month", *cell)
        .annotate(**{f: Sum(f) for f in fields})
    }
    monthly = {
        (r["month"], *(r[c] for c in cell)): tuple(r[f] for f in fields)
        for r in MonthlyCaseStat.objects.values("month", *cell, *fields)
    }
    assert monthly == daily and daily
    close_daily = {
        (r["month"], *(r[c] for c in cell), r["working_days"]): r["n"]
        for r in DailyCloseTime.objects.annotate(month=TruncMonth("day"))
        .values("month", *cell, "working_days")
        .annotate(n=Sum("count"))
    }
    close_monthly = {
        (r["month"], *(r[c] for c in cell), r["working_days"]): r["count"]
        for r in MonthlyCloseTime.objects.values("month", *cell, "working_days", "count")
    }
    assert close_monthly == close_daily
    return monthly


def test_monthly_rollups_are_the_sums_of_the_daily_ones_after_every_build(place):
    day = dt.date(2026, 8, 28)
    place(received=day, closed=day + dt.timedelta(days=4))
    place(received=day, closed=day + dt.timedelta(days=1), channel="phone")
    place("missed-bin", received=day - dt.timedelta(days=30), closed=day)
    rollup.build_days(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    before = _monthly_equals_daily()
    assert {k[0] for k in before} == {dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1)}
    # A letter logged late with its date of receipt in August: the nightly rebuild of a few days
    # rewrites August's month from its days.
    place(received=dt.date(2026, 8, 31), channel="letter")
    rollup.build_days(dt.date(2026, 8, 29), dt.date(2026, 9, 2))
    after = _monthly_equals_daily()
    assert sum(v[0] for v in after.values()) == sum(v[0] for v in before.values()) + 1


def test_a_period_across_months_reads_months_and_days_and_equals_raw_cases(place):
    from residenthub.core.calendar import working_days_between
    from residenthub.insights import panels
    from residenthub.insights.filters import Filters

    received = [dt.date(2026, 7, 27), dt.date(2026, 7, 31), dt.date(2026, 8, 3), dt.date(2026, 8, 14)]
    received += [dt.date(2026, 8, 28), dt.date(2026, 9, 2), dt.date(2026, 9, 9), dt.date(2026, 9, 15)]
    cases = [place(received=d, closed=d + dt.timedelta(days=3 + i)) for i, d in enumerate(received)]
    rollup.build_days(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    filters, errors = Filters.from_query({"period": "2026-07-28..2026-09-10", "service": "report-pothole"})
    assert errors == {}
    demand, level = panels.build(filters, ["demand", "service_level"])
    start, end = filters.start, filters.end

    def local(t):
        return t.astimezone(dt.UTC).date()  # UTC+1 in summer: 10:00 and 15:00 stay on their day

    inside = [c for c in cases if start <= local(c.created_at) <= end]
    closed = [c for c in cases if start <= local(c.closed_at) <= end]
    assert len(inside) == 6 and len(closed) == 6
    in_time = sum(1 for c in closed if local(c.closed_at) <= c.due_date)
    assert demand.rows[-1][1:3] == [6, 6]
    assert demand.rows[-1][3] == (in_time if in_time >= 5 else "<5")
    days = sorted(working_days_between(local(c.created_at), local(c.closed_at)) for c in closed)
    assert level.rows[-1][4] == days[2]  # nearest rank: the 3rd of 6
    assert level.rows[-1][5] == days[5]
