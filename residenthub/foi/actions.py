"""The only writers of information requests: each action validates, updates the clock, writes the timeline
event, the audit entry and any email in one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from residenthub.accounts import permissions
from residenthub.core.actions import ActionError, as_actor, audit
from residenthub.core.calendar import council_closure_days, forget_closure_days
from residenthub.core.outbox import queue_email
from residenthub.core.references import generate

from . import clocks, queries
from .models import (
    EXEMPTION_CODES,
    OPEN_STATUSES,
    ClockPause,
    Document,
    InformationRequest,
    InternalTask,
    Kind,
    Outcome,
    RequestEvent,
    Source,
    Span,
    Status,
)
from .redaction import documents


def detect_many(*args, **kwargs):
    """The detector, imported when first used: Presidio and spaCy take a second or more to import,
    which every web process and command would otherwise pay at start-up."""
    from .redaction.detect import detect_many as run

    return run(*args, **kwargs)


FOIError = ActionError  # the toolkit's one error class, under the name this app's callers know


def _user(by: Any) -> Any:
    """The staff user behind ``by`` (an ``Actor``, a user or None), or None."""
    return as_actor(by).staff


def _event(req: InformationRequest, kind: str, by: Any = None, text: str = "", **detail: Any) -> RequestEvent:
    return RequestEvent.objects.create(request=req, kind=kind, actor=_user(by), text=text, detail=detail)


def _audit(action: str, req: Any, by: Any = None, **detail: Any) -> None:
    """The audit entry, with the request's IP when ``by`` is an ``Actor`` made from a request."""
    audit(by, action, req, **detail)


def _today() -> dt.date:
    return timezone.localdate()


def _recompute(req: InformationRequest) -> None:
    req.due_date = req.compute_due_date()


ACK_SUBJECT = "We have received your request {reference}"
ACK_BODY = """Dear {name},

Thank you for your {kind_label}, which we received on {received:%-d %B %Y}. Your reference is {reference}.

We will reply by {due:%-d %B %Y}.{extra}

{council}
"""


def _acknowledge(req: InformationRequest, by=None) -> None:
    extra = ""
    if req.kind == Kind.SAR:
        extra = "\n\nWe may need to confirm your identity first; if so, the time starts when we have it."
    if req.requester_email:
        queue_email(
            req.requester_email,
            ACK_SUBJECT.format(reference=req.reference),
            ACK_BODY.format(
                name=req.requester_name or "requester",
                kind_label=req.get_kind_display().lower(),
                received=req.received_on,
                reference=req.reference,
                due=req.due_date,
                extra=extra,
                council=settings.COUNCIL_NAME,
            ),
            case=req.case,
        )
    req.status = Status.ACKNOWLEDGED
    req.save(update_fields=["status", "updated_at"])
    _event(req, "acknowledged", by, due_date=str(req.due_date))


def log_request(
    *,
    kind: str,
    subject: str,
    body: str,
    received_on: dt.date | None = None,
    requester_name: str = "",
    requester_email: str = "",
    requester_address: str = "",
    source: str = Source.STAFF,
    case: Any = None,
    directorate: Any = None,
    original_email: bytes | None = None,
    by: Any = None,
    acknowledge: bool = True,
) -> InformationRequest:
    """Log a request, set its clock and (by default) send the automatic acknowledgement with the due date."""
    if kind not in Kind.values:
        raise FOIError(f"Unknown request type {kind!r}.")
    if not subject.strip() or not body.strip():
        raise FOIError("A request needs a subject and the text of the request.")
    received_on = received_on or _today()
    with transaction.atomic():
        req = InformationRequest(
            reference=generate(settings.FOI_REFERENCE_PREFIX),
            kind=kind,
            source=source,
            subject=subject.strip()[:300],
            body=body,
            requester_name=requester_name,
            requester_email=requester_email.lower(),
            requester_address=requester_address,
            case=case,
            directorate=directorate,
            received_on=received_on,
            clock_start=received_on,
            original_email=original_email,
        )
        _recompute(req)
        req.save()
        _event(req, "logged", by, source=source, due_date=str(req.due_date))
        _audit("foi.logged", req, by, kind=kind, source=source)
        if acknowledge:
            _acknowledge(req, by)
    return req


# --- requests from the web form and by email ---------------------------------------------------------
SERVICE_KINDS = {"foi-request": Kind.FOI, "make-a-complaint": Kind.COMPLAINT}


def create_from_case(case: Any) -> InformationRequest | None:
    """A case from the web form of a mirrored service becomes a request linked to it."""
    kind = SERVICE_KINDS.get(case.service.code)
    if kind is None or InformationRequest.objects.filter(case=case).exists():
        return None
    answers = case.answers or {}
    if kind == Kind.FOI and answers.get("about_yourself") == "yes":
        kind = Kind.SAR
    body = answers.get("request") or answers.get("complaint") or ""
    if answers.get("time_period"):
        body += f"\n\nTime period: {answers['time_period']}"
    subject = " ".join(body.split())[:120] or case.service.name
    return log_request(
        kind=kind,
        subject=subject,
        body=body or case.service.name,
        received_on=timezone.localdate(case.created_at),
        requester_name=case.contact_name,
        requester_email=case.contact_email,
        source=Source.WEB,
        case=case,
        directorate=case.team.directorate if case.team_id else None,
    )


