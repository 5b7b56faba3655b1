"""What any caller may read about a case: never names, emails, phones, home addresses or restricted cases."""

from __future__ import annotations

import hashlib
import re

from django.core.cache import cache
from django.db.models import Max, Q, QuerySet

from residenthub.cases.models import Case, CaseEvent
from residenthub.core.logging import scrub

from . import statuses
from .render import w3c


def public_cases() -> QuerySet[Case]:
    return (
        Case.objects.filter(restricted=False, service__restricted=False, service__open311=True)
        .select_related("service", "team")
        .annotate(last_public=Max("events__at", filter=Q(events__public=True)))
    )


def place_kind(service) -> str:
    """``location`` (a public place) or ``address`` (usually someone's home) or ""."""
    for question in service.form.questions:
        if question.type in {"location", "address"}:
            return question.type
    return ""


def clean_text(text: str, case: Case) -> str:
    """Public text with the personal data the redaction detector finds (names, addresses, phones,
    emails, card numbers...) and the resident's name taken out. Answers are cached by their text:
    timeline events never change, and the detector costs milliseconds a text."""
    text = text or ""
    if not text.strip():
        return ""
    digest = hashlib.sha256(f"{case.contact_name}\x00{text}".encode()).hexdigest()
    key = f"open311:clean:{digest}"
    cleaned = cache.get(key)
    if cleaned is None:
        cleaned = _redact(text, case)
        cache.set(key, cleaned, timeout=7 * 24 * 3600)
    return cleaned


def _redact(text: str, case: Case) -> str:
    from residenthub.foi.redaction.detect import detect

    names = [n for n in {case.contact_name, *case.contact_name.split()} if len(n) > 2]
    for span in sorted(detect(text, known_names=names), key=lambda s: s.start, reverse=True):
        text = f"{text[: span.start]}[removed]{text[span.end :]}"
    text = scrub(text)  # the log scrubber's patterns as a second net
    for part in names:
        text = re.sub(re.escape(part), "[name]", text, flags=re.IGNORECASE)
    return text


def description(case: Case) -> str:
    """The resident's own words, only for reports about public places (like a street report)."""
    if place_kind(case.service) != "location":
        return ""
    parts = []
    for question in case.service.form.questions:
        value = case.answers.get(question.name)
        if question.type in {"text", "textarea"} and isinstance(value, str):
            parts.append(value)
    return clean_text("\n".join(parts), case)


def updated(case: Case):
    return max(d for d in [case.status_entered_at, getattr(case, "last_public", None), case.created_at] if d)


def open311_request(case: Case) -> dict:
    kind = place_kind(case.service)
    workflow = case.service.workflow
    public_place = kind == "location"
    zipcode = case.postcode if public_place else (case.postcode.split(" ")[0] if case.postcode else "")
    return {
        "service_request_id": case.reference,
        "status": statuses.open_or_closed(workflow, case.status),
        "status_notes": case.public_status_label,
        "service_name": case.service.name,
        "service_code": case.service.code,
        "description": description(case),
        "agency_responsible": case.team.name,
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(updated(case)),
        "expected_datetime": w3c(case.due_date),
        "address": clean_text(case.location_text, case) if public_place else "",
        "address_id": "",
        "zipcode": zipcode,
        "lat": case.latitude if public_place else None,
        "long": case.longitude if public_place else None,
        "media_url": "",
    }


PUBLIC_EVENT_KINDS = [
    CaseEvent.Kind.STATUS_CHANGED,
    CaseEvent.Kind.PUBLIC_UPDATE,
    CaseEvent.Kind.DUPLICATE,
    CaseEvent.Kind.REROUTED,
]


def public_events() -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(
        public=True, kind__in=PUBLIC_EVENT_KINDS, case__restricted=False, case__service__restricted=False
    ).select_related("case", "case__service")


def update_dict(event: CaseEvent) -> dict:
    case = event.case
    workflow = case.service.workflow
    code = event.to_status or case.status
    return {
        "update_id": str(event.pk),
        "service_request_id": case.reference,
        "status": "DUPLICATE"
        if event.kind == CaseEvent.Kind.DUPLICATE
        else statuses.extended(workflow, code),
        "updated_datetime": w3c(event.at),
        "description": clean_text(event.text, case),
        "media_url": "",
        "external_status_code": code,
    }
