"""The only writers of cases. Each action validates, changes the case, writes the timeline event,
queues the resident's notification and records the audit entry, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from residenthub.core import audit, references
from residenthub.core.calendar import add_working_days
from residenthub.core.models import Address
from residenthub.services.models import Service

from .models import Attachment, Case, CaseEvent, Channel, NotifyBy, Priority
from .notifications import notify_resident
from .signals import case_created
from .tracking import forget_track_page


class ActionError(Exception):
    """A request to change a case that the rules do not allow; the message is for the user."""


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    notify_by: str = NotifyBy.EMAIL
    postcode: str = ""


def _place_from_answers(service: Service, answers: dict[str, Any]) -> dict[str, Any]:
    """Where the case is: taken from its first address or location answer."""
    for question in service.form.questions:
        value = answers.get(question.name)
        if question.type == "address" and isinstance(value, dict):
            place = {
                "location_text": value.get("text", ""),
                "postcode": value.get("postcode", ""),
                "uprn": value.get("uprn", ""),
            }
            if place["uprn"]:
                address = Address.objects.filter(uprn=place["uprn"]).first()
                if address:
                    place.update(latitude=address.latitude, longitude=address.longitude)
            return place
        if question.type == "location" and isinstance(value, dict):
            place = {"location_text": value.get("description", ""), "postcode": value.get("postcode", "")}
            if value.get("latitude") is not None:
                place.update(latitude=value["latitude"], longitude=value["longitude"])
            return place
    return {}


def _new_reference() -> str:
    return references.generate(settings.REFERENCE_PREFIX)


def create_case(
    *,
    service: Service,
    answers: dict[str, Any],
    contact: Contact,
    channel: str = Channel.WEB,
    channel_detail: str = "",
    actor=None,
    submission_key: str | None = None,
    attachment_ids: list[int] | tuple[int, ...] = (),
    session_key: str = "",
    priority: int = Priority.NORMAL,
    language: str = "en",
    ip: str | None = None,
    received_at=None,
) -> Case:
    """Create a case from validated answers. A repeated ``submission_key`` returns the first case.

    ``received_at`` is when the council received it (a letter opened today that came yesterday);
    the clock runs from then. It defaults to now.
    """
    if submission_key:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    if not service.active:
        raise ActionError("This service is no longer available.")
    place = _place_from_answers(service, answers)
    if contact.postcode and not place.get("postcode"):
        place["postcode"] = contact.postcode
    now = received_at or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=_new_reference(),
                    service=service,
                    status=service.workflow.initial,
                    answers=answers,
                    contact_name=contact.name,
                    contact_email=contact.email.lower(),
                    contact_phone=contact.phone,
                    notify_by=contact.notify_by,
                    channel=channel,
                    channel_detail=channel_detail,
                    priority=priority,
                    restricted=service.restricted,
                    due_date=add_working_days(timezone.localdate(now), service.target_working_days),
                    language=language,
                    submission_key=submission_key,
                    created_at=now,
                    **place,
                )
                if attachment_ids:
                    pending = Attachment.objects.filter(pk__in=attachment_ids, case__isnull=True)
                    if session_key:
                        pending = pending.filter(session_key=session_key)
                    pending.update(case=case, session_key="")
                CaseEvent.objects.create(
                    case=case,
                    kind=CaseEvent.Kind.SUBMITTED,
                    actor=_staff(actor),
                    to_status=case.status,
                    public=True,
                    at=now,
                )
                notify_resident(case, "submitted")
                transaction.on_commit(lambda case=case: case_created.send(sender=Case, case=case))
                audit.record(
                    "case.created",
                    case,
                    actor=actor,
                    actor_label="" if _staff(actor) else "resident",
                    detail={"service": service.code, "channel": channel},
                    ip=ip,
                )
                return case
        except IntegrityError:
            if submission_key:
                existing = Case.objects.filter(submission_key=submission_key).first()
                if existing:
                    return existing
            continue  # a reference collision: draw another
    raise ActionError("Could not create the case; please try again.")


def _staff(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ActionError(
            "Someone else changed this case while you were looking at it. "
            "Check the latest details and try again."
        )
    return locked


def _bump(case: Case, **fields) -> None:
    fields["version"] = F("version") + 1
    Case.objects.filter(pk=case.pk).update(**fields)
    forget_track_page(case.reference)
    case.refresh_from_db()
    case.__dict__.pop("status_definition", None)


@transaction.atomic
def transition(
    case: Case,
    to_status: str,
    *,
    by,
    reason: str = "",
    public_message: str = "",
    expected_version: int | None = None,
    ip: str | None = None,
) -> Case:
    """Move a case along its workflow. Tells the resident when the new status is public."""
    case = _lock(case, expected_version)
    workflow = case.service.workflow
    try:
        target = workflow.status(to_status)
    except KeyError:
        raise ActionError(f"'{to_status}' is not a status of this service.") from None
    if not workflow.can_move(case.status, to_status):
        current = workflow.status(case.status).label
        raise ActionError(f"A case that is '{current}' cannot move to '{target.label}'.")
    reason = reason.strip()
    if target.reason_required and not reason:
        raise ActionError(f"Give a reason for moving the case to '{target.label}'.")
    from_status = case.status
    now = timezone.now()
    _bump(case, status=to_status, is_open=not target.is_closed, closed_at=now if target.is_closed else None)
    text = "\n\n".join(part for part in [public_message.strip(), reason] if part) if target.public else reason
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        actor=_staff(by),
        from_status=from_status,
        to_status=to_status,
        text=text,
        public=target.public,
        at=now,
    )
    if target.public:
        notify_resident(case, "status_changed", text=public_message.strip())
    audit.record("case.status_changed", case, actor=by, detail={"from": from_status, "to": to_status}, ip=ip)
    return case


@transaction.atomic
def add_public_update(
    case: Case, text: str, *, by, expected_version: int | None = None, ip: str | None = None
) -> Case:
    text = text.strip()
    if not text:
        raise ActionError("Enter the update for the resident.")
    case = _lock(case, expected_version)
    _bump(case)
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.PUBLIC_UPDATE, actor=_staff(by), text=text, public=True
    )
    notify_resident(case, "public_update", text=text)
    audit.record("case.public_update", case, actor=by, ip=ip)
    return case


@transaction.atomic
def add_internal_note(
    case: Case, text: str, *, by, expected_version: int | None = None, ip: str | None = None
) -> Case:
    text = text.strip()
    if not text:
        raise ActionError("Enter the note.")
    case = _lock(case, expected_version)
    _bump(case)
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.INTERNAL_NOTE, actor=_staff(by), text=text, public=False
    )
    audit.record("case.internal_note", case, actor=by, ip=ip)
    return case
