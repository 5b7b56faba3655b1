"""The only writers of triage records, and the bridge from a triaged message to a case."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case, Channel, Priority
from residenthub.core import audit
from residenthub.services.models import Service

from .engine import Result
from .models import Outcome, Resolution, TriageRecord
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
        needs_human=needs_human,
        resolution=Resolution.HUMAN if needs_human else Resolution.PENDING,
    )


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
    draft.save()
    best = rec.predictions[0]["code"] if rec.predictions else ""
    rec.chosen_service = service
    rec.resolution = Resolution.ACCEPTED if service.code == best else Resolution.CHANGED
    rec.draft_key = draft.key
    rec.save(update_fields=["chosen_service", "resolution", "draft_key"])
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
    rec.chosen_service = service
    rec.case = case
    rec.resolution = Resolution.REROUTED
    rec.handled_at = timezone.now()
    rec.handled_by = by
    rec.staff_note = note
    rec.save()
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


def link_case(case: Case) -> TriageRecord | None:
    """Called when a case is created: tie it to the triage record whose draft made it, and raise it
    to urgent when the message was flagged."""
    if not case.submission_key:
        return None
    rec = TriageRecord.objects.filter(draft_key=case.submission_key, case__isnull=True).first()
    if rec is None:
        return None
    rec.case = case
    rec.chosen_service_id = case.service_id
    rec.save(update_fields=["case", "chosen_service"])
    if rec.urgent and case.priority != Priority.URGENT:
        raise_priority(case, reason="Flagged by triage: " + ", ".join(rec.flag_labels))
    return rec


def raise_priority(case: Case, *, reason: str) -> None:
    """Make a case urgent, through the case action (timeline and audit included)."""
    case_actions.set_priority(case, Priority.URGENT, by=None, reason=reason)


def record_reroute(case: Case, service: Service, *, by=None) -> None:
    """Staff moved a case made through triage to another service: the new service is the label."""
    TriageRecord.objects.filter(case=case).update(chosen_service=service, resolution=Resolution.REROUTED)
