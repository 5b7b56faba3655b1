"""A flagged (urgent) case made from the front door alerts its team at once: the team mailbox and its
team leaders and service managers, with the reference, service, flags, the triggering words and a
link to the case, and nothing of the resident's personal details."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from residenthub.accounts.models import Membership
from residenthub.cases import actions as case_actions
from residenthub.cases.models import Priority
from residenthub.core.models import OutboxMessage
from residenthub.services.models import Service
from residenthub.triage import actions, engine
from tests.conftest import _staff

pytestmark = pytest.mark.django_db

FLAGGED = "my neighbour's kids have been left alone for two days"
TEAM_MAILBOX = "mash@council.example"


@pytest.fixture
def childrens_team(catalogue):
    leader = _staff(
        "mash.leader", "childrens-services", Membership.Role.TEAM_LEADER, email="lead@council.example"
    )
    _staff(
        "mash.manager", "childrens-services", Membership.Role.SERVICE_MANAGER, email="Manager@council.example"
    )
    _staff("mash.officer", "childrens-services", email="officer@council.example")  # officers: the queue
    _staff("mash.nomail", "childrens-services", Membership.Role.TEAM_LEADER)  # no address: skipped
    _staff(
        "mash.gone",
        "childrens-services",
        Membership.Role.TEAM_LEADER,
        email="gone@council.example",
        is_active=False,
    )
    _staff("other.leader", "highways", Membership.Role.TEAM_LEADER, email="roads.lead@council.example")
    return leader


def _alerts():
    return [m for m in mail.outbox if m.subject.startswith("Urgent case")]


def _flagged_record(**contact):
    rec = actions.record(engine.analyse(FLAGGED))
    assert rec.urgent
    for name, value in contact.items():
        setattr(rec, name, value)
    rec.save()
    return rec


def test_routing_a_flagged_message_alerts_the_team(
    childrens_team, customer_services_officer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.council.example"
    rec = _flagged_record(
        contact_name="Jane Resident", contact_email="jane@example.com", contact_phone="07700900123"
    )
    service = Service.objects.get(code="child-safeguarding-concern")
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.route(rec, service, by=customer_services_officer)
    assert case.priority == Priority.URGENT
    alerts = _alerts()
    assert sorted(m.to[0] for m in alerts) == sorted(
        [TEAM_MAILBOX, "lead@council.example", "Manager@council.example"]
    )
    message = alerts[0]
    assert message.subject == (f"Urgent case {case.reference}: {service.name} (flagged by the front door)")
    assert f"Reference: {case.reference}" in message.body and f"Service: {service.name}" in message.body
    assert "Child at risk" in message.body or "child" in message.body.lower()
    assert '"' + rec.flags[0]["phrase"] + '"' in message.body  # the words that triggered it
    link = "https://hub.council.example" + reverse("backoffice:case", args=[case.reference])
    assert f"Open the case: {link}" in message.body
    for personal in ("Jane", "Resident", "jane@example.com", "07700", "900123"):
        assert personal not in message.subject and personal not in message.body
    assert OutboxMessage.objects.filter(case=case, subject=message.subject).count() == 3


def test_a_flagged_case_from_the_resident_form_alerts_the_team(
    childrens_team, django_capture_on_commit_callbacks
):
    rec = _flagged_record(draft_key="draft-flagged-1")
    service = Service.objects.get(code="child-safeguarding-concern")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_actions.create_case(
            service=service,
            answers={},
            contact=case_actions.Contact(name="Jane Resident", email="", phone="", notify_by="none"),
            submission_key="draft-flagged-1",
            priority=Priority.NORMAL,  # even when the form did not carry the flag, the link raises it
        )
    case.refresh_from_db()
    rec.refresh_from_db()
    assert rec.case == case and case.priority == Priority.URGENT
    alerts = _alerts()
    assert len(alerts) == 3 and all(case.reference in m.subject for m in alerts)
    assert all("Jane" not in m.subject for m in alerts)

    # linking again (a repeated signal) does not alert twice
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.link_case(case) is None
    assert len(_alerts()) == 3


def test_an_unflagged_case_alerts_nobody(
    childrens_team, customer_services_officer, django_capture_on_commit_callbacks
):
    rec = actions.record(engine.analyse("Huge pothole outside 14 Station Road"))
    assert not rec.urgent
    with django_capture_on_commit_callbacks(execute=True):
        actions.route(rec, Service.objects.get(code="report-pothole"), by=customer_services_officer)
    assert _alerts() == []


def test_the_alert_is_part_of_the_routing_transaction(childrens_team, customer_services_officer, monkeypatch):
    rec = _flagged_record()
    service = Service.objects.get(code="child-safeguarding-concern")

    def fail(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(actions.audit, "record", fail)
    with pytest.raises(RuntimeError):
        actions.route(rec, service, by=customer_services_officer)
    assert not OutboxMessage.objects.filter(subject__startswith="Urgent case").exists()
    rec.refresh_from_db()
    assert rec.case is None
