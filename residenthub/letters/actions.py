"""The only writers of letters. ``queue_letter`` runs inside the caller's transaction (as the outbox
does for email and text messages); sending to Notify happens after commit, in a job."""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from residenthub.core.actions import ActionError, after_commit, atomic, audit, require_staff

from . import render
from .models import Letter

HEADINGS = {
    "submitted": "We have received your request",
    "status_changed": "News about your request",
    "public_update": "An update about your request",
    "feedback": "How did we do?",
}


def _greeting_name(case) -> str:
    return " ".join(case.contact_name.split()[:4])


def queue_letter(
    case, kind: str, *, text: str = "", status_label: str = "", link: str = "", link_label: str = ""
) -> Letter | None:
    """Render and queue a letter about ``case`` to its postal address. Returns None (and changes
    nothing) when the case has no postal address."""
    if not case.contact_address.strip():
        return None
    context = {
        "kind": kind,
        "name": _greeting_name(case),
        "service_name": case.service.name,
        "reference": case.reference,
        "status_label": status_label,
        "text": text,
        "link": link,
        "link_label": link_label or "Check your request online",
        "council_name": settings.COUNCIL_NAME,
        "council_phone": settings.COUNCIL_PHONE,
    }
    body = render_to_string("letters/body.txt", context).strip()
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    ours = f"{case.reference}-{secrets.token_hex(4)}"
    pdf = render.render(
        address=case.contact_address,
        date_text=f"{timezone.localdate():%-d %B %Y}",
        heading=HEADINGS.get(kind, "About your request"),
        paragraphs=paragraphs,
        reference=case.reference,
    )
    via_notify = settings.LETTERS_VIA_NOTIFY
    letter = Letter.objects.create(
        case=case,
        kind=kind,
        reference=ours,
        address=case.contact_address,
        pdf=pdf,
        pages=render.page_count(pdf),
        status=Letter.Status.PENDING if via_notify else Letter.Status.TO_PRINT,
    )
    audit(None, "letter.queued", case, letter=letter.pk, kind=kind, via="notify" if via_notify else "print")
    if via_notify:
        from .jobs import send_letter

        after_commit(lambda: send_letter.delay(letter.pk))
    return letter


def send_now(letter_id: int) -> str:
    """Send one pending letter to GOV.UK Notify (precompiled letter API); record the outcome."""
    from notifications_python_client.notifications import NotificationsAPIClient

    with atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None or letter.status != Letter.Status.PENDING:
            return letter.status if letter else "missing"
        letter.attempts += 1
        try:
            client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
            response = client.send_precompiled_letter_notification(
                reference=letter.reference,
                pdf_file=io.BytesIO(bytes(letter.pdf)),
                postage=settings.LETTERS_POSTAGE,
            )
        except Exception as exc:  # recorded, never raised: the worker retries later
            letter.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if letter.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                letter.status = Letter.Status.FAILED
        else:
            letter.status, letter.sent_at = Letter.Status.SENT, timezone.now()
            letter.provider_id, letter.last_error = str(response.get("id", "")), ""
        letter.save()
        return letter.status


@atomic
def mark_printed(letters, *, by) -> int:
    """Staff printed and posted these letters."""
    user = require_staff(by)
    ids = [letter.pk for letter in letters if letter.status == Letter.Status.TO_PRINT]
    if not ids:
        raise ActionError("Choose letters that are waiting to be printed.")
    Letter.objects.filter(pk__in=ids).update(
        status=Letter.Status.PRINTED, printed_by=user, sent_at=timezone.now()
    )
    for letter in Letter.objects.filter(pk__in=ids).select_related("case"):
        audit(by, "letter.printed", letter.case, letter=letter.pk)
    return len(ids)
