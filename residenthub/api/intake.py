"""Turning an Open311 (or REST) submission into a case, validated exactly like the web form.

The client's fields are mapped onto the input names the web form's pages use, then each shown
question is read with ``services.questions.parse`` and the contact details with
``portal.contact.parse_contact``. The case is created by ``cases.actions.create_case``; what the
client sent that no question takes (its description when the form has no free-text question,
``media_url``, extra attributes such as FixMyStreet's ``report_url``) goes on the timeline as an
internal note, so staff see it and residents are not sent it.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict

from residenthub.cases import actions
from residenthub.cases.models import Attachment, Case, Channel, NotifyBy
from residenthub.core.models import Address
from residenthub.core.validators import normalise_postcode, normalise_uk_phone
from residenthub.portal.contact import parse_contact
from residenthub.services import questions as form_questions
from residenthub.services.models import Service

from . import actions as api_actions
from .models import ClientCase

MAX_DESCRIPTION = 4000  # GeoReport v2
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
POSTCODE_RE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", re.IGNORECASE)
PLACE_TYPES = {"location", "address"}


class IntakeError(Exception):
    """The submission is refused; ``errors`` are (HTTP status, description) pairs."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(d for _c, d in errors))

    @property
    def status(self) -> int:
        return self.errors[0][0]


@dataclass
class Submission:
    """What a client sent, in Open311's terms."""

    service: Service
    attributes: dict[str, list[str]] = field(default_factory=dict)
    description: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_url: str = ""
    media: object | None = None  # an uploaded file
    notify_by: str = ""


def attributes_from(params) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key in params:
        match = ATTRIBUTE_RE.match(key)
        if match:
            values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
            found.setdefault(match.group(1), []).extend(str(v) for v in values)
    return found


def public_services():
    """Services a keyed client may send requests to through the REST API: every unrestricted one."""
    return Service.objects.filter(active=True, restricted=False).select_related("team")


def open311_services():
    """Services marked ``open311: true`` in the catalogue: reports about public places, never
    homelessness, care, badges or complaints (SECURITY.md). Only these are listed, accept requests
    and have their requests readable in Open311."""
    return public_services().filter(open311=True)


def _coordinates(sub: Submission) -> tuple[Decimal, Decimal] | None:
    lat, long = sub.lat.strip(), sub.long.strip()
    if not lat and not long:
        return None
    if not lat or not long:
        raise IntakeError([(400, "lat and long must be given together")])
    try:
        lat_d, long_d = Decimal(lat), Decimal(long)
    except InvalidOperation:
        raise IntakeError([(400, "lat and long must be decimal degrees (WGS84)")]) from None
    if not lat_d.is_finite() or not long_d.is_finite() or not (-90 <= lat_d <= 90 and -180 <= long_d <= 180):
        raise IntakeError([(400, "lat must be between -90 and 90 and long between -180 and 180")])
    return lat_d.quantize(Decimal("0.000001")), long_d.quantize(Decimal("0.000001"))


def _postcode_in(text: str) -> str:
    match = POSTCODE_RE.search(text or "")
    return normalise_postcode(match.group(1)) or "" if match else ""


def _text_target(service: Service, attributes: dict) -> str | None:
    """The question the Open311 ``description`` answers: the first free-text one not given as an attribute."""
    for kind in ("textarea", "text"):
        for question in service.form.questions:
            if question.type == kind and question.name not in attributes and not question.show_if:
                return question.name
    return None