_EIR_WORDS = re.compile(
    r"\b(environment(al)?|pollution|air quality|planning|noise|emissions|waste|flood)", re.I
)
_SAR_WORDS = re.compile(
    r"\b(subject access|my personal data|information (you|the council) hold[s]? (on|about) me)", re.I
)
_COMPLAINT_WORDS = re.compile(r"\bcomplain(t|ts|ing)?\b", re.I)


def guess_kind(text: str) -> str:
    if _SAR_WORDS.search(text):
        return Kind.SAR
    if _COMPLAINT_WORDS.search(text):
        return Kind.COMPLAINT
    if _EIR_WORDS.search(text):
        return Kind.EIR
    return Kind.FOI


def create_from_email(raw: bytes, *, by: Any = None, kind: str | None = None) -> InformationRequest:
    """Parse an email sent to the requests mailbox into a request; the original bytes are kept."""
    from email.utils import parseaddr

    if len(raw) > documents.max_bytes():
        raise FOIError("The email is too large to log as a request.")
    message = documents.parse_email(raw)
    name, address = parseaddr(str(message.get("From", "")))
    if not address or "@" not in address:
        raise FOIError("The email has no sender address, so it cannot be logged as a request.")
    subject = str(message.get("Subject", "")).strip() or "(no subject)"
    body = documents.email_body(message)
    if not body:
        raise FOIError("The email has no text to log as a request.")
    received = _today()
    if message.get("Date"):
        with contextlib.suppress(AttributeError, TypeError, ValueError):
            received = timezone.localdate(message["Date"].datetime)
    return log_request(
        kind=kind or guess_kind(subject + " " + body),
        subject=subject,
        body=body,
        received_on=received,
        requester_name=name,
        requester_email=address,
        source=Source.EMAIL,
        original_email=raw,
        by=by,
    )


# --- the clock ----------------------------------------------------------------------------------------
def _lock(req: InformationRequest) -> InformationRequest:
    return InformationRequest.objects.select_for_update().get(pk=req.pk)


def _pause_effect(kind: str, reason: str) -> str:
    """Clarification restarts an FOI/EIR clock (s.1(3), reg. 9(4)); an ID check or fee starts a SAR clock
    again from receipt. FOI fees (s.10(2)) and complaint waits stop the clock without restarting it."""
    if kind in (Kind.FOI, Kind.EIR) and reason == ClockPause.Reason.CLARIFICATION:
        return "restart"
    if kind == Kind.SAR and reason in (ClockPause.Reason.IDENTITY, ClockPause.Reason.FEE):
        return "restart"
    return "pause"


def pause_clock(
    req: Any, reason: str, *, on: dt.date | None = None, by: Any = None, note: str = ""
) -> InformationRequest:
    if reason not in ClockPause.Reason.values:
        raise FOIError("Choose why the clock is paused: clarification, fees notice or identity check.")
    with transaction.atomic():
        req = _lock(req)
        if req.status not in PAUSE_FROM:
            raise FOIError("Only a running clock can be paused, before the response is sent.")
        on = on or _today()
        ClockPause.objects.create(
            request=req,
            reason=reason,
            started_on=on,
            effect=_pause_effect(req.kind, reason),
            due_before=req.due_date,
            status_before=req.status,
        )
        req.status = Status.PAUSED
        req.save(update_fields=["status", "updated_at"])
        _event(req, "clock_paused", by, note, reason=reason)
        _audit("foi.clock_paused", req, by, reason=reason)
        if req.requester_email:
            queue_email(
                req.requester_email,
                f"We need something from you about {req.reference}",
                f"Dear {req.requester_name or 'requester'},\n\n{note or 'We need more information.'}\n\n"
                f"The time to answer your request is paused until you reply.\n\n{settings.COUNCIL_NAME}\n",
                case=req.case,
            )
    return req


def _status_after_pause(pause: ClockPause) -> str:
    """Back to the draft, the approval or the approved answer the pause interrupted (a fee paid or an
    identity checked leaves the answer as it was); after a clarification, or from earlier steps, to
    gathering: a clarified request may need a different answer."""
    kept = (Status.DRAFT, Status.AWAITING_APPROVAL, Status.APPROVED)
    if pause.reason != ClockPause.Reason.CLARIFICATION and pause.status_before in kept:
        return pause.status_before
    return Status.GATHERING


