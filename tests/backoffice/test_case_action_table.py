"""The case page's actions, one test each through the dispatch table (``backoffice.views.CASE_ACTIONS``):
the right cases action runs, and a bad input comes back on that action's own field."""

import pytest
from django.test import Client

from residenthub.accounts.models import Team
from residenthub.backoffice.views import CASE_ACTIONS
from residenthub.cases import actions
from residenthub.cases.models import Case, CaseEvent
from residenthub.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TESTED = {"status", "update", "note", "assign", "refer", "reroute", "duplicate", "reopen", "lift"}


def _post(user, case, **data):
    client = Client()
    client.force_login(user)
    case.refresh_from_db()
    data.setdefault("version", case.version)
    return client.post(f"/staff/cases/{case.reference}/act/", data)


def _error_on(response, field: str) -> bool:
    """The error summary links to the field the action's errors belong to."""
    return response.status_code == 400 and f'href="#{field}"' in response.content.decode()


def test_every_action_in_the_table_has_its_test():
    assert set(CASE_ACTIONS) == TESTED


def test_unknown_action_is_refused(make_case, highways_officer):
    assert _error_on(_post(highways_officer, make_case(), action="explode"), "actions")


def test_status(make_case, highways_officer):
    case = make_case()
    assert _error_on(_post(highways_officer, case, action="status", to_status=""), "to_status")
    assert _post(highways_officer, case, action="status", to_status="in_progress").status_code == 302
    assert Case.objects.get(pk=case.pk).status == "in_progress"


def test_update(make_case, highways_officer):
    case = make_case()
    assert _error_on(_post(highways_officer, case, action="update", update_text=" "), "update_text")
    assert _post(highways_officer, case, action="update", update_text="Booked for Monday.").status_code == 302
    assert case.events.filter(kind=CaseEvent.Kind.PUBLIC_UPDATE, public=True).exists()


def test_note(make_case, highways_officer):
    case = make_case()
    assert _error_on(_post(highways_officer, case, action="note", note_text=""), "note_text")
    assert _post(highways_officer, case, action="note", note_text="Called the resident.").status_code == 302
    assert case.events.filter(kind=CaseEvent.Kind.INTERNAL_NOTE, public=False).exists()


def test_assign(make_case, highways_officer, housing_officer):
    case = make_case()
    highways = Team.objects.get(slug="highways")
    wrong = _post(highways_officer, case, action="assign", team=highways.pk, officer=housing_officer.pk)
    assert _error_on(wrong, "officer")
    done = _post(highways_officer, case, action="assign", team=highways.pk, officer=highways_officer.pk)
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).assigned_to == highways_officer


def test_refer(make_case, highways_officer):
    case = make_case()
    assert _error_on(_post(highways_officer, case, action="refer", refer_team="x"), "refer_team")
    housing = Team.objects.get(slug="housing-repairs")
    reason = "A council tenant."
    done = _post(highways_officer, case, action="refer", refer_team=housing.pk, refer_reason=reason)
    assert done.status_code == 302
    assert AuditEntry.objects.filter(action="case.referred", object_id=str(case.pk)).exists()


def test_reroute(make_case, highways_officer):
    case = make_case()
    assert _error_on(_post(highways_officer, case, action="reroute", service="nonsense"), "service")
    done = _post(highways_officer, case, action="reroute", service="report-pothole", reroute_reason="Same.")
    assert _error_on(done, "service")  # already in that service: the action's own message
    assert case.events.filter(kind=CaseEvent.Kind.REROUTED).count() == 0


def test_duplicate(make_case, highways_officer):
    original, case = make_case(), make_case()
    assert _error_on(_post(highways_officer, case, action="duplicate", original="DBC-2222-2222"), "original")
    assert _post(highways_officer, case, action="duplicate", original=original.reference).status_code == 302
    assert Case.objects.get(pk=case.pk).duplicate_of == original


def test_reopen(make_case, highways_officer):
    case = make_case()
    still_open = _post(highways_officer, case, action="reopen", reopen_reason="x")
    assert _error_on(still_open, "reopen_reason")
    actions.transition(case, "closed_no_action", by=highways_officer, reason="Nothing to do.")
    assert _error_on(_post(highways_officer, case, action="reopen", reopen_reason=""), "reopen_reason")
    assert _post(highways_officer, case, action="reopen", reopen_reason="It is back.").status_code == 302
    assert Case.objects.get(pk=case.pk).is_open


def test_lift(make_case, highways_officer):
    case = make_case()  # not restricted: the action says so, on the lift field
    assert _error_on(_post(highways_officer, case, action="lift", lift_reason="Agreed."), "lift_reason")
