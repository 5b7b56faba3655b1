"""The notification outbox: messages are rows written inside the caller's transaction.

They are handed to the worker only after the transaction commits, so a rolled-back change
sends nothing, and a send that fails never rolls back (or blocks) the change it reports.
"""

from __future__ import annotations

from django.db import transaction

from .models import OutboxMessage


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