def resume_clock(req: Any, *, on: dt.date | None = None, by: Any = None) -> InformationRequest:
    with transaction.atomic():
        req = _lock(req)
        pause = req.pauses.filter(ended_on__isnull=True).order_by("-id").first()
        if req.status != Status.PAUSED or pause is None:
            raise FOIError("The clock is not paused.")
        on = on or _today()
        if on < pause.started_on:
            raise FOIError("The reply cannot come before the clock was paused.")
        pause.ended_on = on
        pause.save(update_fields=["ended_on"])
        if pause.effect == "restart":
            req.clock_start = on
            req.paused_working_days = 0
            req.paused_calendar_days = 0
        elif req.kind == Kind.SAR:
            req.paused_calendar_days += (on - pause.started_on).days
        else:
            req.paused_working_days += clocks.working_days_paused(req.kind, pause.started_on, on)
        _recompute(req)
        req.status = _status_after_pause(pause)
        req.save()
        _event(req, "clock_resumed", by, effect=pause.effect, due_date=str(req.due_date))
        _audit("foi.clock_resumed", req, by, effect=pause.effect)
    return req


def extend(
    req: Any, *, working_days: int = 0, months: int = 0, reason: str, by: Any = None
) -> InformationRequest:
    if not reason.strip():
        raise FOIError("Give the reason for the extension.", field="reason")
    with transaction.atomic():
        req = _lock(req)
        if req.status not in EXTEND_FROM:
            raise FOIError("The deadline can only be extended before the response is sent.")
        try:
            clocks.check_extension(req.kind, req.extra_working_days + working_days, req.extra_months + months)
        except clocks.ClockError as exc:
            raise FOIError(str(exc), field="months" if months else "working_days") from exc
        req.extra_working_days += working_days
        req.extra_months += months
        _recompute(req)
        req.save()
        _event(req, "extended", by, reason, due_date=str(req.due_date))
        _audit("foi.extended", req, by, working_days=working_days, months=months)
    return req


def _later_stages(req: InformationRequest) -> list[int]:
    """A complaint's configured stages after the one it is at, in order."""
    return sorted(int(s["stage"]) for s in clocks.complaint_stages() if int(s["stage"]) > req.stage)


def escalate_complaint(
    req: Any, *, on: dt.date | None = None, by: Any = None, reason: str = ""
) -> InformationRequest:
    """Move a complaint to its next configured stage; the new stage's clock runs from ``on``."""
    if req.kind != Kind.COMPLAINT:
        raise FOIError("Only complaints have stages.")
    later = _later_stages(req)
    if not later:
        raise FOIError("This complaint is at its last stage: the next step is the Ombudsman.")
    with transaction.atomic():
        req = _lock(req)
        req.stage = later[0]
        req.clock_start = on or _today()
        req.paused_working_days = 0
        req.status = Status.GATHERING
        req.responded_on = None
        req.on_time = None
        _recompute(req)
        req.save()
        _tell_the_case(
            req,
            "next_stage",
            f"Your complaint is now at stage {req.stage}. We will answer by {req.due_date:%-d %B %Y}.",
        )
        _event(req, "escalated", by, reason, stage=req.stage, due_date=str(req.due_date))
        _audit("foi.escalated", req, by, stage=req.stage)
    return req


def recalculate_open_requests() -> int:
    """Recompute every open request's due date (after a closure day or bank holiday is added)."""
    forget_closure_days()
    closures = council_closure_days()
    changed = 0
    for req in InformationRequest.objects.filter(status__in=OPEN_STATUSES).iterator():
        new = req.compute_due_date(closures)
        if new != req.due_date:
            old = req.due_date
            InformationRequest.objects.filter(pk=req.pk).update(due_date=new)
            _event(req, "due_date_recalculated", None, old=str(old), new=str(new))
            changed += 1
    return changed


# --- the work ---------------------------------------------------------------------------------------
# Where each step may start from: the actions below check these, and the request page offers a step only
# where it can work (``possible_actions``).
DRAFT_FROM = (
    Status.LOGGED,
    Status.ACKNOWLEDGED,
    Status.GATHERING,
    Status.DRAFT,
    Status.INTERNAL_REVIEW,
    Status.AWAITING_APPROVAL,
)
SUBMIT_FROM = (Status.DRAFT,)
APPROVE_FROM = (Status.AWAITING_APPROVAL,)
RESPOND_FROM = (Status.APPROVED,)
REVIEW_FROM = (Status.RESPONDED, Status.CLOSED)
COMPLETE_REVIEW_FROM = (Status.INTERNAL_REVIEW,)
REFER_FROM = (Status.RESPONDED, Status.CLOSED, Status.INTERNAL_REVIEW)
CLOSE_FROM = (Status.RESPONDED,)
# The response clock runs until the answer goes out: pausing or extending it after that (in an internal
# review, say) would move a deadline nobody is working to, and resuming would drop the review's state.
PAUSE_FROM = (
    Status.LOGGED,
    Status.ACKNOWLEDGED,
    Status.GATHERING,
    Status.DRAFT,
    Status.AWAITING_APPROVAL,
    Status.APPROVED,
)
EXTEND_FROM = (*PAUSE_FROM, Status.PAUSED)


