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