def _form_input(sub: Submission, coords, address: Address | None, text_target: str | None):
    """The web form's input names, filled from the submission."""
    post = QueryDict(mutable=True)
    files: dict = {}
    actions_for: dict[str, str] = {}
    file_done = False
    for question in sub.service.form.questions:
        name = question.name
        given = sub.attributes.get(name)
        if question.type == "location":
            if given and given[0].strip():
                description = given[0]
            elif address is not None:
                description = address.single_line
            elif sub.address_string.strip():
                description = sub.address_string
            elif coords:
                description = f"Near {coords[0]}, {coords[1]}"
            else:
                description = ""
            post[f"{name}-description"] = description
            post[f"{name}-postcode"] = (
                address.postcode if address is not None else _postcode_in(sub.address_string)
            )
        elif question.type == "address":
            if address is not None:
                post[f"{name}-postcode"] = address.postcode
                post[f"{name}-uprn"] = address.uprn
            elif sub.address_string.strip():
                parts = [p.strip() for p in sub.address_string.split(",") if p.strip()]
                postcode = _postcode_in(sub.address_string)
                parts = [p for p in parts if normalise_postcode(p) != postcode] if postcode else parts
                post[f"{name}-line1"] = parts[0] if parts else ""
                post[f"{name}-line2"] = ", ".join(parts[1:-1]) if len(parts) > 2 else ""
                post[f"{name}-town"] = parts[-1] if len(parts) > 1 else ""
                post[f"{name}-manual_postcode"] = postcode
                actions_for[name] = "manual"
        elif question.type == "date":
            value = (given or [""])[0].strip()
            match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", value)
            if match:
                post[f"{name}-year"], post[f"{name}-month"], post[f"{name}-day"] = match.groups()
            elif value:
                post[f"{name}-day"] = value  # parse reports it as an incomplete date
        elif question.type == "choices":
            post.setlist(name, given or [])
        elif question.type == "file":
            if sub.media is not None and not file_done:
                files[name] = sub.media
                file_done = True
        elif given:
            post[name] = given[0]
        elif name == text_target and sub.description.strip():
            post[name] = sub.description
    return post, files, actions_for


def _location_required(service: Service) -> bool:
    return any(q.type in PLACE_TYPES and q.required and not q.show_if for q in service.form.questions)


def _notify_by(sub: Submission, phone: str) -> str:
    if sub.notify_by in NotifyBy.values:
        return sub.notify_by
    if sub.email.strip():
        return NotifyBy.EMAIL
    if phone and normalise_uk_phone(phone, mobile_only=True):
        return NotifyBy.SMS
    return NotifyBy.NONE


def _note(sub: Submission, client: str, used: set[str], text_target: str | None) -> str:
    lines = []
    if sub.description.strip() and text_target is None:
        lines.append(f"Description: {sub.description.strip()}")
    if sub.media_url.strip():
        lines.append(f"Photo or file at: {sub.media_url.strip()[:500]}")
    for code, values in sub.attributes.items():
        if code not in used:
            lines.append(f"{code}: {', '.join(values)[:1000]}")
    if sub.media is not None and not any(q.type == "file" for q in sub.service.form.questions):
        lines.append("A file was sent, but this service takes no files; it was not kept.")
    if not lines:
        return ""
    return f"Sent by {client} through the API:\n" + "\n".join(lines)


