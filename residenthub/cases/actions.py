"""The only writers of cases. Each action validates, changes the case, writes the timeline event,
queues the resident's notification and records the audit entry, in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from residenthub.accounts import permissions
from residenthub.accounts.models import Membership, Team
from residenthub.core import audit, outbox, references
from residenthub.core.actions import ActionError, Actor, as_actor
from residenthub.core.calendar import add_working_days, working_days_between
from residenthub.core.models import Address
from residenthub.services.definitions import fill_template
from residenthub.services.models import Service

from .models import Attachment, Case, CaseAccess, CaseEvent, Channel, NotifyBy, Priority, Reroute
from .notifications import notify_resident
from .queries import forget_team_counts
from .signals import case_closed, case_created
from .tracking import forget_track_page

__all__ = ["ActionError", "Contact"]  # ActionError: the toolkit's one error class, re-exported


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    notify_by: str = NotifyBy.EMAIL
    postcode: str = ""
    address: str = ""  # postal address for letters, lines separated by newlines


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
    actor: Any = None,
    submission_key: str | None = None,
    attachment_ids: list[int] | tuple[int, ...] = (),
    session_key: str = "",
    priority: int = Priority.NORMAL,
    language: str = "en",
    ip: str | None = None,
    received_at: Any = None,
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
                    contact_address=contact.address,
                    notify_by=contact.notify_by,
                    channel=channel,
                    channel_detail=channel_detail,
                    priority=priority,
                    restricted=service.restricted,
                    due_date=add_working_days(timezone.localdate(now), service.target_working_days),
                    team_id=service.team_id,
                    status_entered_at=now,
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
                forget_team_counts(case.team_id)  # now, and again after commit (see _bump)
                transaction.on_commit(partial(forget_team_counts, case.team_id))
                transaction.on_commit(partial(case_created.send, sender=Case, case=case))
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
    """The staff user behind ``actor`` (a user, a ``core.actions.Actor`` or None)."""
    return as_actor(actor).staff


def _may_work(case: Case, by) -> None:
    """Staff change a case only if their team deals with it or owns its service; a referral lets a
    team read and add notes, nothing more. Jobs and API clients act as the system (by=None)."""
    user = _staff(by)
    if user is not None and not permissions.can_work_case(user, case):
        raise ActionError(
            "Your team can read this case but not change it. Ask the team dealing with it, or add a note."
        )


def _may_note(case: Case, by) -> None:
    user = _staff(by)
    if user is not None and not permissions.can_note_case(user, case):
        raise ActionError("You cannot add to this case.")


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
    old_team = case.team_id
    Case.objects.filter(pk=case.pk).update(**fields)
    new_team = getattr(fields.get("team"), "pk", old_team)
    # Now and after commit: a page counting in between cannot keep the old figures cached.
    forget_team_counts(old_team, new_team)
    transaction.on_commit(lambda: forget_team_counts(old_team, new_team))
    forget_track_page(case.reference)
    for follower in case.duplicates.values_list("reference", flat=True):
        forget_track_page(follower)  # their page shows this case's status
    case.refresh_from_db()
    case.__dict__.pop("status_definition", None)


def _event(case: Case, kind: str, by, *, text: str = "", public: bool = False, **fields) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=_staff(by), text=text, public=public, **fields
    )


def recalculated_due_date(case: Case, service: Service | None = None) -> datetime.date:
    """The due date from receipt, the service's target and the working days the clock was paused."""
    service = service or case.service
    received = timezone.localdate(case.created_at)
    return add_working_days(received, service.target_working_days + case.paused_working_days)


def template_values(case: Case) -> dict[str, str]:
    return {
        "resident_name": case.contact_name or "",
        "reference": case.reference,
        "service": case.service.name,
        "due_date": f"{case.due_date:%-d %B %Y}",
    }


