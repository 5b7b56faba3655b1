"""Until the back office lands, staff move cases in the Django admin, through the actions."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from residenthub.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _staff_client(user):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cases", codename__in=["view_case", "change_case"])
    )
    client = Client()
    client.force_login(user)
    return client


def _post(client, case, **data):
    form = {
        "new_status": "",
        "reason": "",
        "public_message": "",
        "internal_note": "",
        "version": case.version,
    }
    form.update(data)
    return client.post(f"/admin/cases/case/{case.pk}/change/", form)


def test_officer_changes_status_through_the_action(make_case, highways_officer):
    case = make_case()
    client = _staff_client(highways_officer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200 and "In progress" in page.content.decode()
    response = _post(
        client,
        case,
        new_status="in_progress",
        public_message="Crew booked for Tuesday.",
        internal_note="Checked the asset register.",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == "in_progress"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "status_changed", "internal_note"]
    assert AuditEntry.objects.filter(
        object_id=str(case.pk), action="case.status_changed", actor=highways_officer
    ).exists()
    assert len(mail.outbox) == 2 and "Crew booked for Tuesday." in mail.outbox[1].body


def test_reason_is_required_where_the_workflow_says(make_case, highways_officer):
    case = make_case()
    client = _staff_client(highways_officer)
    response = _post(client, case, new_status="closed_no_action")
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "received"


def test_a_stale_form_does_not_overwrite_a_newer_change(make_case, highways_officer):
    case = make_case()
    client = _staff_client(highways_officer)
    stale_version = case.version
    _post(client, case, internal_note="Someone else got here first.")
    response = _post(client, case, new_status="in_progress", version=stale_version)
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "received"


def test_other_teams_cannot_see_the_case(make_case, housing_officer):
    case = make_case()
    client = _staff_client(housing_officer)
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 302  # "doesn't exist" redirect
    assert case.reference not in client.get("/admin/cases/case/").content.decode()


def test_restricted_cases_only_for_their_team_and_every_view_is_audited(
    make_case, socialcare_officer, administrator
):
    case = make_case("adult-social-care-assessment")
    admin_client = Client()
    admin_client.force_login(administrator)
    assert admin_client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 302
    client = _staff_client(socialcare_officer)
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
    assert (
        AuditEntry.objects.filter(
            action="case.viewed", object_id=str(case.pk), actor=socialcare_officer
        ).count()
        == 1
    )


def test_failed_messages_can_be_retried_by_staff(make_case, administrator, settings):
    from residenthub.core.models import OutboxMessage

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    settings.OUTBOX_MAX_ATTEMPTS = 1
    make_case()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    client.force_login(administrator)
    assert "Failed" in client.get("/admin/core/outboxmessage/?status=failed").content.decode()
    client.post("/admin/core/outboxmessage/", {"action": "retry", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
