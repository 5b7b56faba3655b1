"""The notification outbox: messages are rows written inside the caller's transaction.

They are handed to the worker only after the transaction commits, so a rolled-back change
sends nothing, and a send that fails never rolls back (or blocks) the change it reports.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger("residenthub.core.jobs")


def _enqueue(message: OutboxMessage) -> OutboxMessage:
    from .jobs import send_message

    transaction.on_commit(lambda: send_message.delay(message.pk))
    return message


def queue_email(
    recipient: str, subject: str, body_text: str, body_html: str = "", *, case=None
) -> OutboxMessage:
    return _enqueue(
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.EMAIL,
            recipient=recipient,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            case=case,
        )
    )


def queue_sms(recipient: str, body_text: str, *, case=None) -> OutboxMessage:
    return _enqueue(
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.SMS, recipient=recipient, body_text=body_text, case=case
        )
    )


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, capped at six hours."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def attempt(message_id: int, deliverers: Mapping[str, Callable[[OutboxMessage], str]]) -> str:
    """Try to send one pending message with its channel's deliverer; record the outcome on it (sent,
    or the error and the next attempt, or failed after OUTBOX_MAX_ATTEMPTS). Returns the new status."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return message.status if message else "missing"
        message.attempts += 1
        try:
            message.provider_id = deliverers[message.channel](message)
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


def retry_failed(queryset) -> int:
    """Put failed messages back in the queue (staff action)."""
    ids = list(queryset.filter(status=OutboxMessage.Status.FAILED).values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for pk in ids:
        _enqueue_id(pk)
    return len(ids)


def _enqueue_id(pk: int) -> None:
    from .jobs import send_message

    transaction.on_commit(lambda: send_message.delay(pk))
