"""What residents are told, and how: email, text message or nothing, as they chose."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from residenthub.core import outbox

from .models import Case, NotifyBy
from .tracking import make_token


def tracking_url(case: Case) -> str:
    return settings.SITE_URL + reverse("portal:track_link", args=[make_token(case)])


def for_follower(text: str, original: Case, follower: Case) -> str:
    """The original's message as the follower should read it: a template filled for the original
    says "Dear <original resident>"; the follower gets their own name (or none), never the other's."""
    names = [original.contact_name.strip(), *original.contact_name.split()[:1]]
    for name in sorted({n for n in names if len(n) > 1}, key=len, reverse=True):
        text = re.sub(
            rf"\b{re.escape(name)}\b", follower.contact_name.strip() or "resident", text, flags=re.I
        )
    return text.replace(original.reference, follower.reference)


def notify_resident(case: Case, kind: str, *, text: str = "", status_label: str = "") -> None:
    """Queue the resident's notification for ``kind`` (submitted, status_changed, public_update).

    Residents whose cases were closed as duplicates of this one follow it: they are told too,
    about their own reference, with this case's status.
    """
    if kind != "submitted":
        for follower in case.duplicates.exclude(notify_by=NotifyBy.NONE):
            notify_resident(
                follower, kind, text=for_follower(text, case, follower), status_label=case.public_status_label
            )
    if case.notify_by == NotifyBy.NONE:
        return
    context = {
        "case": case,
        "kind": kind,
        "text": text,
        "council_name": settings.COUNCIL_NAME,
        "council_phone": settings.COUNCIL_PHONE,
        "status_label": status_label or case.public_status_label,
        "tracking_url": tracking_url(case),
        "service_name": case.service.name,
    }
    with translation.override(case.language if case.language != "en" else "en-gb"):
        if case.notify_by == NotifyBy.EMAIL and case.contact_email:
            subject = render_to_string("cases/notifications/subject.txt", context).strip()
            outbox.queue_email(
                case.contact_email,
                subject,
                render_to_string("cases/notifications/email.txt", context),
                render_to_string("cases/notifications/email.html", context),
                case=case,
            )
        elif case.notify_by == NotifyBy.SMS and case.contact_phone:
            outbox.queue_sms(
                case.contact_phone,
                render_to_string("cases/notifications/sms.txt", context).strip(),
                case=case,
            )
        elif case.notify_by == NotifyBy.POST and case.contact_address:
            from .signals import letter_wanted  # the letters app queues it (issue 15: letters by post)

            letter_wanted.send(
                sender=type(case),
                case=case,
                kind=kind,
                text=text,
                status_label=context["status_label"],
                link=context["tracking_url"],
            )