def possible_actions(req: InformationRequest, user: Any) -> set[str]:
    """The steps the request page offers now, by the same rules the actions check (they still check: a
    stale page's button gets the action's own message)."""
    status, possible = req.status, set()
    if status in OPEN_STATUSES:
        possible.add("task")
    if status in PAUSE_FROM:
        possible.add("pause")
    if status == Status.PAUSED:
        possible.add("resume")
    if status in EXTEND_FROM and req.kind in (Kind.FOI, Kind.EIR, Kind.SAR):
        possible.add("extend")
    steps = {
        "draft": DRAFT_FROM,
        "submit": SUBMIT_FROM,
        "respond": RESPOND_FROM,
        "refer": REFER_FROM,
        "close": CLOSE_FROM,
        "complete_review": COMPLETE_REVIEW_FROM,
    }
    possible |= {name for name, allowed in steps.items() if status in allowed}
    if status in APPROVE_FROM and can_approve(user):
        possible.add("approve")
    if req.kind == Kind.COMPLAINT:
        if _later_stages(req) and status in (Status.RESPONDED, Status.CLOSED):
            possible.add("escalate")
    elif status in REVIEW_FROM:
        possible.add("review")
    if req.kind in (Kind.FOI, Kind.EIR) and req.responded_on is not None:
        possible |= {"prepare_publication", "publish"}
    return possible


# The case statuses a request's steps move the resident's case to, by the case's workflow: the first
# one its workflow allows from where the case is ("standard" for FOI, "feedback" for complaints).
CASE_STEPS = {
    "working": ("in_progress", "investigating"),
    "answered": ("final_response", "responded", "resolved"),
    "next_stage": ("stage_two", "in_progress"),
}


def _tell_the_case(req: InformationRequest, step: str, message: str = "") -> None:
    """A request made through the web form has a case the resident follows on the tracking page: move
    it in step (being dealt with, answered, a complaint's next stage), with its notification. Nothing
    happens where its workflow allows none of the step's statuses, and a closed case is reopened only
    for a complaint's next stage."""
    case = req.case if req.case_id is not None else None
    if case is None:
        return
    from residenthub.cases import actions as case_actions

    workflow = case.service.workflow
    if case.status in CASE_STEPS[step] or (not case.is_open and step != "next_stage"):
        return  # already there, or closed by staff: only a complaint's next stage reopens a case
    target = next((code for code in CASE_STEPS[step] if workflow.can_move(case.status, code)), None)
    if target is not None:
        case_actions.transition(case, target, by=None, public_message=message)


def _transition(req, to: str, allowed_from: Sequence[str]) -> None:
    if req.status not in allowed_from:
        raise FOIError(
            f"A request that is {req.get_status_display().lower()} cannot move to {Status(to).label}."
        )
    req.status = to


def add_task(req: Any, *, team: Any, description: str, working_days: int = 5, by: Any = None) -> InternalTask:
    from residenthub.core.calendar import add_working_days

    if team is None:
        raise FOIError("Choose the team to ask.", field="team")
    if not description.strip():
        raise FOIError("Say what information the team should send.", field="description")
    if not 1 <= working_days <= 20:
        raise FOIError("Give the team between 1 and 20 working days.", field="working_days")
    with transaction.atomic():
        due = add_working_days(_today(), working_days)
        task = InternalTask.objects.create(request=req, team=team, description=description, due_date=due)
        if req.status in (Status.LOGGED, Status.ACKNOWLEDGED):
            req.status = Status.GATHERING
            req.save(update_fields=["status", "updated_at"])
        _tell_the_case(req, "working")
        _event(req, "task_added", by, description, team=team.slug, due_date=str(due))
        _audit("foi.task_added", req, by, team=team.slug)
        if team.email:
            queue_email(
                team.email,
                f"Information needed for {req.reference} by {due:%-d %B %Y}",
                f"{description}\n\nPlease answer by {due:%-d %B %Y}.",
            )
    return task


def complete_task(task: InternalTask, *, answer: str, by: Any = None) -> InternalTask:
    if not answer.strip():
        raise FOIError("Write down what the team sent, or where it is kept.", field="answer")
    if task.done_at is not None:
        raise FOIError("This task is already done.")
    with transaction.atomic():
        task.done_at = timezone.now()
        task.answer = answer
        task.save(update_fields=["done_at", "answer"])
        _event(task.request, "task_done", by, team=task.team.slug)
    return task


def save_draft(req: Any, text: str, *, by: Any = None) -> InformationRequest:
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.DRAFT, DRAFT_FROM)
        req.draft_text = text
        req.approved_by = None
        req.approved_at = None
        req.save()
        _tell_the_case(req, "working")
        _event(req, "draft_saved", by)
    return req


def submit_for_approval(req: Any, *, by: Any = None) -> InformationRequest:
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.AWAITING_APPROVAL, SUBMIT_FROM)
        req.save()
        _event(req, "submitted_for_approval", by)
    return req


def can_approve(user: Any) -> bool:
    return permissions.can_approve_requests(user)


def approve(req: Any, *, by: Any) -> InformationRequest:
    if not _user(by) or not can_approve(_user(by)):
        raise FOIError("Only a team leader or manager of information governance can approve a response.")
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.APPROVED, APPROVE_FROM)
        req.approved_by = _user(by)
        req.approved_at = timezone.now()
        req.save()
        _event(req, "approved", by)
        _audit("foi.approved", req, by)
    return req


