"""The only writers of triage records, and the bridge from a triaged message to a case."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from residenthub.accounts.queries import team_alert_addresses
from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case, Channel, Priority
from residenthub.core import audit, outbox
from residenthub.services.models import Service

from .engine import Result
from .models import (
    AnswerFeedback,
    ModelVersion,
    Outcome,
    Resolution,
    TrainingExample,
    TrainingReview,
    TriageRecord,
)
from .prefill import prefill


class TriageError(Exception):
    """A request the rules do not allow; the message is for the user."""


def _service_map(codes) -> dict[str, Service]:
    return {s.code: s for s in Service.objects.filter(code__in=list(codes), active=True)}


def record(result: Result, *, channel: str = Channel.WEB, call_id: str = "") -> TriageRecord:
    """Keep a triaged message and what the model said (the text exactly as the resident wrote it)."""
    services = _service_map(s.code for s in result.suggestions)
    best = next((services[s.code] for s in result.suggestions if s.code in services), None)
    needs_human = result.outcome == Outcome.TRANSLATION_NEEDED or (
        result.urgent and result.outcome != Outcome.SUGGESTED
    )
    return TriageRecord.objects.create(
        channel=channel,
        call_id=call_id[:100],
        text=result.text,
        translated_text=result.translated_text,
        language=result.language.code,
        language_confidence=result.language.confidence,
        predictions=[s.as_dict() for s in result.suggestions],
        service=best,
        confidence=result.confidence,
        outcome=result.outcome,
        flags=[f.as_dict() for f in result.flags],
        urgent=result.urgent,
        details=result.details.as_dict(),
        model_version=result.model_version,
        answer=_answer_dict(result),
        needs_human=needs_human,
        resolution=Resolution.HUMAN if needs_human else Resolution.PENDING,
    )


def _answer_dict(result: Result) -> dict:
    if not result.question:
        return {}
    if result.answer is None:
        return {"found": False}
    return {"found": True, **result.answer.as_dict()}


def answer_feedback(rec: TriageRecord, *, helpful: bool) -> AnswerFeedback:
    """'Did this answer your question?': one answer per message and page; a second click replaces it."""
    if not rec.answer.get("found"):
        raise TriageError("There is no answer to give feedback on.")
    feedback, _created = AnswerFeedback.objects.update_or_create(
        record=rec, page=rec.answer["url"][:300], defaults={"helpful": helpful, "created_at": timezone.now()}
    )
    return feedback


def suggested_services(rec: TriageRecord) -> list[tuple[Service, float, dict]]:
    services = _service_map(p["code"] for p in rec.predictions)
    return [(services[p["code"]], p["confidence"], p) for p in rec.predictions if p["code"] in services]


def choose_service(rec: TriageRecord, service: Service, draft) -> dict:
    """The resident picked a service: prefill its form in their draft and note the choice.

    Returns what was prefilled (``{"answers", "lookup"}``).
    """
    from .extract import Details

    details = Details(**rec.details) if rec.details else Details()
    filled = prefill(service, rec.translated_text or rec.text, details)
    for name, value in filled["answers"].items():
        if name not in draft.data["done"]:  # never overwrite what the resident already answered
            draft.answers[name] = value
    for name, postcode in filled["lookup"].items():
        if name not in draft.data["done"]:
            draft.data["lookup"][name] = postcode
    draft.data["triage"] = {"record": str(rec.token), "urgent": rec.urgent, "language": rec.language}
    draft.store()
    best = rec.predictions[0]["code"] if rec.predictions else ""
    rec.chosen_service = service
    rec.resolution = Resolution.ACCEPTED if service.code == best else Resolution.CHANGED
    rec.draft_key = draft.key
    rec.save(update_fields=["chosen_service", "resolution", "draft_key"])
    collect_example(rec, rec.resolution)
    return filled


def send_to_human(rec: TriageRecord, *, name: str = "", email: str = "", phone: str = "") -> TriageRecord:
    rec.needs_human = True
    rec.resolution = Resolution.HUMAN
    rec.contact_name = name[:200]
    rec.contact_email = email[:254]
    rec.contact_phone = phone[:20]
    rec.save(update_fields=["needs_human", "resolution", "contact_name", "contact_email", "contact_phone"])
    return rec


def _description_question(service: Service):
    for question in service.form.questions:
        if question.type == "textarea" and question.show_if is None:
            return question
    return None


@transaction.atomic
def route(rec: TriageRecord, service: Service, *, by, note: str = "") -> Case:
    """Staff send a message from the human triage queue to a service: a case is created there
    (urgent when flagged) and the choice becomes a labelled example for retraining."""
    rec = TriageRecord.objects.select_for_update().get(pk=rec.pk)
    if rec.handled_at is not None:
        raise TriageError("Someone has already dealt with this message.")
    question = _description_question(service)
    answers = {question.name: rec.text[: question.max_length or 10_000]} if question and rec.text else {}
    case = case_actions.create_case(
        service=service,
        answers=answers,
        contact=case_actions.Contact(
            name=rec.contact_name,
            email=rec.contact_email,
            phone=rec.contact_phone,
            notify_by="email" if rec.contact_email else ("sms" if rec.contact_phone else "none"),
        ),
        channel=rec.channel,
        channel_detail=f"triage {rec.token}",
        actor=by,
        priority=Priority.URGENT if rec.urgent else Priority.NORMAL,
        language=rec.language if len(rec.language) <= 10 else "en",
    )
    if rec.urgent:
        alert_team(case, rec)
    rec.chosen_service = service
    rec.case = case
    rec.resolution = Resolution.REROUTED
    rec.handled_at = timezone.now()
    rec.handled_by = by
    rec.staff_note = note
    rec.save()
    collect_example(rec, "routed")
    audit.record("triage.routed", case, actor=by, detail={"service": service.code, "record": rec.pk})
    return case


@transaction.atomic
def close(rec: TriageRecord, *, by, note: str = "") -> TriageRecord:
    """Staff close a message that needs no case (not a council matter, spam). Flagged messages
    need a note: they are never closed without a person saying why."""
    rec = TriageRecord.objects.select_for_update().get(pk=rec.pk)
    if rec.handled_at is not None:
        raise TriageError("Someone has already dealt with this message.")
    if rec.urgent and not note.strip():
        raise TriageError("Say what was done: this message was flagged as urgent.")
    rec.resolution = Resolution.CLOSED
    rec.handled_at = timezone.now()
    rec.handled_by = by
    rec.staff_note = note
    rec.save()
    return rec


@transaction.atomic
def link_case(case: Case) -> TriageRecord | None:
    """Called when a case is created: tie it to the triage record whose draft made it, and when the
    message was flagged raise the case to urgent and alert its team, all in one transaction."""
    if not case.submission_key:
        return None
    rec = (
        TriageRecord.objects.select_for_update()
        .filter(draft_key=case.submission_key, case__isnull=True)
        .first()
    )
    if rec is None:
        return None
    rec.case = case
    rec.chosen_service_id = case.service_id
    rec.save(update_fields=["case", "chosen_service"])
    if rec.urgent:
        if case.priority != Priority.URGENT:
            raise_priority(case, reason="Flagged by triage: " + ", ".join(rec.flag_labels))
        alert_team(case, rec)
    return rec


def alert_recipients(case: Case) -> list[str]:
    """The case's team mailbox, then its team leaders' and service managers' own addresses."""
    return team_alert_addresses(case.team)


