"""Every staff page, walked with every persona: who is let in, who is not."""

import pytest
from django.test import Client

from residenthub.cases.tracking import make_token
from residenthub.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(highways_officer, housing_officer, team_leader, service_manager, administrator, make_case):
    resident = Client()
    case = make_case()
    resident.get(f"/track/link/{make_token(case)}/")
    clients = {"anonymous": Client(), "resident": resident}
    for name, user in [
        ("officer", highways_officer),
        ("other_team", housing_officer),
        ("team_leader", team_leader),
        ("manager", service_manager),
        ("administrator", administrator),
    ]:
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients, case


ALLOW, DENY, LOGIN = 200, 404, 302
FORBIDDEN = 403


def test_every_staff_page_with_every_persona(personas):
    clients, case = personas
    case_url = f"/staff/cases/{case.reference}/"
    expected = {
        # url: {persona: status}
        "/staff/": {
            "officer": ALLOW,
            "other_team": ALLOW,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
        "/staff/mine/": {
            "officer": ALLOW,
            "other_team": ALLOW,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
        case_url: {
            "officer": ALLOW,
            "other_team": DENY,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
        "/staff/search/?q=pothole": {
            "officer": ALLOW,
            "other_team": ALLOW,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
        "/staff/new/": {
            "officer": ALLOW,
            "other_team": ALLOW,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
        "/staff/audit/": {
            "officer": FORBIDDEN,
            "other_team": FORBIDDEN,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
        "/staff/export.csv": {
            "officer": FORBIDDEN,
            "other_team": FORBIDDEN,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
        "/staff/export.xlsx": {
            "officer": FORBIDDEN,
            "other_team": FORBIDDEN,
            "team_leader": ALLOW,
            "manager": ALLOW,
            "administrator": ALLOW,
        },
    }
    for url, outcomes in expected.items():
        for persona in ["anonymous", "resident"]:
            response = clients[persona].get(url)
            assert response.status_code == LOGIN and response.url.startswith("/staff/login/"), (url, persona)
        for persona, status in outcomes.items():
            response = clients[persona].get(url)
            assert response.status_code == status, (url, persona, response.status_code)
    # Actions too: another team cannot act on the case.
    response = clients["other_team"].post(
        f"{case_url}act/", {"action": "note", "note_text": "x", "version": case.version}
    )
    assert response.status_code == DENY
    response = clients["anonymous"].post(f"{case_url}act/", {"action": "note", "note_text": "x"})
    assert response.status_code == LOGIN
    # The resident's own case is not theirs to see in the staff pages.
    assert clients["resident"].get(case_url).status_code == LOGIN


def test_restricted_case_is_denied_to_other_teams_and_every_view_audited(
    make_case, highways_officer, socialcare_officer, administrator
):
    case = make_case("adult-social-care-assessment")
    url = f"/staff/cases/{case.reference}/"
    for user in (highways_officer, administrator):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert AuditEntry.objects.filter(
            action="case.view_denied", actor=user, object_id=str(case.pk)
        ).exists()
    client = Client()
    client.force_login(socialcare_officer)
    assert client.get(url).status_code == 200
    client.get(url)
    assert (
        AuditEntry.objects.filter(
            action="case.viewed", actor=socialcare_officer, object_id=str(case.pk)
        ).count()
        == 2
    )
    # Not in other teams' queues or searches either.
    admin = Client()
    admin.force_login(administrator)
    assert case.reference not in admin.get("/staff/").content.decode()
    assert "No cases you can see match" in admin.get(f"/staff/search/?q={case.reference}").content.decode()


def test_a_referral_lets_the_other_team_see_that_case_only(make_case, socialcare_officer, housing_officer):
    case = make_case("adult-social-care-assessment")
    other = make_case("adult-social-care-assessment")
    staff = Client()
    staff.force_login(socialcare_officer)
    from residenthub.accounts.models import Team

    housing = Team.objects.get(slug="housing-repairs")
    response = staff.post(
        f"/staff/cases/{case.reference}/act/",
        {"action": "refer", "refer_team": housing.pk, "refer_reason": "Needs a grab rail fitted."},
    )
    assert response.status_code == 302
    housing_client = Client()
    housing_client.force_login(housing_officer)
    assert housing_client.get(f"/staff/cases/{case.reference}/").status_code == 200
    assert housing_client.get(f"/staff/cases/{other.reference}/").status_code == 404
    assert case.reference in housing_client.get("/staff/?scope=referred").content.decode()