def respond(
    req: Any,
    *,
    outcome: str,
    exemptions: Sequence[str] = (),
    text: str | None = None,
    on: dt.date | None = None,
    by: Any = None,
) -> InformationRequest:
    if outcome not in Outcome.values:
        raise FOIError("Choose the outcome of the request.")
    unknown = [e for e in exemptions if e not in EXEMPTION_CODES]
    if unknown:
        raise FOIError(f"Unknown exemption: {', '.join(unknown)}.")
    if outcome in (Outcome.PARTIAL, Outcome.REFUSED) and req.kind in (Kind.FOI, Kind.EIR) and not exemptions:
        raise FOIError("A refusal (in full or in part) must cite the exemptions or exceptions relied on.")
    for doc in req.documents.filter(purpose=Document.Purpose.DOCUMENT):
        _require_reviewed(doc)  # no document is released on the automatic pass alone
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.RESPONDED, RESPOND_FROM)
        req.outcome = outcome
        req.exemptions = list(exemptions)
        req.response_text = text if text is not None else req.draft_text
        req.responded_on = on or _today()
        req.on_time = req.responded_on <= req.due_date
        req.save()
        sent_to = f" to {req.requester_email}" if req.requester_email else ""
        _tell_the_case(req, "answered", f"We sent our answer{sent_to} on {req.responded_on:%-d %B %Y}.")
        _event(req, "responded", by, outcome=outcome, exemptions=list(exemptions), on_time=req.on_time)
        _audit("foi.responded", req, by, outcome=outcome, on_time=req.on_time)
        if req.requester_email:
            queue_email(
                req.requester_email, f"Our response to {req.reference}", req.response_text, case=req.case
            )
    return req


def request_internal_review(
    req: Any, *, on: dt.date | None = None, by: Any = None, grounds: str = ""
) -> InformationRequest:
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.INTERNAL_REVIEW, REVIEW_FROM)
        req.review_requested_on = on or _today()
        req.review_due = clocks.internal_review_due(req.review_requested_on)
        req.save()
        _event(req, "internal_review_requested", by, grounds, review_due=str(req.review_due))
        _audit("foi.internal_review", req, by)
    return req


def complete_internal_review(req: Any, *, outcome: str, by: Any = None) -> InformationRequest:
    if not outcome.strip():
        raise FOIError("Give the outcome of the internal review.", field="outcome")
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.CLOSED, COMPLETE_REVIEW_FROM)
        req.review_outcome = outcome[:200]
        req.save()
        _event(req, "internal_review_completed", by, outcome)
    return req


def refer(req: Any, *, to: str, by: Any = None, note: str = "") -> InformationRequest:
    if to not in ("ico", "ombudsman"):
        raise FOIError("Refer to the ICO or the Ombudsman.")
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.REFERRED, REFER_FROM)
        req.referred_to = to
        req.save()
        _event(req, "referred", by, note, to=to)
        _audit("foi.referred", req, by, to=to)
    return req


def close(req: Any, *, by: Any = None) -> InformationRequest:
    with transaction.atomic():
        req = _lock(req)
        _transition(req, Status.CLOSED, CLOSE_FROM)
        req.save()
        _event(req, "closed", by)
    return req


# --- disclosure log -----------------------------------------------------------------------------------
PUBLICATION_SEPARATOR = "\n\n---\n\n"


def _human(by) -> bool:
    return bool(_user(by))


def prepare_publication(req: Any, *, by: Any) -> Document:
    """Draft the disclosure log entry (title, request, response) with the personal data the detector finds
    marked for the officer's review. Nothing is published until every page of it has been reviewed."""
    if req.kind not in (Kind.FOI, Kind.EIR):
        raise FOIError("Only FOI and EIR responses are published in the disclosure log.")
    if req.responded_on is None:
        raise FOIError("Only a request that has been answered can be published.")
    if not _human(by):
        raise FOIError("An officer must prepare the disclosure log entry.")
    text = req.subject + PUBLICATION_SEPARATOR + req.body + PUBLICATION_SEPARATOR + req.response_text
    spans = detect_many([text], known_names=known_names_for(req))[0]
    with transaction.atomic():
        req.documents.filter(purpose=Document.Purpose.PUBLICATION).delete()
        doc = Document.objects.create(
            request=req,
            name=f"Disclosure log entry {req.reference}",
            file_type="txt",
            original=text.encode("utf-8"),
            text=text,
            pages=1,
            page_info=[{"page": 1, "scanned": False, "low_confidence": False}],
            purpose=Document.Purpose.PUBLICATION,
        )
        Span.objects.bulk_create(
            Span(document=doc, start=s.start, end=s.end, entity_type=s.entity_type, score=s.score, page=1)
            for s in spans
        )
        _event(req, "publication_prepared", by, spans=len(spans))
        _audit("foi.publication_prepared", req, by, document=doc.pk, spans=len(spans))
    return doc


