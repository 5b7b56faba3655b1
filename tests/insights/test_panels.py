"""Every dashboard figure against the same figure computed independently from the raw cases.

The independent side uses only the cases table, the address list and ``core.calendar`` (not the
roll-ups, nor insights' own working-day index)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest

from residenthub.cases.models import Case
from residenthub.core.calendar import working_days_between
from residenthub.core.models import Address
from residenthub.insights import panels, rollup
from residenthub.insights.filters import Filters, parse_period
from tests.insights.conftest import check_protected

pytestmark = pytest.mark.django_db

STATION = "100090000009"  # 1 Station Road, ward Station
AUG = dt.date(2026, 8, 3)  # a Monday; 31 August 2026 is the summer bank holiday in England


def ward_of(case) -> str:
    if case.uprn:
        return Address.objects.get(uprn=case.uprn).ward
    wards = Counter(
        Address.objects.filter(postcode=case.postcode).exclude(ward="").values_list("ward", flat=True)
    )
    return wards.most_common(1)[0][0] if wards else "Unknown"


def sup(n):
    """Suppression, written out again: 1 to 4 becomes "<5"."""
    return n if n == 0 or n >= 5 else "<5"


def nearest_rank(values, share):
    ordered = sorted(values)
    return ordered[math.ceil(share * len(ordered)) - 1]


@pytest.fixture
def august(place):
    """Highways cases in August 2026 in two wards and three channels, and a housing case."""
    d = AUG
    cases = [
        place(received=d, closed=d + dt.timedelta(1), due=d + dt.timedelta(7), uprn=STATION),
        place(received=d, closed=d + dt.timedelta(2), due=d + dt.timedelta(7), uprn=STATION),
        place(received=d, closed=d + dt.timedelta(7), due=d + dt.timedelta(7), uprn=STATION),
        place(
            received=d, closed=d + dt.timedelta(11), due=d + dt.timedelta(7), uprn=STATION, channel="phone"
        ),
        place(
            received=d + dt.timedelta(7), closed=d + dt.timedelta(25), due=d + dt.timedelta(14), uprn=STATION
        ),
        # Received Friday 28 August, closed Tuesday 1 September: one working day (the bank holiday).
        place(
            received=dt.date(2026, 8, 28), closed=dt.date(2026, 9, 1), due=dt.date(2026, 9, 4), uprn=STATION
        ),
        place(received=d + dt.timedelta(8), uprn=STATION, due=d + dt.timedelta(15)),  # still open, overdue
        place(received=d + dt.timedelta(9), uprn=STATION, channel="face_to_face", due=dt.date(2026, 9, 30)),
        # Riverside by postcode only: three cases, a cell to suppress.
        place(received=d + dt.timedelta(2), closed=d + dt.timedelta(4), postcode="E20 3JQ", channel="phone"),
        place(received=d + dt.timedelta(2), postcode="E20 3JQ", channel="letter"),
        place(received=d + dt.timedelta(3), postcode="E20 3JQ"),
        # Another team's case, with no known address.
        place("housing-repair", received=d, closed=d + dt.timedelta(3), postcode="ZZ1 1ZZ"),
    ]
    rollup.build_days(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    return cases


def _filters(**params):
    params.setdefault("period", "2026-08")
    filters, errors = Filters.from_query(params)
    assert errors == {}
    return filters


def _raw(filters):
    start, end = parse_period(filters.period)
    qs = Case.objects.all()
    if filters.team_id:
        qs = qs.filter(team_id=filters.team_id)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.service_id:
        qs = qs.filter(service_id=filters.service_id)
    cases = list(qs)
    if filters.ward:
        cases = [c for c in cases if ward_of(c) == filters.ward]
    local = lambda t: t.astimezone(dt.UTC).date() if t else None  # noqa: E731 - Europe/London in August is UTC+1, 10:00 stays the same day
    received = [c for c in cases if start <= local(c.created_at) <= end]
    closed = [c for c in cases if c.closed_at and start <= local(c.closed_at) <= end]
    return received, closed


def _row(panel, label):
    return next(r for r in panel.rows if r[0] == label)


def _local(t):
    """Europe/London in August and September is UTC+1: 10:00 and 15:00 stay on the same day."""
    return t.astimezone(dt.UTC).date() if t else None


def raw_demand(filters, key):
    """The demand table from raw cases: [label, received, closed, in time, late] + an All row."""
    received, closed = _raw(filters)
    rows = {}
    for c in received:
        rows.setdefault(key(c), [key(c), 0, 0, 0, 0])[1] += 1
    for c in closed:
        row = rows.setdefault(key(c), [key(c), 0, 0, 0, 0])
        row[2] += 1
        row[3 if _local(c.closed_at) <= c.due_date else 4] += 1
    body = sorted(rows.values())
    return [*body, ["All", *(sum(r[i] for r in body) for i in range(1, 5))]]


def test_demand_by_ward_and_service_level_match_raw_cases(august):
    filters = _filters(team="highways", by="ward")
    panel = panels.build(filters, ["demand"])[0]
    raw = raw_demand(filters, ward_of)
    by_ward = {r[0]: r for r in raw}
    assert by_ward["Station"][1] >= 5 and 0 < by_ward["Riverside"][1] < 5
    assert check_protected(panel.rows, raw, (1, 2, 3, 4), row_sums=[(2, (3, 4))]) > 0
    assert _row(panel, "Riverside")[1] == "<5"  # suppressed, never the number
    # Two wards and a total: Station's count would give Riverside's back, so it is withheld too.
    assert _row(panel, "Station")[1] == "[c]"
    total = by_ward["All"]
    assert _row(panel, "All")[1:5] == [sup(v) for v in total[1:5]]
    # 4 of 6 closed in time, 2 late: the percentage would give both counts back.
    assert total[2:5] == [6, 4, 2] and _row(panel, "All")[5] == "[c]"
    assert total[1] == 11


def test_demand_by_service_with_nothing_withheld(august):
    filters = _filters(team="highways", by="service")
    panel = panels.build(filters, ["demand"])[0]
    raw = raw_demand(filters, lambda c: c.service.name)
    check_protected(panel.rows, raw, (1, 2, 3, 4), row_sums=[(2, (3, 4))])
    pothole = next(r for r in raw if r[0] == "Report a pothole")
    assert _row(panel, "Report a pothole")[1] == pothole[1] == 11


def test_web_channel_filter(august):
    filters = _filters(team="highways", by="ward", channel="web")
    panel = panels.build(filters, ["demand"])[0]
    received, _ = _raw(filters)
    assert all(c.channel == "web" for c in received)
    raw = raw_demand(filters, ward_of)
    assert [r[:2] for r in raw] == [["Riverside", 1], ["Station", 6], ["All", 7]]
    check_protected(panel.rows, raw, (1, 2, 3, 4), row_sums=[(2, (3, 4))])
    assert _row(panel, "Station")[1] == "[c]" and _row(panel, "All")[1] == 7


def test_weekly_demand(august):
    filters = _filters(team="highways")
    panel = panels.build(filters, ["weekly"])[0]
    received, _ = _raw(filters)
    weeks = Counter(
        _local(c.created_at) - dt.timedelta(days=_local(c.created_at).weekday()) for c in received
    )
    week = dt.date(2026, 7, 27)  # the Monday of the week 1 August 2026 falls in
    raw = []
    while week <= dt.date(2026, 8, 31):
        raw.append([f"w/c {week:%-d %b %Y}", weeks[week]])
        week += dt.timedelta(days=7)
    raw.append(["All weeks", len(received)])
    check_protected(panel.rows, raw, (1,))


def test_service_level_times_in_working_days(august):
    filters = _filters(service="report-pothole")
    panel = panels.build(filters, ["service_level"])[0]
    _, closed = _raw(filters)
    days = [working_days_between(c.created_at.date(), c.closed_at.date()) for c in closed]
    assert len(days) >= 5
    row = _row(panel, "All")
    assert row[1] == sup(len(days))
    assert row[4] == nearest_rank(days, 0.5)
    assert row[5] == nearest_rank(days, 0.9)
    met = sum(1 for c in closed if _local(c.closed_at) <= c.due_date)
    raw = [
        ["Report a pothole", len(closed), met, len(closed) - met],
        ["All", len(closed), met, len(closed) - met],
    ]
    check_protected([r[:4] for r in panel.rows], raw, (1, 2, 3), row_sums=[(1, (2, 3))])


def test_bank_holiday_does_not_count(august):
    september = _filters(period="2026-09", service="report-pothole")
    _, closed = _raw(september)
    assert [working_days_between(c.created_at.date(), c.closed_at.date()) for c in closed] == [1]
    from residenthub.insights.models import DailyCloseTime

    assert list(
        DailyCloseTime.objects.filter(day=dt.date(2026, 9, 1)).values_list("working_days", "count")
    ) == [(1, 1)]


def test_backlog_and_age_at_the_end_of_the_period(august):
    filters = _filters(team="highways", by="ward")
    panel = panels.build(filters, ["backlog"])[0]
    end = dt.date(2026, 8, 31)
    open_then = [
        c
        for c in Case.objects.filter(team__slug="highways")
        if c.created_at.date() <= end and (c.closed_at is None or c.closed_at.date() > end)
    ]
    station = [c for c in open_then if ward_of(c) == "Station"]
    assert len(station) >= 1
    raw = {}
    for c in open_then:
        age = working_days_between(c.created_at.date(), end)
        row = raw.setdefault(ward_of(c), [ward_of(c), 0, 0, 0, 0, 0, 0])
        row[1] += 1
        row[2] += c.due_date < end
        row[3 + (0 if age <= 5 else 1 if age <= 10 else 2 if age <= 20 else 3)] += 1
    body = sorted(raw.values())
    table = [*body, ["All", *(sum(r[i] for r in body) for i in range(1, 7))]]
    check_protected(panel.rows, table, (1, 2, 3, 4, 5, 6), row_sums=[(1, (3, 4, 5, 6))])
    assert _row(panel, "All")[1] == sup(len(open_then))


def test_channel_shift_shares(august):
    filters = _filters(team="highways")
    panel = panels.build(filters, ["channel_shift"])[0]
    received, _ = _raw(filters)
    online = sum(1 for c in received if c.channel in ("web", "open311", "api"))
    phone = sum(1 for c in received if c.channel == "phone")
    row = _row(panel, "August 2026")
    assert row[1] == sup(len(received))
    assert online >= 5 and row[2] == round(100 * online / len(received), 1)
    # Two phone requests: their share with the month's total would give the count back.
    assert 0 < phone < 5 and row[3] == "<5"
    groups = [
        online,
        phone,
        *(sum(1 for c in received if c.channel == k) for k in ("face_to_face", "letter", "email")),
    ]
    withheld = [v for v, shown in zip(groups, row[2:], strict=True) if shown in ("<5", "[c]")]
    assert len(withheld) != 1 and all(v < 5 for v in withheld if v)


def test_reopen_and_duplicate_rates(make_case, administrator):
    from django.utils import timezone

    from residenthub.cases import actions

    today = timezone.localdate()
    cases = [make_case() for _ in range(8)]
    for case in cases[:7]:
        actions.transition(case, "resolved", by=None)
    actions.reopen(Case.objects.get(pk=cases[0].pk), by=None, reason="Not fixed")
    actions.mark_duplicate(cases[7], cases[1], by=None)
    rollup.build_days(today, today)
    filters = _filters(period=f"{today:%Y-%m}", service="report-pothole")
    row = _row(panels.build(filters, ["quality"])[0], "Report a pothole")
    raw = Case.objects.filter(service__code="report-pothole")
    closed = raw.filter(is_open=False, duplicate_of__isnull=True).count()
    duplicates = raw.filter(duplicate_of__isnull=False).count()
    reopened = 1  # the one reopen above; its case is open again, so it is not among the closed
    assert (closed, duplicates) == (6, 1)
    # One reopening of 6 closed, one duplicate of 7 ended: the counts are under 5, and their rates
    # (with the closed count shown) would give them back, so the rates are withheld too.
    assert (reopened, duplicates) == (1, 1)
    assert row[1:] == [closed, "<5", "[c]", "<5", "[c]"]


def test_suppression_never_leaks_into_exports(august, client, service_manager):
    client.force_login(service_manager)
    response = client.get(
        "/staff/insights/", {"period": "2026-08", "team": "highways", "by": "ward", "format": "csv"}
    )
    text = response.content.decode()
    riverside = next(line for line in text.splitlines() if line.startswith("Riverside"))
    assert riverside.split(",")[1] == "<5"


def test_demand_over_a_long_period_is_by_month(august):
    filters = _filters(period="2026-07-01..2026-09-30", team="highways")
    panel = panels.build(filters, ["weekly"])[0]
    received, _ = _raw(filters)
    by_month = Counter(f"{_local(c.created_at):%B %Y}" for c in received)
    raw = [[m, by_month[m]] for m in ("July 2026", "August 2026", "September 2026")]
    raw.append(["All months", len(received)])
    assert panel.title == "Demand by month" and len(received) == 11
    check_protected(panel.rows, raw, (1,))
    assert panel.rows == [["July 2026", 0], ["August 2026", 11], ["September 2026", 0], ["All months", 11]]