def body_hash(sub: Submission) -> str:
    body = {
        k: v for k, v in sub.__dict__.items() if k not in {"service", "media"} and v not in ("", None, {})
    }
    body["service"] = sub.service.code
    body["media"] = getattr(sub.media, "size", None)
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _window(at: float) -> int:
    return int(at // (settings.API_RETRY_WINDOW_HOURS * 3600))


def submission_key(client_key: str, sub: Submission, *, now: float | None = None) -> str:
    """The same submission sent twice within the retry window (a client retrying after a timeout)
    finds the first case; sent again later, it is a new report (the same pothole, a month on)."""
    now = time.time() if now is None else now
    return f"{client_key}:{body_hash(sub)[:40]}:{_window(now)}"[:64]


def _earlier_retry(client_key: str, sub: Submission) -> Case | None:
    """A case from the same body in the previous window, still inside the retry window."""
    now = time.time()
    previous = f"{client_key}:{body_hash(sub)[:40]}:{_window(now) - 1}"[:64]
    case = Case.objects.filter(submission_key=previous).first()
    if case and (now - case.created_at.timestamp()) <= settings.API_RETRY_WINDOW_HOURS * 3600:
        return case
    return None


def submit(
    sub: Submission,
    *,
    client: str,
    api_key=None,
    channel: str = Channel.OPEN311,
    key_id: str = "",
    idempotency_key: str = "",
    ip: str | None = None,
) -> Case:
    """Validate ``sub`` like the web form and create the case; IntakeError lists every problem."""
    service = sub.service
    errors: list[tuple[int, str]] = []
    if len(sub.description) > MAX_DESCRIPTION:
        errors.append((400, f"description must be {MAX_DESCRIPTION:,} characters or fewer"))
    coords = _coordinates(sub)
    address = None
    if sub.address_id.strip():
        address = Address.objects.filter(uprn=sub.address_id.strip()).first()
        if address is None:
            errors.append((400, "address_id: no address with this UPRN is known"))
    if len(sub.address_string) > 500:
        errors.append((400, "address_string must be 500 characters or fewer"))
    if (
        _location_required(service)
        and coords is None
        and not sub.address_string.strip()
        and not sub.address_id.strip()
        and not any(q.name in sub.attributes for q in service.form.questions if q.type in PLACE_TYPES)
    ):
        errors.append((400, "a location is required: lat and long, address_string or address_id"))
    if sub.media is not None and sub.media.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        errors.append((400, f"media must be smaller than {settings.UPLOAD_MAX_MB}MB"))
    known = {q.name for q in service.form.questions}
    text_target = _text_target(service, sub.attributes)
    for code, values in sub.attributes.items():
        question = service.form.question(code)
        if question and question.type not in {"choices"} and len(values) > 1:
            errors.append((400, f"attribute[{code}] takes one value"))
    if errors:
        raise IntakeError(errors)

    post, files, manual = _form_input(sub, coords, address, text_target)
    session_key = "api-" + secrets.token_hex(16)
    saved: list[int] = []
    stored: list[str] = []  # files written to storage, removed again if the submission fails
    try:
        with transaction.atomic():
            answers: dict = {}
            for question in service.form.questions:
                if not question.is_shown(answers):
                    continue
                if question.type == "file" and question.name not in files:
                    continue
                outcome = form_questions.parse(
                    question, post, files, session_key=session_key, action=manual.get(question.name, "")
                )
                if outcome.errors:
                    errors.extend(
                        (400, f"attribute[{question.name}]: {message}") for _id, message in outcome.errors
                    )
                    continue
                if outcome.value is None:
                    continue
                if question.type == "file":
                    saved.append(outcome.value["attachment_id"])
                    stored.append(Attachment.objects.get(pk=outcome.value["attachment_id"]).file.name)
                if question.type == "location" and coords:
                    outcome.value.update(latitude=str(coords[0]), longitude=str(coords[1]))
                answers[question.name] = outcome.value
            phone_raw = sub.phone.strip()
            contact_post = {
                "name": " ".join(p for p in [sub.first_name.strip(), sub.last_name.strip()] if p),
                "email": sub.email,
                "phone": phone_raw,
                "notify_by": _notify_by(sub, phone_raw),
                "postcode": _postcode_in(sub.address_string) if sub.address_string else "",
            }
            contact = parse_contact(contact_post, service=service, answers=answers)
            errors.extend((400, f"{field_id}: {message}") for field_id, message in contact.errors)
            if errors:
                raise IntakeError(errors)
            digest = body_hash(sub)
            if idempotency_key:
                key = f"{key_id}:{idempotency_key}"[:64]
                earlier = ClientCase.objects.filter(case__submission_key=key).first()
                if earlier is not None and earlier.body_hash and earlier.body_hash != digest:
                    raise IntakeError([(422, "Idempotency-Key was already used with a different body")])
            else:
                key = submission_key(key_id, sub)
                earlier_case = _earlier_retry(key_id, sub)
                if earlier_case is not None:
                    return earlier_case
            case = actions.create_case(
                service=service,
                answers=answers,
                contact=actions.Contact(**contact.value),
                channel=channel,
                channel_detail=f"{'Open311' if channel == Channel.OPEN311 else 'API'}: {client}"[:120],
                submission_key=key,
                attachment_ids=saved,
                session_key=session_key,
                ip=ip,
            )
            if api_key is not None:
                api_actions.record_submission(case, api_key, digest)
            if case.version == 1 and not case.events.filter(kind="internal_note").exists():
                note = _note(sub, client, known & set(sub.attributes), text_target)
                if note:
                    actions.add_internal_note(case, note, by=None, ip=ip)
                    case.refresh_from_db()
            return case
    except (IntakeError, actions.ActionError) as exc:
        for name in stored:
            default_storage.delete(name)
        if isinstance(exc, actions.ActionError):
            raise IntakeError([(400, str(exc))]) from exc
        raise