def publication_document(req: Any) -> Document | None:
    return req.documents.filter(purpose=Document.Purpose.PUBLICATION).order_by("-id").first()


def publish(req: Any, *, by: Any = None, title: str = "") -> InformationRequest:
    """Put a responded FOI/EIR request on the disclosure log: only the text an officer reviewed, page by
    page, with the redactions they accepted. The automatic pass alone never publishes (finding 9)."""
    if req.kind not in (Kind.FOI, Kind.EIR):
        raise FOIError("Only FOI and EIR responses are published in the disclosure log.")
    if req.responded_on is None:
        raise FOIError("Only a request that has been answered can be published.")
    if not _human(by):
        raise FOIError("Only an officer can publish, after reviewing the redactions.")
    doc = publication_document(req)
    if doc is None:
        raise FOIError("Prepare the disclosure log entry and review its redactions before publishing.")
    _require_reviewed(doc)
    for other in req.documents.filter(purpose=Document.Purpose.DOCUMENT):
        _require_reviewed(other)
    accepted = [
        (s.start, s.end, pdf_label(s.reason)) for s in doc.spans.filter(decision=Span.Decision.ACCEPTED)
    ]
    redacted = documents.redact_text(doc.text, accepted)
    parts = redacted.split(PUBLICATION_SEPARATOR, 2)
    if len(parts) != 3:
        raise FOIError("A redaction covers the separators of the entry: prepare the entry again.")
    with transaction.atomic():
        req = _lock(req)
        req.publish = True
        req.published_at = timezone.now()
        req.published_title = (title or parts[0])[:300]
        req.published_text = parts[1] + PUBLICATION_SEPARATOR + parts[2]
        req.save()
        # The documents the response released go on the log too: their redacted copies, made again here from
        # the officer's decisions (apply_redaction checks every page was reviewed).
        released = []
        for other in req.documents.filter(purpose=Document.Purpose.DOCUMENT).order_by("pk"):
            apply_redaction(other, by=by)
            other.released_at = req.published_at
            other.save(update_fields=["released_at", "updated_at"])
            released.append(other.pk)
        _event(req, "published", by, document=doc.pk, released=released)
        _audit("foi.published", req, by, document=doc.pk, reviewed_pages=doc.page_count, released=released)
    return req


def released_documents(req: InformationRequest) -> list[Document]:
    """The redacted documents published with a disclosure log entry, in the order they were added."""
    return list(
        req.documents.filter(
            purpose=Document.Purpose.DOCUMENT, released_at__isnull=False, redacted__isnull=False
        )
        .order_by("pk")
        .defer("original", "text", "layout", "redacted")
    )


# --- documents and redaction --------------------------------------------------------------------------
def pdf_label(reason: str) -> str:
    from .redaction.pdf import label

    return label(reason)


def known_names_for(req: InformationRequest | None) -> list[str]:
    if req is None:
        return []
    names = [req.requester_name]
    if req.case is not None:
        names.append(req.case.contact_name)
    return [n for n in names if n]


def _span_rects(doc: Document, start: int, end: int) -> list[list[float]]:
    """Boxes of the words between two offsets (PDFs), merged per line."""
    page = doc.page_of(start)
    if not doc.layout or page > len(doc.layout):
        return []
    from .redaction.pdf import PageText, Word, span_rects

    words = [Word(w[0], w[1], tuple(w[2:6])) for w in doc.layout[page - 1]]
    info = doc.page_info[page - 1] if page <= len(doc.page_info) else {}
    page_text = PageText(page - 1, "", words, info.get("width", 595), info.get("height", 842))
    return [[round(v, 2) for v in r] for r in span_rects(page_text, start, end)]


def add_document(req: Any, name: str, data: bytes, *, by: Any = None) -> Document:
    """Read a document (OCR for scanned pages; clear errors for bad input, nothing stored then) and detect
    its spans, page by page."""
    try:
        extracted = documents.extract(name, data)
    except documents.DocumentError as exc:
        raise FOIError(str(exc)) from exc
    pages = extracted.text.split(documents.PAGE_BREAK)
    found = detect_many(pages, known_names=known_names_for(req))
    with transaction.atomic():
        doc = Document.objects.create(
            request=req,
            name=name[:255],
            file_type=extracted.file_type,
            original=data,
            text=extracted.text,
            pages=extracted.pages,
            page_info=extracted.page_info(),
            layout=extracted.layout(),
            fallback=extracted.fallback,
        )
        spans, offset = [], 0
        for number, (page_text, page_spans) in enumerate(zip(pages, found, strict=True), 1):
            for s in page_spans:
                start, end = s.start + offset, s.end + offset
                spans.append(
                    Span(
                        document=doc,
                        start=start,
                        end=end,
                        entity_type=s.entity_type,
                        score=s.score,
                        page=number,
                        rects=_span_rects(doc, start, end),
                    )
                )
            offset += len(page_text) + 1
        Span.objects.bulk_create(spans)
        low = [p["page"] for p in doc.page_info if p.get("low_confidence")]
        if req is not None:
            _event(req, "document_added", by, doc.name, spans=len(spans), low_confidence_pages=low)
            _audit("foi.document_added", req, by, document=doc.pk, spans=len(spans))
    return doc


