"""Insights fixtures: the councillor and outsider personas, and cases placed at known dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from residenthub.accounts.models import COUNCILLOR_GROUP
from residenthub.cases.models import Case
from tests.conftest import PASSWORD, _staff


@pytest.fixture
def councillor(db):
    user = _staff("cllr.mills", None, email="cllr@council.example")
    group, _ = Group.objects.get_or_create(name=COUNCILLOR_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but not staff (a resident's account, say)."""
    return get_user_model().objects.create_user(username="outsider", password=PASSWORD)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def place(make_case):
    """``place(code, received=date, closed=date|None, due=date, channel=..., uprn=..., postcode=...)``:
    a case made through the real action, then moved to known dates (tests only)."""

    def _place(
        code="report-pothole", *, received, closed=None, due=None, channel="web", uprn="", postcode="", **kw
    ):
        case = make_case(code, channel=channel, **kw)
        fields = {
            "created_at": at(received),
            "uprn": uprn,
            "postcode": postcode,
            "due_date": due or received + dt.timedelta(days=14),
        }
        if closed:
            fields.update(closed_at=at(closed, 15), is_open=False, status="resolved")
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
        return case

    return _place