def alert_text(case: Case, rec: TriageRecord) -> tuple[str, str]:
    """Subject and body of the alert. Only what staff see on the case anyway, and never the
    resident's name, contact details or address: the link leads to the case for those."""
    from .urgency import RULE_BY_CATEGORY

    url = settings.SITE_URL + reverse("backoffice:case", args=[case.reference])
    lines = []
    for flag in rec.flags:
        rule = RULE_BY_CATEGORY.get(flag.get("category"))
        label = str(rule.label) if rule else flag.get("category", "")
        phrase = " ".join(str(flag.get("phrase", "")).split())[:200]
        lines.append(f'- {label}: "{phrase}"' if phrase else f"- {label}")
    team = case.team.name if case.team else case.service.name
    subject = f"Urgent case {case.reference}: {case.service.name} (flagged by the front door)"
    body = "\n".join(
        [
            f"A case flagged as urgent by the front door has been created for {team}.",
            "",
            f"Reference: {case.reference}",
            f"Service: {case.service.name}",
            f"Channel: {case.get_channel_display()}",
            "Priority: urgent",
            "",
            "Why it was flagged (the words that triggered it):",
            *lines,
            "",
            f"Open the case: {url}",
            "",
            "Please look at it now. A flagged case is never closed automatically.",
        ]
    )
    return subject, body + "\n"