@transaction.atomic
def transition(
    case: Case,
    to_status: str,
    *,
    by: Any,
    reason: str = "",
    public_message: str = "",
    expected_version: int | None = None,
    ip: str | None = None,
    automatic: bool = False,
) -> Case:
    """Move a case along its workflow. Tells the resident when the new status is public.

    Entering a status that pauses the clock stops it; leaving one restarts it with the due date
    moved on by the working days it was paused. A status may send a response template on entry.
    ``automatic`` moves (workflow timers) may follow a status's ``move_to`` without a transition.
    """
    case = _lock(case, expected_version)
    _may_work(case, by)
    workflow = case.service.workflow
    try:
        target = workflow.status(to_status)
    except KeyError:
        raise ActionError(f"'{to_status}' is not a status of this service.") from None
    current = workflow.status(case.status)
    allowed = workflow.can_move(case.status, to_status) or (automatic and current.move_to == to_status)
    if not allowed:
        raise ActionError(f"A case that is '{current.label}' cannot move to '{target.label}'.")
    reason = reason.strip()
    if target.reason_required and not reason:
        raise ActionError(f"Give a reason for moving the case to '{target.label}'.")
    from_status = case.status
    now = timezone.now()
    fields: dict[str, Any] = {
        "status": to_status,
        "is_open": not target.is_closed,
        "closed_at": now if target.is_closed else None,
        "status_entered_at": now,
        "hold_reminder_sent_at": None,
    }
    if case.on_hold_since and not target.pause_clock:
        paused = working_days_between(timezone.localdate(case.on_hold_since), timezone.localdate(now))
        case.paused_working_days += paused
        fields.update(
            on_hold_since=None,
            paused_working_days=case.paused_working_days,
            due_date=recalculated_due_date(case),
        )
    elif target.pause_clock and not case.on_hold_since:
        fields["on_hold_since"] = now
    _bump(case, **fields)
    message = public_message.strip()
    if target.on_enter_template and not message:
        template = next(
            (t for t in case.service.response_templates if t["name"] == target.on_enter_template), None
        )
        if template:
            message = fill_template(template["text"], template_values(case))
    text = "\n\n".join(part for part in [message, reason] if part) if target.public else reason
    _event(
        case,
        CaseEvent.Kind.STATUS_CHANGED,
        by,
        text=text,
        public=target.public,
        from_status=from_status,
        to_status=to_status,
        at=now,
    )
    if target.public:
        notify_resident(case, "status_changed", text=message)
    if target.is_closed:
        transaction.on_commit(partial(case_closed.send, sender=Case, case=case))
    audit.record(
        "case.status_changed",
        case,
        actor=by,
        actor_label="" if _staff(by) else "system",
        detail={"from": from_status, "to": to_status},
        ip=ip,
    )
    return case


def reopen(
    case: Case, *, by: Any, reason: str, expected_version: int | None = None, ip: str | None = None
) -> Case:
    """Reopen a closed case: the first open status its workflow allows from where it is."""
    if case.is_open:
        raise ActionError("This case is already open.")
    if not reason.strip():
        raise ActionError("Give a reason for reopening the case.")
    options = [s for s in case.service.workflow.allowed_from(case.status) if not s.is_closed]
    if not options:
        raise ActionError("The workflow of this service does not allow this case to be reopened.")
    return transition(case, options[0].code, by=by, reason=reason, expected_version=expected_version, ip=ip)


@transaction.atomic
def add_public_update(
    case: Case, text: str, *, by: Any, expected_version: int | None = None, ip: str | None = None
) -> Case:
    text = text.strip()
    if not text:
        raise ActionError("Enter the update for the resident.")
    case = _lock(case, expected_version)
    _may_work(case, by)
    _bump(case)
    _event(case, CaseEvent.Kind.PUBLIC_UPDATE, by, text=text, public=True)
    notify_resident(case, "public_update", text=text)
    audit.record("case.public_update", case, actor=by, ip=ip)
    return case


@transaction.atomic
def add_internal_note(
    case: Case, text: str, *, by: Any, expected_version: int | None = None, ip: str | None = None
) -> Case:
    text = text.strip()
    if not text:
        raise ActionError("Enter the note.")
    case = _lock(case, expected_version)
    _may_note(case, by)
    _bump(case)
    _event(case, CaseEvent.Kind.INTERNAL_NOTE, by, text=text)
    audit.record("case.internal_note", case, actor=by, ip=ip)
    return case


@transaction.atomic
def assign(
    case: Case,
    *,
    by: Any,
    team: Team | None = None,
    officer: Any = None,
    expected_version: int | None = None,
    ip: str | None = None,
) -> Case:
    """Give the case to a team, an officer of its team, or both. Officers must be in the team."""
    case = _lock(case, expected_version)
    _may_work(case, by)
    team = team or case.team
    if officer is not None and not Membership.objects.filter(user=officer, team=team).exists():
        raise ActionError(f"{officer.get_full_name() or officer.username} is not in the {team.name} team.")
    if team.pk == case.team_id and getattr(officer, "pk", None) == case.assigned_to_id:
        raise ActionError("The case is already assigned there.")
    fields: dict[str, Any] = {"team": team, "assigned_to": officer}
    _bump(case, **fields)
    who = officer.get_full_name() or officer.username if officer else "nobody"
    _event(case, CaseEvent.Kind.ASSIGNED, by, text=f"Assigned to {team.name}, {who}")
    audit.record(
        "case.assigned",
        case,
        actor=by,
        ip=ip,
        detail={"team": team.slug, "officer": getattr(officer, "pk", None)},
    )
    return case


