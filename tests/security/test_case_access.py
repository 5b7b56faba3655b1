"""Finding 4 (high): re-routing keeps a case restricted; a referral lets a team read and note only."""

import pytest
from django.test import Client

from residenthub.accounts.models import Membership, Team
from residenthub.cases import actions
from residenthub.cases.models import Case
from residenthub.core.models import AuditEntry
from residenthub.services.models import Service
from tests.conftest import _staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def social_care_case(make_case):
    return make_case("adult-social-care-assessment")


def test_rerouting_a_social_care_case_to_housing_keeps_it_restricted(social_care_case, socialcare_officer):
    housing = Service.objects.get(code="housing-repair")
    assert not housing.restricted
    case = actions.reroute(social_care_case, housing, by=socialcare_officer, reason="It is a repair")
    assert case.restricted
    assert Case.objects.get(pk=case.pk).restricted


def test_a_referred_team_cannot_reroute_or_change_status(
    social_care_case, socialcare_officer, housing_officer
):
    actions.refer(
        social_care_case, Team.objects.get(slug="housing-repairs"), by=socialcare_officer, reason="Damp"
    )
    housing = Service.objects.get(code="housing-repair")
    with pytest.raises(actions.ActionError, match="read this case but not change it"):
        actions.reroute(social_care_case, housing, by=housing_officer, reason="Ours now")
    with pytest.raises(actions.ActionError):
        actions.transition(social_care_case, "screening", by=housing_officer)
    # ... but may read it and add a note.
    actions.add_internal_note(social_care_case, "Damp visit booked for Tuesday", by=housing_officer)
    case = Case.objects.get(pk=social_care_case.pk)
    assert case.service.code == "adult-social-care-assessment" and case.restricted

    client = Client()
    client.force_login(housing_officer)
    page = client.post(
        f"/staff/cases/{case.reference}/act/",
        {"action": "reroute", "service": "housing-repair", "reroute_reason": "x", "version": case.version},
    )
    assert page.status_code == 400
    assert "read this case but not change it" in page.content.decode()


def test_only_a_lead_of_the_owning_team_lifts_a_restriction(social_care_case, socialcare_officer):
    housing = Service.objects.get(code="housing-repair")
    case = actions.reroute(social_care_case, housing, by=socialcare_officer, reason="It is a repair")
    housing_officer = _staff("h.officer", "housing-repairs")
    with pytest.raises(actions.ActionError, match="team leader or service manager"):
        actions.lift_restriction(case, by=housing_officer, reason="Not sensitive")
    lead = _staff("h.lead", "housing-repairs", Membership.Role.TEAM_LEADER)
    with pytest.raises(actions.ActionError, match="reason"):
        actions.lift_restriction(case, by=lead, reason=" ")
    case = actions.lift_restriction(case, by=lead, reason="Only a repair; no care details in it")
    assert not case.restricted
    assert AuditEntry.objects.filter(action="case.restriction_lifted", object_id=str(case.pk)).exists()


def test_a_restricted_service_cannot_have_its_restriction_lifted(social_care_case):
    lead = _staff("asc.lead", "adult-social-care", Membership.Role.TEAM_LEADER)
    with pytest.raises(actions.ActionError, match="always restricted"):
        actions.lift_restriction(social_care_case, by=lead, reason="x")


def test_a_lead_lifts_the_restriction_from_the_case_page(social_care_case, socialcare_officer):
    housing = Service.objects.get(code="housing-repair")
    case = actions.reroute(social_care_case, housing, by=socialcare_officer, reason="It is a repair")
    lead = _staff("h.lead", "housing-repairs", Membership.Role.TEAM_LEADER)
    client = Client()
    client.force_login(lead)
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Lift restriction" in page
    url = f"/staff/cases/{case.reference}/act/"
    empty = client.post(url, {"action": "lift", "lift_reason": "", "version": case.version})
    assert empty.status_code == 400 and "Give a reason" in empty.content.decode()
    done = client.post(url, {"action": "lift", "lift_reason": "Repair only", "version": case.version})
    assert done.status_code == 302
    assert not Case.objects.get(pk=case.pk).restricted
