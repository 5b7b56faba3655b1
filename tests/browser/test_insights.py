"""Insights in a real browser: the service manager's journey (issue 16, "Done means") and axe-core
on every insights page, with and without JavaScript."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from residenthub.cases.models import Case
from residenthub.insights import actions, rollup
from residenthub.insights.filters import last_month
from tests.conftest import PASSWORD, _staff

from .conftest import DESKTOP
from .helpers import assert_error_summary, heading, press, sign_in, visit

pytestmark = pytest.mark.browser
WARDS = {"Station": "100090000009", "Riverside": "100090000720", "Market": None}


@pytest.fixture
def last_months_highways(hub, make_case):
    """Highways requests last month in three wards, most closed, on the web and the phone."""
    start = dt.date.fromisoformat(last_month() + "-01")
    n = 0
    for ward, uprn in WARDS.items():
        for i in range(7):
            case = make_case(
                ["report-pothole", "report-street-light"][i % 2], channel=["web", "phone"][i % 3 == 0]
            )
            received = start + dt.timedelta(days=i * 3)
            fields = {
                "created_at": timezone.make_aware(dt.datetime.combine(received, dt.time(9))),
                "uprn": uprn or "",
                "postcode": "E20 4LR" if ward == "Market" else "",
                "due_date": received + dt.timedelta(days=7),
            }
            if i % 5:
                fields.update(
                    is_open=False,
                    status="resolved",
                    closed_at=timezone.make_aware(
                        dt.datetime.combine(received + dt.timedelta(days=i % 9), dt.time(15))
                    ),
                )
            Case.objects.filter(pk=case.pk).update(**fields)
            n += 1
    rollup.build_days(start - dt.timedelta(days=150), timezone.localdate())
    actions.load_benefits()
    actions.load_reports()
    return n


def test_service_manager_journey_and_axe(open_page, check_page, last_months_highways):
    _staff("manager", "highways", "service_manager")
    page = open_page(viewport=DESKTOP)
    sign_in(page, "manager", PASSWORD)
    visit(page, "/staff/insights/")
    assert heading(page) == "Service dashboard"
    check_page(page, "insights dashboard")
    page.get_by_label("Team", exact=True).select_option("highways")
    page.get_by_label("Break down demand and backlog by").select_option("ward")
    press(page, "Show figures")
    table = page.locator(
        "table", has=page.locator("caption", has_text="Requests received, and requests closed")
    )
    text = table.inner_text()
    for ward in WARDS:
        assert ward in text
    assert "Service level met (%)" in text
    page.get_by_label("Channel", exact=True).select_option("web")
    press(page, "Show figures")
    assert "Online" in page.locator(".hub-filters-shown").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    path = download.value.path()
    content = Path(path).read_text(encoding="utf-8")
    assert "Channel,Online" in content and "Team,Highways" in content and "Station" in content
    # The CSV link keeps focus after the download (GOV.UK's yellow focus state, which axe misreads
    # as an unstyled link); check the page as it reads, not mid-click.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    check_page(page, "insights dashboard filtered")
    for url, title in [
        ("/staff/insights/kpis/", "Service KPIs"),
        ("/staff/insights/benefits/", "Benefits tracker: Digital Strategy 2024-27"),
        ("/staff/insights/reports/", "Report archive"),
    ]:
        visit(page, url)
        assert heading(page) == title
        check_page(page, title)
    visit(page, "/staff/insights/?period=soon", status=400)
    assert_error_summary(
        page,
        "f-period",
        (
            "'soon' is not a period: use a month (2026-10), a financial year (2025/26) "
            "or a date range (2026-09-01..2026-10-31)."
        ),
    )
    check_page(page, "dashboard with an error")


def test_insights_pages_without_javascript(open_page, check_page, last_months_highways):
    user = _staff("cllr", None)
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get_or_create(name="councillor")[0])
    page = open_page(js=False, viewport=DESKTOP)
    # A councillor has no team queue: sign in straight to insights.
    visit(page, "/staff/login/?next=/staff/insights/")
    page.get_by_label("Username").fill("cllr")
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Sign in")
    for url in ["/staff/insights/", "/staff/insights/benefits/"]:
        visit(page, url)
        check_page(page, url)
