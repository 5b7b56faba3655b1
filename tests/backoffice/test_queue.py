"""Queues: only the team's cases, urgent first then by due date, filters, counts, constant queries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from residenthub.cases.models import Case, Channel, Priority

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_queue_shows_only_the_teams_cases_urgent_first(make_case, highways_officer):
    normal = make_case()
    urgent = make_case(priority=Priority.URGENT)
    Case.objects.filter(pk=normal.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    housing = make_case("housing-repair")
    page = _client(highways_officer).get("/staff/").content.decode()
    assert urgent.reference in page and normal.reference in page
    assert housing.reference not in page
    assert page.index(urgent.reference) < page.index(normal.reference)
    assert "Overdue" in page and "Urgent" in page


def test_filters_narrow_the_queue(make_case, highways_officer):
    phone = make_case(channel=Channel.PHONE)
    web = make_case()
    client = _client(highways_officer)
    page = client.get("/staff/?channel=phone").content.decode()
    assert phone.reference in page and web.reference not in page
    page = client.get("/staff/?assigned=nobody&district=E20&service=report-pothole").content.decode()
    assert phone.reference in page and web.reference in page
    page = client.get("/staff/?district=SW1").content.decode()
    assert phone.reference not in page
    # Rubbish in the filters is ignored, never an error.
    for junk in ["?sla=<script>", "?team=abc", "?page=9999", "?status=nope", "?channel=' OR 1=1"]:
        assert client.get("/staff/" + junk).status_code == 200


def test_sla_status_and_counts(make_case, highways_officer):
    overdue = make_case()
    Case.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    soon = make_case()
    Case.objects.filter(pk=soon.pk).update(due_date=timezone.localdate())
    make_case()  # on track: 5 working days
    client = _client(highways_officer)
    response = client.get("/staff/")
    assert response.context["counts"]["overdue"] == 1
    assert response.context["counts"]["due_soon"] == 1
    assert response.context["counts"]["open"] == 3
    page = client.get("/staff/?sla=overdue").content.decode()
    assert overdue.reference in page and soon.reference not in page


def test_query_count_does_not_grow_with_the_queue(make_case, highways_officer):
    from django.core.cache import cache

    client = _client(highways_officer)
    make_case()
    client.get("/staff/")
    cache.clear()  # measure the worst case: the counts are not cached yet
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/")
    for _ in range(25):
        make_case()
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/staff/")
    assert len(response.context["rows"]) == 26
    assert len(many) == len(few), [q["sql"] for q in many]


def test_pagination(make_case, highways_officer, settings):
    import residenthub.backoffice.views as views

    original = views.PAGE_SIZE
    views.PAGE_SIZE = 3
    try:
        cases = [make_case() for _ in range(7)]
        client = _client(highways_officer)
        first = client.get("/staff/").context
        assert len(first["rows"]) == 3 and first["page"].paginator.num_pages == 3
        last = client.get("/staff/?page=3").context
        assert len(last["rows"]) == 1
        assert {r["case"].reference for r in last["rows"]} <= {c.reference for c in cases}
    finally:
        views.PAGE_SIZE = original


def test_my_cases(make_case, highways_officer):
    from residenthub.cases import actions

    mine = make_case()
    actions.assign(mine, by=highways_officer, officer=highways_officer)
    other = make_case()
    page = _client(highways_officer).get("/staff/mine/").content.decode()
    assert mine.reference in page and other.reference not in page


def test_export_csv_and_xlsx_without_contact_details(make_case, team_leader, highways_officer):
    case = make_case(name='=HYPERLINK("evil")')
    client = _client(team_leader)
    response = client.get("/staff/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Reference" and rows[1][0] == case.reference
    assert "resident@example.com" not in response.content.decode()
    assert "HYPERLINK" not in response.content.decode()  # no names at all, so no formulas from them
    workbook = load_workbook(io.BytesIO(client.get("/staff/export.xlsx").content))
    sheet = workbook.active
    assert sheet.cell(row=2, column=1).value == case.reference
    assert _client(highways_officer).get("/staff/export.csv").status_code == 403


def test_formula_injection_is_neutralised():
    from residenthub.backoffice.views import _safe_cell

    assert _safe_cell("=1+1") == "'=1+1"
    assert _safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert _safe_cell("Pothole") == "Pothole"


def test_search_by_everything(make_case, highways_officer):
    case = make_case(
        name="Zoë O'Brien",
        email="zoe@example.org",
        phone="07700 900982",
        answers={
            "location": {"description": "Junction of Mill Lane and Station Road", "postcode": "E20 1AB"},
            "surface": "road",
            "size": "large",
            "injured": "no",
        },
    )
    from residenthub.cases.models import Case as CaseModel

    CaseModel.objects.filter(pk=case.pk).update(contact_phone="+447700900982")
    other = make_case(email="someone@example.com", name="John Smith")
    client = _client(highways_officer)
    for query in [
        case.reference,
        case.reference.lower().replace("-", " "),
        "zoe@example.org",
        "07700 900982",
        "O'Brien",
        "Mill Lane",
    ]:
        page = client.get("/staff/search/", {"q": query}).content.decode()
        assert case.reference in page, query
        assert other.reference not in page, query
    page = client.get("/staff/search/", {"q": "E20 1AB"}).content.decode()
    assert case.reference in page and other.reference in page
    assert (
        "No cases you can see match"
        in client.get("/staff/search/", {"q": "nothing like this"}).content.decode()
    )


def test_counts_are_cached_but_never_stale(make_case, highways_officer):
    from residenthub.cases import actions

    client = _client(highways_officer)
    case = make_case()
    assert client.get("/staff/").context["counts"]["unassigned"] == 1
    with CaptureQueriesContext(connection) as cached:
        client.get("/staff/")
    assert not any(
        "COUNT(" in q["sql"] and "FILTER" in q["sql"] and "cases_case" in q["sql"] for q in cached
    ), (
        "counts came from the cache"
    )  # (the menu's count of callers waiting is read each time: a caller must show at once)
    actions.assign(case, by=highways_officer, officer=highways_officer)
    counts = client.get("/staff/").context["counts"]
    assert counts["unassigned"] == 0 and counts["mine"] == 1
    make_case()
    assert client.get("/staff/").context["counts"]["open"] == 2