def alert_team(case: Case, rec: TriageRecord) -> int:
    """Alert the owning team at once that a flagged case has arrived: an email to the team mailbox and
    to each team leader and service manager, queued in the caller's transaction. Returns how many."""
    recipients = alert_recipients(case)
    subject, body = alert_text(case, rec)
    for address in recipients:
        outbox.queue_email(address, subject, body, case=case)
    audit.record(
        "triage.team_alerted",
        case,
        actor=None,
        actor_label="triage",
        detail={"recipients": len(recipients), "flags": [f.get("category") for f in rec.flags]},
    )
    return len(recipients)


def raise_priority(case: Case, *, reason: str) -> None:
    """Make a case urgent, through the case action (timeline and audit included)."""
    case_actions.set_priority(case, Priority.URGENT, by=None, reason=reason)


def record_reroute(case: Case, service: Service, *, by=None) -> None:
    """Staff moved a case made through triage to another service: the new service is the label."""
    TriageRecord.objects.filter(case=case).update(chosen_service=service, resolution=Resolution.REROUTED)
    for rec in TriageRecord.objects.filter(case=case):
        collect_example(rec, "rerouted")


# --- Learning from what staff and residents decided (ADR 0016, 0017) ---------------------------------


def collect_example(rec: TriageRecord, origin: str) -> TrainingExample | None:
    """A message whose service is now known waits for review before it may teach the model."""
    if rec.chosen_service_id is None or not (rec.translated_text or rec.text).strip():
        return None
    example, _created = TrainingExample.objects.update_or_create(
        record=rec,
        defaults={
            "text": (rec.translated_text or rec.text)[:5000],
            "service_id": rec.chosen_service_id,
            "origin": origin,
            "review": TrainingReview.PENDING,
            "reviewed_at": None,
            "reviewed_by": None,
        },
    )
    return example


@transaction.atomic
def review_example(example: TrainingExample, *, approve: bool, by) -> TrainingExample:
    example.review = TrainingReview.APPROVED if approve else TrainingReview.REJECTED
    example.reviewed_at = timezone.now()
    example.reviewed_by = by
    example.save(update_fields=["review", "reviewed_at", "reviewed_by"])
    audit.record(
        "triage.example_reviewed",
        example,
        actor=by,
        detail={"review": example.review, "service": example.service.code},
    )
    return example


@transaction.atomic
def record_model_version(
    model, path, *, source: str, activate: bool, note: str = "", by=None
) -> ModelVersion:
    """Remember a model and its scores; make it the active one when asked."""
    scores = dict(model.scores)
    scores["thresholds"] = dict(model.thresholds)
    scores["weights"] = dict(model.weights)
    version, _created = ModelVersion.objects.update_or_create(
        version=model.version,
        defaults={
            "source": source,
            "path": str(path),
            "examples": model.examples,
            "scores": scores,
            "note": note[:300],
        },
    )
    audit.record("triage.model_recorded", version, actor=by, detail={"source": source, "active": activate})
    if activate:
        _make_active(version)
    return version


def _make_active(version: ModelVersion) -> None:
    import shutil

    from . import model as triage_model

    ModelVersion.objects.filter(active=True).exclude(pk=version.pk).update(active=False)
    version.active = True
    version.save(update_fields=["active"])
    target = triage_model.model_path()
    source = triage_model.SHIPPED_MODEL if version.source == "shipped" or not version.path else version.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if str(source) != str(target):
        tmp = target.with_suffix(".swap")
        shutil.copyfile(source, tmp)
        tmp.replace(target)  # every process loads it on its next message
    triage_model.set_model(triage_model.TriageModel.load(target))


@transaction.atomic
def activate_version(version: ModelVersion, *, by, note: str = "") -> ModelVersion:
    """Roll back (or forward) to ``version``: its file becomes the model every process uses."""
    from pathlib import Path

    from . import model as triage_model

    path = triage_model.SHIPPED_MODEL if version.source == "shipped" else Path(version.path)
    if triage_model.TriageModel.load(path) is None:
        raise TriageError("That model's file is missing or cannot be read, so it cannot be used.")
    previous = ModelVersion.objects.filter(active=True).first()
    _make_active(version)
    audit.record(
        "triage.model_activated",
        version,
        actor=by,
        detail={"previous": previous.version if previous else "", "note": note[:300]},
    )
    return version