@transaction.atomic
def refer(case: Case, team: Team, *, by: Any, reason: str, ip: str | None = None) -> CaseAccess:
    """Ask another team for help: that team may see this case (and only this case)."""
    if not reason.strip():
        raise ActionError("Say why you are referring the case.")
    case = _lock(case, None)
    _may_work(case, by)
    if team.pk in {case.team_id, case.service.team_id}:
        raise ActionError(f"The {team.name} team can already see this case.")
    grant, created = CaseAccess.objects.get_or_create(
        case=case, team=team, defaults={"granted_by": _staff(by), "reason": reason.strip()}
    )
    if not created:
        raise ActionError(f"The case has already been referred to the {team.name} team.")
    _bump(case)
    _event(case, CaseEvent.Kind.REFERRED, by, text=f"Referred to {team.name}: {reason.strip()}")
    audit.record("case.referred", case, actor=by, ip=ip, detail={"team": team.slug})
    return grant


def free_text_of(case: Case) -> str:
    """What the resident wrote in their own words (text answers and the location description)."""
    parts = []
    for question in case.service.form.questions:
        value = case.answers.get(question.name)
        if question.type in {"text", "textarea"} and isinstance(value, str):
            parts.append(value)
        elif question.type == "location" and isinstance(value, dict):
            parts.append(value.get("description", ""))
    return "\n".join(p for p in parts if p)


@transaction.atomic
def reroute(
    case: Case,
    service: Service,
    *,
    by: Any,
    reason: str,
    expected_version: int | None = None,
    ip: str | None = None,
) -> Case:
    """Move a case to the service it really belongs to; the clock is recalculated for that service.

    Kept as a labelled example (``Reroute``) so the triage model learns from it.
    """
    if not reason.strip():
        raise ActionError("Say why the case belongs to the other service.")
    case = _lock(case, expected_version)
    _may_work(case, by)
    if service.pk == case.service_id:
        raise ActionError("The case is already in that service.")
    if not service.active:
        raise ActionError("That service is no longer available.")
    old_service = case.service
    codes = {s.code for s in service.workflow.statuses}
    status = case.status if case.status in codes else service.workflow.initial
    Reroute.objects.create(
        case=case,
        from_service=old_service,
        to_service=service,
        text=free_text_of(case),
        reason=reason.strip(),
        by=_staff(by),
    )
    _bump(
        case,
        service=service,
        team=service.team,
        assigned_to=None,
        status=status,
        # Once restricted, always restricted: only a lead of the owning team lifts it (lift_restriction).
        restricted=case.restricted or service.restricted,
        due_date=recalculated_due_date(case, service),
    )
    case.__dict__.pop("service", None)
    _event(
        case,
        CaseEvent.Kind.REROUTED,
        by,
        public=True,
        text=f"Passed from {old_service.name} to {service.name}. {reason.strip()}",
    )
    notify_resident(case, "public_update", text=f"Your request has been passed to {service.name}.")
    audit.record(
        "case.rerouted", case, actor=by, ip=ip, detail={"from": old_service.code, "to": service.code}
    )
    return case


@transaction.atomic
def mark_duplicate(
    case: Case, original: Case, *, by: Any, expected_version: int | None = None, ip: str | None = None
) -> Case:
    """Close a case as the same as ``original``; its resident follows the original from now on."""
    case = _lock(case, expected_version)
    _may_work(case, by)
    if original.pk == case.pk:
        raise ActionError("A case cannot be a duplicate of itself.")
    if original.duplicate_of is not None:
        original = original.duplicate_of
    if original.duplicate_of_id == case.pk or original.pk == case.pk:
        raise ActionError("That would make the two cases duplicates of each other.")
    if not case.is_open:
        raise ActionError("Only an open case can be marked as a duplicate.")
    workflow = case.service.workflow
    closed = [s for s in workflow.statuses if s.is_closed]
    status = next((s for s in closed if s.code == "duplicate"), closed[0] if closed else None)
    if status is None:
        raise ActionError("The workflow of this service has no closed status.")
    now = timezone.now()
    from_status = case.status
    _bump(
        case, duplicate_of=original, status=status.code, is_open=False, closed_at=now, status_entered_at=now
    )
    text = (
        f"This is the same as request {original.reference}, which we are already dealing with. "
        "We will keep you updated on that request."
    )
    _event(
        case,
        CaseEvent.Kind.DUPLICATE,
        by,
        text=text,
        public=True,
        from_status=from_status,
        to_status=status.code,
    )
    notify_resident(case, "public_update", text=text)
    audit.record("case.marked_duplicate", case, actor=by, ip=ip, detail={"original": original.reference})
    return case


