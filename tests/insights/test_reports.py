"""Reports: `hub report run` writes a paginated PDF (filters printed, page numbers, table headers
repeated) and a CSV; report definitions are validated; due reports are emailed through the outbox
and kept in the archive; the Cabinet report covers programmes, spend and Table 3."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from residenthub.core.actions import ActionError
from residenthub.core.models import OutboxMessage
from residenthub.insights import actions, jobs, rollup
from residenthub.insights.models import ReportDefinition, ReportRun

pytestmark = pytest.mark.django_db
STATION = "100090000009"


@pytest.fixture
def october(place):
    day = dt.date(2026, 10, 5)
    for n in range(40):
        place(
            ["report-pothole", "report-street-light"][n % 2],
            received=day + dt.timedelta(n % 20),
            closed=day + dt.timedelta(n % 20 + 2) if n % 4 else None,
            uprn=STATION if n % 3 else "",
            postcode="E20 3JQ",
            channel=["web", "phone", "web", "email"][n % 4],
        )
    rollup.build_days(dt.date(2026, 5, 1), dt.date(2026, 10, 31))


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_report_run_writes_a_paginated_pdf_and_a_csv(october, tmp_path):
    out = tmp_path / "r.pdf"
    call_command(
        "report", "run", "monthly-services", "--period", "2026-10", "--out", str(out), stdout=io.StringIO()
    )
    pages = _text(out.read_bytes())
    assert len(pages) >= 3
    assert "Page 1 of" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "1 October 2026 to 31 October 2026" in pages[0] and "All wards" in pages[0]
    assert "Demand and service level by ward" in "".join(pages)
    # A table that runs onto the next page repeats its header row there.
    headers = sum(p.count("Received Closed Closed in time") for p in pages)
    assert headers >= 1
    csv_text = (tmp_path / "r.csv").read_text()
    assert csv_text.startswith("Monthly service performance") and "Period," in csv_text
    run = ReportRun.objects.get()
    assert run.period == "2026-10" and run.pages == len(pages)


def test_report_errors_are_clear(tmp_path):
    with pytest.raises(CommandError, match="There is no report 'nope'"):
        call_command("report", "run", "nope", "--period", "2026-10", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="is not a period"):
        call_command("report", "run", "monthly-services", "--period", "Oct", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="is not a financial year"):
        call_command(
            "report", "run", "cabinet-annual", "--period", "2026-10", "--out", str(tmp_path / "x.pdf")
        )
    with pytest.raises(CommandError, match="does not exist"):
        call_command("report", "run", "monthly-services", "--period", "2026-10", "--out", "/nowhere/x.pdf")


def test_report_definitions_are_validated(tmp_path):
    path = tmp_path / "reports.yaml"
    path.write_text(
        "reports:\n  - name: bad\n    title: Bad\n    panels: [demand, horoscope]\n    frequency: hourly\n"
        "    recipients: [not-an-address]\n"
    )
    with pytest.raises(ActionError) as info:
        actions.load_reports(path)
    message = str(info.value)
    assert "unknown panels ['horoscope']" in message
    assert "frequency must be monthly, weekly or annual" in message
    assert "not email addresses: ['not-an-address']" in message
    assert not ReportDefinition.objects.exists()


def test_due_reports_are_emailed_through_the_outbox_once(october, django_capture_on_commit_callbacks):
    actions.load_reports()
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_due_reports("2026-11-01") == 1  # monthly-services; highways-weekly is due on Mondays
    run = ReportRun.objects.get(definition__name="monthly-services", period="2026-10")
    messages = OutboxMessage.objects.filter(subject="Monthly service performance: 2026-10")
    assert sorted(messages.values_list("recipient", flat=True)) == sorted(run.sent_to)
    assert f"/staff/insights/reports/{run.pk}/pdf" in messages.first().body_text
    assert jobs.send_due_reports("2026-11-01") == 0  # not twice
    assert jobs.send_due_reports("2026-11-02") == 1  # a Monday: the highways weekly report


def test_archive_lists_and_serves_runs(october, client, councillor, tmp_path):
    call_command(
        "report",
        "run",
        "monthly-services",
        "--period",
        "2026-10",
        "--out",
        str(tmp_path / "r.pdf"),
        stdout=io.StringIO(),
    )
    run = ReportRun.objects.get()
    client.force_login(councillor)
    assert "Monthly service performance" in client.get("/staff/insights/reports/").content.decode()
    pdf = client.get(f"/staff/insights/reports/{run.pk}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/staff/insights/reports/{run.pk}/csv")["Content-Type"].startswith("text/csv")


def test_cabinet_annual_report(tmp_path):
    actions.load_benefits()
    out = tmp_path / "cabinet.pdf"
    call_command(
        "report", "run", "cabinet-annual", "--period", "2025/26", "--out", str(out), stdout=io.StringIO()
    )
    text = " ".join(_text(out.read_bytes()))
    for expected in [
        "Programme status, spend against budget",
        "Benefits against Table 3",
        "Business Intelligence",
        "14,186",
        "Measured benefits",
    ]:
        assert expected in text, expected
    assert "Children & Young People" in (tmp_path / "cabinet.csv").read_text()
