"""Goal: insights figures before and after anonymisation are equal for aggregates."""

import datetime as dt

import pytest
from django.utils import timezone

from residenthub.cases.models import Case
from residenthub.core.actions import Actor
from residenthub.insights import panels, rollup
from residenthub.insights.filters import Filters
from residenthub.insights.models import DailyBacklog, DailyCaseStat, DailyCloseTime
from residenthub.retention import actions

pytestmark = pytest.mark.django_db
WARDS = {"Station": ("100090000009", ""), "Riverside": ("100090000720", ""), "Market": ("", "E20 4LR")}


def _snapshot():
    def rows(model):
        fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
        return sorted(tuple(str(v) for v in r) for r in model.objects.values_list(*fields))

    return {m.__name__: rows(m) for m in (DailyCaseStat, DailyCloseTime, DailyBacklog)}


def _panels(start, end):
    filters = Filters(period="custom", start=start, end=end)
    return [(p.key, p.columns, p.rows) for p in panels.build(filters)]


def test_aggregates_are_equal_before_and_after_anonymisation(make_case):
    start = timezone.localdate() - dt.timedelta(days=120)
    n = 0
    for ward, (uprn, postcode) in WARDS.items():
        for i in range(6):
            code = ["report-pothole", "missed-bin", "housing-repair"][i % 3]
            case = make_case(
                code,
                name=f"Person {ward} {i}",
                email=f"p{ward}{i}@example.com",
                channel=["web", "phone"][i % 2],
            )
            received = start + dt.timedelta(days=i * 7 + n)
            fields = {
                "created_at": timezone.make_aware(dt.datetime.combine(received, dt.time(9))),
                "uprn": uprn,
                "postcode": postcode,
                "due_date": received + dt.timedelta(days=10),
            }
            if i % 4:
                fields.update(
                    is_open=False,
                    status="closed",
                    closed_at=timezone.make_aware(
                        dt.datetime.combine(received + dt.timedelta(days=i + 2), dt.time(15))
                    ),
                )
            Case.objects.filter(pk=case.pk).update(**fields)
            n += 1
    first, last = start - dt.timedelta(days=5), timezone.localdate()
    rollup.build_days(first, last)
    before, panels_before = _snapshot(), _panels(first, last)
    assert before["DailyCaseStat"], "the roll-ups have rows to compare"

    # Ten years on, every closed case is past its period: the sweep anonymises them all.
    run = actions.sweep(
        by=Actor.system("retention"), classes=["case"], now=timezone.now() + dt.timedelta(days=3650)
    )
    anonymised = Case.objects.filter(is_open=False, contact_email="").count()
    assert run.counts["case"]["done"] == anonymised == Case.objects.filter(is_open=False).count() > 0
    assert not Case.objects.filter(is_open=False).exclude(uprn="").exists(), "no property left on them"

    for model in (DailyCaseStat, DailyCloseTime, DailyBacklog):
        model.objects.all().delete()
    rollup.build_days(first, last)
    assert _snapshot() == before
    assert _panels(first, last) == panels_before
