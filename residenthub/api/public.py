"""What any caller may read about a case: never names, emails, phones, home addresses or restricted cases."""

from __future__ import annotations

import re

from django.db.models import Max, Q, QuerySet

from residenthub.cases.models import Case, CaseEvent
from residenthub.core.logging import scrub

from . import statuses
from .render import w3c


def public_cases() -> QuerySet[Case]:
    return (
        Case.objects.filter(restricted=False, service__restricted=False)
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
    """Public text with emails, phones, postcodes and the resident's name taken out."""
    text = scrub(text or "")
    for part in {case.contact_name, *case.contact_name.split()}:
        if len(part) > 2:
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
