"""Receipts and refund notices, by the channel the resident chose, through the outbox.

Written in the same transaction as the payment they report (so a rolled-back payment sends
nothing) and sent by the outbox worker with its retries. They never carry card details: GOV.UK Pay
never gives us the card number, and the receipt says only what was paid, for what, and when.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from residenthub.cases.models import NotifyBy
from residenthub.cases.notifications import tracking_url
from residenthub.core import outbox

from .fees import pounds


def _send(charge, kind: str, **extra) -> None:
    case = charge.case
    if case.notify_by == NotifyBy.NONE:
        return
    context = {
        "case": case,
        "charge": charge,
        "kind": kind,
        "amount": pounds(extra.pop("amount", charge.amount)),
        "vat": pounds(charge.vat) if charge.vat else "",
        "council_name": settings.COUNCIL_NAME,
        "council_phone": settings.COUNCIL_PHONE,
        "tracking_url": tracking_url(case),
        "service_name": case.service.name,
        "at": timezone.localtime(),
        **extra,
    }
    with translation.override(case.language if case.language != "en" else "en-gb"):
        if case.notify_by == NotifyBy.EMAIL and case.contact_email:
            outbox.queue_email(
                case.contact_email,
                render_to_string("payments/email/subject.txt", context).strip(),
                render_to_string("payments/email/receipt.txt", context),
                render_to_string("payments/email/receipt.html", context),
                case=case,
            )
        elif case.notify_by == NotifyBy.SMS and case.contact_phone:
            outbox.queue_sms(
                case.contact_phone, render_to_string("payments/email/sms.txt", context).strip(), case=case
            )


def paid(charge) -> None:
    _send(charge, "paid")


def refunded(charge, refund) -> None:
    _send(charge, "refunded", amount=refund.amount, reason=refund.reason)