def _changed(doc: Document, page: int, by, action: str, **detail) -> None:
    """A change on a page undoes that page's review: the officer must look at it again."""
    doc.page_reviews.filter(page=page).delete()
    if doc.request_id:
        _audit(action, doc.request, by, document=doc.pk, page=page, **detail)


def decide_span(span: Span, *, decision: str, reason: str = "", by: Any = None) -> Span:
    if decision not in (Span.Decision.ACCEPTED, Span.Decision.REJECTED):
        raise FOIError("Choose redact or keep.")
    if decision == Span.Decision.ACCEPTED and reason not in EXEMPTION_CODES:
        raise FOIError("Give the exemption that applies to this redaction.")
    if decision == Span.Decision.REJECTED and not reason.strip():
        raise FOIError("Say why this text is kept.")
    with transaction.atomic():
        span.decision = decision
        span.reason = reason[:20]
        span.decided_by = _user(by)
        span.decided_at = timezone.now()
        span.save()
        _changed(span.document, span.page, by, "foi.span_decided", span=span.pk, decision=decision)
    return span


def decide_same_words(span: Span, *, decision: str, reason: str = "", by: Any = None) -> int:
    """``decide_span`` for ``span`` and every box still to review over the same words, in one go; pages
    stay to be reviewed one by one (the boxes there are decided, the page is not). The number decided."""
    with transaction.atomic():
        others = list(Span.objects.filter(pk__in=queries.same_words_pending_ids(span)).order_by("start"))
        decide_span(span, decision=decision, reason=reason, by=by)
        for other in others:
            decide_span(other, decision=decision, reason=reason, by=by)
    return 1 + len(others)


def add_span(
    doc: Document, *, start: int, end: int, reason: str, by: Any = None, entity_type: str = "OFFICER"
) -> Span:
    if not (0 <= start < end <= len(doc.text)):
        raise FOIError("Select some text in the document to redact.")
    if reason not in EXEMPTION_CODES:
        raise FOIError("Give the exemption that applies to this redaction.")
    with transaction.atomic():
        span = Span.objects.create(
            document=doc,
            start=start,
            end=end,
            entity_type=entity_type,
            page=doc.page_of(start),
            rects=_span_rects(doc, start, end),
            added_by_officer=True,
            decision=Span.Decision.ACCEPTED,
            reason=reason,
            decided_by=_user(by),
            decided_at=timezone.now(),
        )
        _changed(doc, span.page, by, "foi.span_added", span=span.pk)
    return span


def add_area(doc: Document, *, page: int, rect: Sequence[float], reason: str, by: Any = None) -> Span:
    """An area the officer drew on a PDF page (a signature, a photo, handwriting the OCR did not read)."""
    if doc.file_type != "pdf" or doc.fallback:
        raise FOIError("Areas can be drawn only on PDF pages; select the words instead.")
    if not 1 <= page <= doc.page_count:
        raise FOIError(f"Choose a page from 1 to {doc.page_count}.")
    if reason not in EXEMPTION_CODES:
        raise FOIError("Give the exemption that applies to this redaction.")
    try:
        x0, y0, x1, y1 = (float(v) for v in rect)
    except (TypeError, ValueError) as exc:
        raise FOIError("Give the area as four numbers: left, top, right and bottom.") from exc
    info = doc.page_info[page - 1] if page <= len(doc.page_info) else {}
    width, height = float(info.get("width", 595)), float(info.get("height", 842))
    if not (0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height):
        raise FOIError(
            f"The area must lie on the page: left < right within 0-{width:.0f}, top < bottom within 0-{height:.0f}."  # noqa: E501
        )
    offset = sum(len(p) + 1 for p in doc.text.split(documents.PAGE_BREAK)[: page - 1])
    with transaction.atomic():
        span = Span.objects.create(
            document=doc,
            start=offset,
            end=offset,
            entity_type="AREA",
            page=page,
            rects=[[x0, y0, x1, y1]],
            added_by_officer=True,
            decision=Span.Decision.ACCEPTED,
            reason=reason,
            decided_by=_user(by),
            decided_at=timezone.now(),
        )
        _changed(doc, page, by, "foi.area_added", span=span.pk)
    return span


def add_text_spans(doc: Document, *, text: str, reason: str, by: Any = None) -> list[Span]:
    """Redact every occurrence of ``text`` (the words the officer selected or typed), ignoring case."""
    wanted = text.strip()
    if not wanted:
        raise FOIError("Select or type the words to redact.")
    lowered, needle = doc.text.lower(), wanted.lower()
    starts = []
    position = lowered.find(needle)
    while position != -1:
        starts.append(position)
        position = lowered.find(needle, position + len(needle))
    if not starts:
        raise FOIError("Those words are not in the document. Select text from the document below.")
    with transaction.atomic():
        return [add_span(doc, start=start, end=start + len(wanted), reason=reason, by=by) for start in starts]


