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


def check_protected(shown, raw, counts, *, row_sums=(), total_row=True):
    """A shown table against the same table computed from raw cases, without insights' suppression
    code: every count shown is the raw count; ``<5`` stands exactly for the raw counts 1 to 4; ``[c]``
    only for other counts; and no sum the table shows (a column to the total row, a row's parts to
    its total) holds exactly one withheld cell, so none can be worked out by subtraction.
    Rows are matched by their label (column 0). Returns the number of withheld cells."""
    assert [r[0] for r in shown] and sorted(r[0] for r in shown) == sorted(r[0] for r in raw)
    by_label = {r[0]: r for r in shown}
    withheld = 0
    for row in raw:
        out = by_label[row[0]]
        for c in counts:
            value = row[c]
            if 1 <= value <= 4:
                assert out[c] == "<5", (row[0], c, value, out[c])
                withheld += 1
            elif out[c] == "[c]":
                withheld += 1
            else:
                assert out[c] == value, (row[0], c, value, out[c])
    hidden = {(r[0], c) for r in raw for c in counts if by_label[r[0]][c] in ("<5", "[c]")}
    equations = []
    if total_row:
        body, total = [r[0] for r in raw[:-1]], raw[-1][0]
        equations += [[(total, c), *((b, c) for b in body)] for c in counts]
    for r in raw:
        equations += [[(r[0], t), *((r[0], p) for p in parts)] for t, parts in row_sums]
    for eq in equations:
        assert sum(1 for cell in eq if cell in hidden) != 1, f"one withheld cell in {eq}: recoverable"
    return withheld
