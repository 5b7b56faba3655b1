"""Background jobs of the core app: sending the outbox."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


class SendError(Exception):
    pass


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, capped at six hours."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


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
    """Try to send one message; record the outcome on it. Returns the new status."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return message.status if message else "missing"
        message.attempts += 1
        try:
            message.provider_id = DELIVERERS[message.channel](message)
        except Exception as exc:  # any failure of the provider is recorded, never raised
            # Log the kind of error only: provider messages can quote the recipient.
            logger.warning(
                "outbox message %s attempt %s failed: %s", message.pk, message.attempts, type(exc).__name__
            )
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            else:
                message.next_attempt_at = timezone.now() + backoff(message.attempts)
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save()
        return message.status


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


def retry_failed(queryset) -> int:
    """Put failed messages back in the queue (staff action)."""
    ids = list(queryset.filter(status=OutboxMessage.Status.FAILED).values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: send_message.delay(pk))
    return len(ids)
