"""Background jobs of the core app: sending the outbox."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from . import outbox
from .models import OutboxMessage
from .outbox import backoff, retry_failed

__all__ = ["backoff", "retry_failed", "send_due_messages", "send_message", "send_now"]


class SendError(Exception):
    pass


def _deliver_email(message: OutboxMessage) -> str:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send(fail_silently=False)
    return ""


def _deliver_sms(message: OutboxMessage) -> str:
    if not settings.NOTIFY_API_KEY:
        raise SendError("text messages are not configured (NOTIFY_API_KEY is not set)")
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
    response = client.send_sms_notification(
        phone_number=message.recipient,
        template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
        personalisation={"body": message.body_text},
        reference=str(message.pk),
    )
    return str(response.get("id", ""))


DELIVERERS = {OutboxMessage.Channel.EMAIL: _deliver_email, OutboxMessage.Channel.SMS: _deliver_sms}


def send_now(message_id: int) -> str:
    """Try to send one message; record the outcome on it (core.outbox). Returns the new status."""
    return outbox.attempt(message_id, DELIVERERS)


@shared_task(name="residenthub.core.jobs.send_message")
def send_message(message_id: int) -> str:
    return send_now(message_id)


@shared_task(name="residenthub.core.jobs.send_due_messages")
def send_due_messages(limit: int = 500) -> int:
    """Retry pending messages whose backoff has passed (run every minute by beat)."""
    due = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        send_now(pk)
    return len(due)
