"""Notifications go through the outbox, over real SMTP and a local Notify API."""

import datetime as dt
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from residenthub.cases import actions
from residenthub.cases.models import NotifyBy
from residenthub.core.jobs import backoff, send_due_messages
from residenthub.core.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def _subject(envelope) -> str:
    return str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"])))


def _parts(envelope) -> dict[str, str]:
    message = message_from_bytes(envelope.content)
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_submission_email_goes_through_a_real_smtp_server(smtp_server, make_case):
    case = make_case(email="Mary.OBrien@Example.com")
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["Mary.OBrien@example.com".lower()]
    assert case.reference in _subject(envelope)
    parts = _parts(envelope)
    assert case.reference in parts["text/plain"] and case.reference in parts["text/html"]
    assert "/track/link/" in parts["text/plain"]
    assert "Dear Mary O'Brien" in parts["text/plain"]
    assert "Dear Mary O&#x27;Brien" in parts["text/html"]  # escaped in HTML
    message = OutboxMessage.objects.get(case=case)
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1


def test_status_change_and_public_update_each_send_an_email(smtp_server, make_case, highways_officer):
    case = make_case()
    case = actions.transition(
        case, "in_progress", by=highways_officer, public_message="Crew booked for Tuesday."
    )
    actions.add_public_update(case, "We have filled the pothole.", by=highways_officer)
    assert len(smtp_server.messages) == 3
    assert "Crew booked for Tuesday." in _parts(smtp_server.messages[1])["text/plain"]
    assert "We have filled the pothole." in _parts(smtp_server.messages[2])["text/plain"]


def test_internal_notes_and_non_public_statuses_send_nothing(smtp_server, make_case, socialcare_officer):
    case = make_case("adult-social-care-assessment")
    hidden = [s for s in case.service.workflow.allowed_from(case.status) if not s.public]
    assert hidden, "the social care workflow should have a non-public status"
    actions.add_internal_note(case, "Called the GP.", by=socialcare_officer)
    actions.transition(case, hidden[0].code, by=socialcare_officer)
    assert len(smtp_server.messages) == 1  # only the acknowledgement


def test_no_updates_means_no_messages(smtp_server, make_case):
    make_case(notify_by=NotifyBy.NONE)
    assert smtp_server.messages == []
    assert not OutboxMessage.objects.exists()


def test_a_failed_send_keeps_the_case_and_is_retried_with_backoff(settings, make_case, smtp_server):
    settings.EMAIL_PORT = 1  # nothing listens there
    case = make_case()
    message = OutboxMessage.objects.get(case=case)
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert case.pk  # the case is saved whatever happened to the email
    # Not due yet: the sweep leaves it alone.
    assert send_due_messages() == 0
    # The relay comes back; once the backoff has passed the sweep sends it.
    settings.EMAIL_PORT = smtp_server_port(smtp_server, settings)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert send_due_messages() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert len(smtp_server.messages) == 1


def smtp_server_port(handler, settings):
    return handler.port


def test_messages_that_keep_failing_are_marked_failed(settings, make_case):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    settings.OUTBOX_MAX_ATTEMPTS = 3
    make_case()
    message = OutboxMessage.objects.get()
    for _ in range(2):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        send_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3


def test_backoff_grows_and_is_capped():
    assert backoff(1) == dt.timedelta(minutes=1)
    assert backoff(2) == dt.timedelta(minutes=2)
    assert backoff(5) == dt.timedelta(minutes=16)
    assert backoff(30) == dt.timedelta(hours=6)


def test_text_messages_go_through_notify(fake_notify, make_case):
    case = make_case(notify_by=NotifyBy.SMS, phone="+447700900982", email="")
    assert len(fake_notify.received) == 1
    sent = fake_notify.received[0]
    assert sent["phone_number"] == "+447700900982"
    assert case.reference in sent["personalisation"]["body"]
    message = OutboxMessage.objects.get(case=case)
    assert message.status == OutboxMessage.Status.SENT and message.provider_id


def test_notify_outage_is_retried(fake_notify, make_case):
    fake_notify.fail_next = 1
    case = make_case(notify_by=NotifyBy.SMS, phone="+447700900982", email="")
    message = OutboxMessage.objects.get(case=case)
    assert message.status == OutboxMessage.Status.PENDING and "HTTPError" in message.last_error
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    send_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(fake_notify.received) == 1


def test_sms_without_notify_configured_is_recorded_not_lost(make_case, settings):
    settings.NOTIFY_API_KEY = ""
    case = make_case(notify_by=NotifyBy.SMS, phone="+447700900982", email="")
    message = OutboxMessage.objects.get(case=case)
    assert message.status == OutboxMessage.Status.PENDING
    assert "not configured" in message.last_error
