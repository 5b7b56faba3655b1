"""Insights pages: who may see them (persona by persona), filters with clear errors, downloads,
a constant number of queries, and the figures of the panels that read other apps' tables."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from residenthub.insights import panels, rollup
from residenthub.insights.filters import Filters

pytestmark = pytest.mark.django_db
PAGES = ["/staff/insights/", "/staff/insights/kpis/", "/staff/insights/benefits/", "/staff/insights/reports/"]


@pytest.mark.parametrize("url", PAGES)
def test_personas(
    url, client, highways_officer, team_leader, service_manager, councillor, outsider, administrator
):
    for user, allowed in [
        (highways_officer, False),
        (team_leader, True),
        (service_manager, True),
        (councillor, True),
        (administrator, True),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == (200 if allowed else 403), user.username
    client.force_login(outsider)
    assert client.get(url).status_code == 302  # to the staff sign-in
    client.logout()
    assert client.get(url).status_code == 302


def test_councillor_cannot_change_a_rag_status(client, councillor, service_manager):
    from residenthub.insights import actions
    from residenthub.insights.models import Benefit

    actions.load_benefits()
    benefit = Benefit.objects.get(slug="place-telephony-and-waste")
    client.force_login(councillor)
    assert (
        client.post(
            f"/staff/insights/benefits/{benefit.slug}/rag", {"rag": "red", "rationale": "x"}
        ).status_code
        == 403
    )
    client.force_login(service_manager)
    response = client.post(f"/staff/insights/benefits/{benefit.slug}/rag", {"rag": "red", "rationale": ""})
    assert response.status_code == 400 and "Give the reason for this RAG status." in response.content.decode()
    response = client.post(
        f"/staff/insights/benefits/{benefit.slug}/rag", {"rag": "red", "rationale": "Waste review slipped."}
    )
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert benefit.rag == "red" and benefit.rag_history.first().rationale == "Waste review slipped."


def test_bad_filters_get_specific_errors(client, service_manager):
    client.force_login(service_manager)
    response = client.get("/staff/insights/", {"period": "October", "service": "nope", "channel": "pigeon"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "&#x27;October&#x27; is not a period" in body
    assert "There is no service &#x27;nope&#x27; in the catalogue." in body
    assert "&#x27;pigeon&#x27; is not a channel" in body
    assert client.get("/staff/insights/", {"period": "2026-13"}).status_code == 400
    assert client.get("/staff/insights/", {"period": "2026-10-31..2026-10-01"}).status_code == 400


def test_csv_and_xlsx_downloads_print_the_filters(client, service_manager, make_case):
    make_case()
    rollup.catch_up()
    client.force_login(service_manager)
    period = f"{timezone.localdate():%Y-%m}"
    response = client.get(
        "/staff/insights/", {"period": period, "team": "highways", "channel": "web", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Team,Highways" in text and "Channel,Online" in text
    assert "Demand and service level by service" in text
    response = client.get("/staff/insights/", {"period": period, "format": "xlsx", "panel": "demand"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Filters", "demand"]
    assert book["demand"]["A2"].value == "Service"
    assert client.get("/staff/insights/kpis/", {"period": period, "format": "csv"}).status_code == 200


def test_query_count_does_not_grow_with_the_data(client, service_manager, place):
    client.force_login(service_manager)
    day = dt.date(2026, 8, 3)
    params = {"period": "2026-08", "by": "ward"}

    def count():
        rollup.build_days(dt.date(2026, 7, 1), dt.date(2026, 8, 31))
        client.get("/staff/insights/", params)  # sessions and caches warm (Redis, cached_db sessions)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/staff/insights/", params).status_code == 200
        return len(ctx.captured_queries)

    place(received=day, closed=day + dt.timedelta(2), uprn="100090000009")
    small = count()
    for n in range(12):
        code = ["report-pothole", "missed-bin", "report-graffiti"][n % 3]
        place(
            code,
            received=day + dt.timedelta(n),
            closed=day + dt.timedelta(n + 3),
            postcode="E20 3JQ",
            channel=["web", "phone"][n % 2],
        )
    assert count() == small


def test_front_door_outcomes(make_case):
    from residenthub.triage.models import Outcome, Resolution, TriageRecord

    now = timezone.now()
    case = make_case()
    kinds = (
        [{"answer": {"found": True, "url": "/x"}}] * 6  # settled by an answer
        + [{"case": case, "resolution": Resolution.ACCEPTED}] * 5  # routed
        + [{"resolution": Resolution.HUMAN, "needs_human": True}] * 2
        + [{"resolution": Resolution.REROUTED, "case": case}]
    )
    for extra in kinds:
        TriageRecord.objects.create(outcome=Outcome.SUGGESTED, created_at=now, **extra)
    filters, _ = Filters.from_query({"period": f"{timezone.localdate():%Y-%m}"})
    panel = panels.build(filters, ["front_door"])[0]
    rows = {r[0]: r[1:] for r in panel.rows}
    assert rows["Settled by an answer from our pages"] == [6, round(100 * 6 / 14, 1)]
    assert rows["Routed to a service, no re-route"] == [5, round(100 * 5 / 14, 1)]
    assert rows["Sent to a person"][0] == "<5" and rows["Re-routed by staff"][0] == "<5"
    assert rows["All"][0] == 14


def test_satisfaction_uses_how_did_we_do_and_front_door_feedback(make_case):
    from django.apps import apps

    from residenthub.triage.models import AnswerFeedback

    for i in range(7):
        AnswerFeedback.objects.create(page=f"/p{i}", helpful=i < 5)
    expected_rows = 1
    if apps.is_installed("residenthub.feedback"):
        from residenthub.feedback.models import FeedbackResponse

        for score in [5, 5, 4, 2, 1, 5]:
            case = make_case()
            FeedbackResponse.objects.create(
                case=case, service=case.service, team=case.team, score=score, channel="email"
            )
        expected_rows = 3
    filters, _ = Filters.from_query({"period": f"{timezone.localdate():%Y-%m}"})
    panel = panels.build(filters, ["satisfaction"])[0]
    assert len(panel.rows) == expected_rows
    assert panel.rows[-1][1:] == [7, round(100 * 5 / 7, 1)]
    if expected_rows == 3:
        assert panel.rows[-2][1:] == [6, round(100 * 4 / 6, 1)]


def test_information_requests_with_ico_bands():
    from residenthub.foi.models import InformationRequest

    today = timezone.localdate()
    for i in range(20):
        InformationRequest.objects.create(
            reference=f"FOI-T{i:03d}",
            kind="foi",
            subject="s",
            body="b",
            received_on=today,
            clock_start=today,
            due_date=today,
            responded_on=today,
            on_time=i != 0,
        )
    for i in range(6):
        InformationRequest.objects.create(
            reference=f"SAR-T{i:03d}",
            kind="sar",
            subject="s",
            body="b",
            received_on=today,
            clock_start=today,
            due_date=today,
            responded_on=today,
            on_time=i < 5,
        )
    filters, _ = Filters.from_query({"period": f"{today:%Y-%m}"})
    rows = {r[0]: r[1:] for r in panels.build(filters, ["information_requests"])[0].rows}
    assert rows["Freedom of Information"] == [20, 19, 95.0, "Good"]
    assert rows["Subject access request"] == [6, 5, 83.3, "Unsatisfactory"]
    assert rows["All"] == [26, 24, 92.3, "Adequate"]
    assert panels.ico_band(90.0) == "Adequate" and panels.ico_band(89.9) == "Unsatisfactory"


def test_identity_data_quality(make_case):
    from residenthub.identity.models import CaseLink, Person, PersonLink, ReviewPair, Source, SourceRecord

    source = Source.objects.create(slug="t", name="T")
    people = [Person.objects.create(public_id=f"P{i:05d}") for i in range(6)]
    records = [
        SourceRecord.objects.create(source=source, source_key=str(i), fingerprint=str(i)) for i in range(12)
    ]
    for i, record in enumerate(records[:10]):
        PersonLink.objects.create(record=record, person=people[i % 6])
    ReviewPair.objects.create(record_l=records[10], record_r=records[11], probability=0.8)
    for i in range(7):
        CaseLink.objects.create(case=make_case(), status="linked" if i < 5 else "new", person=people[0])
    filters, _ = Filters.from_query({"period": f"{timezone.localdate():%Y-%m}"})
    rows = {r[0]: r[1:] for r in panels.build(filters, ["identity"])[0].rows}
    assert rows["Source records held"][0] == SourceRecord.objects.filter(removed=False).count()
    assert rows["Records linked to a person"][0] == PersonLink.objects.count()
    assert rows["Pairs waiting for clerical review"][0] == "<5"
    assert rows["Duplicates prevented (matched to a known person)"] == [5, round(100 * 5 / 7, 1)]


def test_charts_have_names_and_no_scripts(make_case):
    make_case()
    rollup.catch_up()
    filters, _ = Filters.from_query({"period": f"{timezone.localdate():%Y-%m}"})
    for panel in panels.build(filters):
        assert panel.summary and panel.caption and panel.columns
        if panel.chart:
            assert 'role="img"' in panel.chart and "aria-label=" in panel.chart
            assert "<script" not in panel.chart and "http://" not in panel.chart.split("xmlns")[0]