def bulk(cases: Any, action: Any, **kwargs) -> tuple[list[Case], list[tuple[Case, str]]]:
    """Apply one action to many cases; each in its own transaction. Returns (done, failed)."""
    done, failed = [], []
    for case in cases:
        try:
            done.append(action(case, **kwargs))
        except ActionError as exc:
            failed.append((case, str(exc)))
    return done, failed


@transaction.atomic
def set_priority(case: Case, priority: int, *, by: Any, reason: str, ip: str | None = None) -> Case:
    """Raise or lower a case's priority (e.g. triage found a vulnerable resident), with the reason."""
    if priority not in Priority.values:
        raise ActionError("Choose urgent or normal.")
    if not reason.strip():
        raise ActionError("Give a reason for changing the priority.")
    case = _lock(case, None)
    _may_work(case, by)
    if case.priority == priority:
        return case
    _bump(case, priority=priority)
    _event(
        case, CaseEvent.Kind.INTERNAL_NOTE, by, text=f"Priority: {Priority(priority).label}. {reason.strip()}"
    )
    audit.record("case.priority_changed", case, actor=by, ip=ip, detail={"priority": priority})
    return case


@transaction.atomic
def lift_restriction(
    case: Case, *, by: Any, reason: str, expected_version: int | None = None, ip: str | None = None
) -> Case:
    """Make a restricted case visible beyond its own teams (Open311, webhooks, administrators).

    Only a lead of the team that owns the case's service or deals with it may do this, with a reason;
    it is on the timeline and in the audit trail (SECURITY.md)."""
    if not reason.strip():
        raise ActionError("Give a reason for lifting the restriction.")
    case = _lock(case, expected_version)
    if not case.restricted:
        raise ActionError("This case is not restricted.")
    user = _staff(by)
    if user is None or not permissions.can_lift_restriction(user, case):
        raise ActionError("Only a team leader or service manager of the owning team can lift a restriction.")
    if case.service.restricted:
        raise ActionError(f"Cases of {case.service.name} are always restricted. Re-route it first.")
    _bump(case, restricted=False)
    _event(case, CaseEvent.Kind.INTERNAL_NOTE, by, text=f"Restriction lifted. {reason.strip()}")
    audit.record("case.restriction_lifted", case, actor=by, ip=ip, detail={"reason_given": True})
    return case


@transaction.atomic
def record_address_change(
    case: Case, address: str, *, moved_on, by: Any = None, ip: str | None = None
) -> Case:
    """Tell us once (issue 15): the resident says they moved. A note on the case for the team, and
    the postal address letters go to when ``address`` is given (residents who get updates by post)."""
    case = _lock(case, None)
    _bump(case, **({"contact_address": address} if address else {}))
    text = f"The resident told us they moved on {moved_on:%-d %B %Y}."
    if address:
        text += " Letters now go to: " + ", ".join(address.splitlines()[1:])
    _event(case, CaseEvent.Kind.INTERNAL_NOTE, by, text=text)
    audit.record(
        "case.address_change_recorded",
        case,
        actor=_staff(by),
        actor_label="" if _staff(by) else "resident",
        ip=ip,
        detail={"postal_address_changed": bool(address)},
    )
    return case


# --- the clock's work (cases.jobs.run_clocks calls these) ------------------------------------------
CLOCK = Actor.system("clock")


def _staff_email(recipients: list[str], subject: str, body: str, case: Case) -> int:
    addresses = sorted(set(filter(None, recipients)))
    for address in addresses:
        outbox.queue_email(address, subject, body, case=case)
    return len(addresses)


def _case_url(case: Case) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("backoffice:case", args=[case.reference])