def review_page(doc: Document, page: int, *, by: Any) -> None:
    """The officer confirms they have reviewed every box on a page. Refused while a box there is undecided."""
    if not _human(by):
        raise FOIError("Only an officer can review a page.")
    if not 1 <= page <= doc.page_count:
        raise FOIError(f"Choose a page from 1 to {doc.page_count}.")
    pending = doc.spans.filter(page=page, decision=Span.Decision.PENDING).count()
    if pending:
        raise FOIError(f"Page {page} has {pending} highlighted item(s) to decide (redact or keep) first.")
    from .models import PageReview

    with transaction.atomic():
        PageReview.objects.update_or_create(
            document=doc, page=page, defaults={"reviewed_by": _user(by), "reviewed_at": timezone.now()}
        )
        if doc.request is not None:
            _event(doc.request, "page_reviewed", by, doc.name, page=page)
            _audit("foi.page_reviewed", doc.request, by, document=doc.pk, page=page)


def unreviewed_pages(doc: Document) -> list[int]:
    done = set(doc.page_reviews.values_list("page", flat=True))
    return [p for p in range(1, doc.page_count + 1) if p not in done]


def _require_reviewed(doc: Document) -> None:
    pending = doc.spans.filter(decision=Span.Decision.PENDING).count()
    if pending:
        raise FOIError(f"{doc.name}: decide every highlighted item (redact or keep) first ({pending} left).")
    missing = unreviewed_pages(doc)
    if missing:
        pages = ", ".join(str(p) for p in missing[:20])
        raise FOIError(f"{doc.name}: an officer must review every page's redactions first (page(s) {pages}).")


def apply_redaction(doc: Document, *, out_type: str | None = None, by: Any = None) -> bytes:
    """The redacted copy, from the officer's decisions only, once every page has been reviewed."""
    if not _human(by):
        raise FOIError("Only an officer can release a redacted copy, after reviewing every page.")
    _require_reviewed(doc)
    chosen = list(doc.spans.filter(decision=Span.Decision.ACCEPTED))
    from .redaction import pdf as pdfredact

    extracted = documents.Extracted(doc.file_type, doc.text, doc.pages, fallback=doc.fallback)
    if doc.file_type == "pdf" and not doc.fallback:
        pages, offset = [], 0
        for number, page_text in enumerate(doc.text.split(documents.PAGE_BREAK)):
            info = doc.page_info[number] if number < len(doc.page_info) else {}
            words = [
                pdfredact.Word(w[0] - offset, w[1] - offset, tuple(w[2:6]))
                for w in (doc.layout[number] if number < len(doc.layout) else [])
            ]
            pages.append(
                pdfredact.PageText(number, page_text, words, info.get("width", 595), info.get("height", 842))
            )
            offset += len(page_text) + 1
        extracted.page_texts = pages
    spans = [(s.start, s.end, s.reason) for s in chosen if not s.is_area]
    areas = [(s.page - 1, tuple(r), s.reason) for s in chosen if s.is_area for r in s.rects]
    try:
        data, _ = documents.redact_file(
            doc.name, bytes(doc.original), extracted, spans, areas, out_type=out_type
        )
    except documents.DocumentError as exc:
        raise FOIError(str(exc)) from exc
    with transaction.atomic():
        doc.redacted = data
        doc.redacted_at = timezone.now()
        doc.save(update_fields=["redacted", "redacted_at", "updated_at"])
        if doc.request is not None:
            _event(doc.request, "redaction_applied", by, doc.name, spans=len(chosen))
            _audit("foi.redaction_applied", doc.request, by, document=doc.pk, spans=len(chosen))
    return data


@transaction.atomic
def record_sar_pack(req: InformationRequest, *, by: Any, summary: dict[str, Any], **pack: Any) -> Any:
    """Keep a built subject access pack (``foi.sar.build_pack`` builds it): on the timeline and audited
    with its counts only, never its contents."""
    from .models import SubjectAccessPack

    built = SubjectAccessPack.objects.create(request=req, built_by=_user(by), summary=summary, **pack)
    counts = {k: v for k, v in summary.items() if isinstance(v, int)}
    _event(req, "sar_pack_built", by, f"Subject access pack {built.pk}", pack=built.pk, **counts)
    _audit("foi.sar_pack_built", req, by, pack=built.pk, **counts)
    return built


def redaction_log(doc: Document) -> list[dict]:
    """Each span, what was decided, by whom, why: kept with the request (the text only for staff)."""
    return [
        {
            "page": s.page,
            "start": s.start,
            "end": s.end,
            "entity_type": s.entity_type,
            "text": "(area)" if s.is_area else doc.text[s.start : s.end],
            "decision": s.decision,
            "reason": s.reason,
            "added_by_officer": s.added_by_officer,
            "decided_by": s.decided_by.get_username() if s.decided_by is not None else "",
            "decided_at": s.decided_at.isoformat() if s.decided_at else "",
        }
        for s in doc.spans.select_related("decided_by")
    ]