@transaction.atomic
def remind_officer(case: Case, *, by: Any = CLOCK, now: datetime.datetime | None = None) -> bool:
    """Remind the assigned officer that the case is nearing its due date (once per case).

    False when there is nothing to do any more (reminded already, no officer, or on hold)."""
    now = now or timezone.now()
    case = _lock(case, None)
    if case.reminder_sent_at or case.assigned_to_id is None or case.on_hold_since or not case.is_open:
        return False
    _staff_email(
        [case.assigned_to.email if case.assigned_to else ""],
        f"Reminder: {case.reference} is due on {case.due_date:%-d %B}",
        f"{case.service.name} case {case.reference} is due on {case.due_date:%-d %B %Y}.\n\n"
        f"{_case_url(case)}\n",
        case,
    )
    _bump(case, reminder_sent_at=now)
    _event(case, CaseEvent.Kind.ESCALATION, by, text="Reminder sent to the assigned officer.")
    audit.record("case.officer_reminded", case, actor=by)
    return True


@transaction.atomic
def alert_overdue(case: Case, *, by: Any = CLOCK, now: datetime.datetime | None = None) -> bool:
    """Tell the team leaders that the case passed its due date (once per case)."""
    from residenthub.accounts.queries import team_alert_addresses

    now = now or timezone.now()
    case = _lock(case, None)
    if case.breach_alert_sent_at or case.on_hold_since or not case.is_open:
        return False
    _staff_email(
        team_alert_addresses(case.team),
        f"Overdue: {case.reference} was due on {case.due_date:%-d %B}",
        f"{case.service.name} case {case.reference} passed its due date "
        f"({case.due_date:%-d %B %Y}).\n\n{_case_url(case)}\n",
        case,
    )
    _bump(case, breach_alert_sent_at=now)
    _event(case, CaseEvent.Kind.ESCALATION, by, text="Overdue: the team leader has been alerted.")
    audit.record("case.overdue_alerted", case, actor=by)
    return True


RESIDENT_REMINDER = (
    "We are still waiting for the information we asked you for. "
    "Please reply so we can carry on with your request."
)


@transaction.atomic
def remind_resident(case: Case, *, by: Any = CLOCK, now: datetime.datetime | None = None) -> bool:
    """Remind the resident that the case waits for them (once per spell in that status); on the
    timeline, where the resident sees it on their tracking page, and in the audit trail."""
    now = now or timezone.now()
    case = _lock(case, None)
    if case.hold_reminder_sent_at or not case.is_open:
        return False
    _bump(case, hold_reminder_sent_at=now)
    _event(case, CaseEvent.Kind.REMINDER, by, text=RESIDENT_REMINDER, public=True)
    notify_resident(case, "public_update", text=RESIDENT_REMINDER)
    audit.record("case.resident_reminded", case, actor=by)
    return True


def recalculate_due_dates(*, by: Any = CLOCK) -> int:
    """After the calendar changed: every open case's due date again; each change its own transaction,
    with the version bumped, the tracking page forgotten and an audit entry."""
    changed = 0
    for case in Case.objects.filter(is_open=True).select_related("service").iterator():
        due = recalculated_due_date(case)
        if due != case.due_date and _move_due_date(case, due, by=by):
            changed += 1
    return changed


@transaction.atomic
def _move_due_date(case: Case, due: datetime.date, *, by: Any) -> bool:
    case = _lock(case, None)
    due = recalculated_due_date(case)
    if due == case.due_date or not case.is_open:
        return False
    old = case.due_date
    _bump(case, due_date=due)
    audit.record("case.due_date_recalculated", case, actor=by, detail={"old": str(old), "new": str(due)})
    return True


def store_upload(upload: Any, *, session_key: str, content_type: str) -> int:
    """Keep a file a visitor uploaded to a form, pending (no case) until the form is sent; the file
    is stored under a random token, never the visitor's file name. Returns the attachment's id."""
    import secrets

    attachment = Attachment(
        token=secrets.token_urlsafe(32),
        session_key=session_key,
        original_name=upload.name[-255:],
        content_type=content_type,
        size=upload.size,
    )
    attachment.file.save(attachment.token, upload, save=False)
    attachment.save()
    return attachment.pk


def purge_abandoned_uploads(before: datetime.datetime, *, by: Any = CLOCK) -> int:
    """Delete the files uploaded to forms that were never sent, received before ``before`` (data
    minimisation). No audit entry: nothing of a case, and the uploads belong to nobody known."""
    count = 0
    for attachment in Attachment.objects.filter(case__isnull=True, uploaded_at__lt=before):
        attachment.file.delete(save=False)
        attachment.delete()
        count += 1
    return count
