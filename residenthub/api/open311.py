"""Open311 GeoReport v2 with mySociety's servicerequestupdates extension (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET  # noqa: S405 - only for ParseError; parsing is defusedxml's
from functools import wraps

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.conf import settings
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from residenthub.cases import actions
from residenthub.cases.models import CaseEvent
from residenthub.cases.queries import share_services
from residenthub.core import ratelimit
from residenthub.core.actions import Actor
from residenthub.core.audit import client_ip
from residenthub.core.text import unstorable

from . import intake, keys, public, render, statuses
from .models import ClientCase, Scope

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_DAYS = 90
MAX_RESULTS = 1000


class Refused(Exception):
    def __init__(self, status: int, description: str):
        self.problems = [(status, description)]
        super().__init__(description)


def open311_view(methods: tuple[str, ...] = ("GET",)):
    """Format check, method check, jurisdiction check, read rate limit, errors in the requested format."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, fmt, *args, **kwargs):
            if request.method not in methods:
                response = render.errors(fmt, [(405, f"Use {' or '.join(methods)}")])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if unstorable(list(args) + list(kwargs.values())):
                    raise Refused(404, "No such resource")
                params = _params(request)
                _check_jurisdiction(params)
                if request.method == "GET" and not ratelimit.hit(
                    "open311-read", client_ip(request) or "-", limit=settings.API_READ_RATE_LIMIT_PER_HOUR
                ):
                    raise Refused(429, "Too many requests; try again later")
                return view(request, fmt, params, *args, **kwargs)
            except Refused as exc:
                return render.errors(fmt, exc.problems)
            except intake.IntakeError as exc:
                return render.errors(fmt, exc.errors)

        return wrapper

    return decorate


def _params(request):
    """GET query, or the POST body: form-encoded, multipart, JSON or XML, as one QueryDict."""
    params = _read_params(request)
    if any(unstorable(key) or unstorable(values) for key, values in params.lists()):
        raise Refused(400, "The request has characters that cannot be stored (NUL or a lone surrogate)")
    return params


def _read_params(request):
    if request.method == "GET":
        return request.GET
    content_type = request.content_type or ""
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data", ""}:
        try:
            merged = request.POST.copy()
            request.FILES  # noqa: B018 - parse the body now, so a broken one is an error here
        except (MultiPartParserError, ValueError) as exc:
            raise Refused(400, f"The request body could not be read: {type(exc).__name__}") from None
        for key, value in request.GET.items():
            merged.setdefault(key, value)
        return merged
    body = request.body
    result = QueryDict(mutable=True)
    if content_type == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "The JSON body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Refused(400, "The JSON body must be an object of fields")
        items = data.items()
    elif content_type in {"text/xml", "application/xml"}:
        # defusedxml refuses DTDs and entities whatever the encoding (a UTF-16 body hid them from a
        # byte search before).
        try:
            root = safe_fromstring(body, forbid_dtd=True)
        except DefusedXmlException:
            raise Refused(400, "XML with a DOCTYPE or entities is not accepted") from None
        except ET.ParseError:
            raise Refused(400, "The XML body is not well-formed") from None
        items = [(child.tag, child.text or "") for child in root]
    else:
        raise Refused(400, f"Send the request as application/x-www-form-urlencoded, not {content_type}")
    for key, value in items:
        if key == "attribute" and isinstance(value, dict):
            for code, inner in value.items():
                suffix = "[]" if isinstance(inner, list) else ""
                result.setlist(f"attribute[{code}]{suffix}", [str(v) for v in _as_list(inner)])
        elif isinstance(value, dict):
            raise Refused(400, f"{key} must be a value, not an object")
        else:
            result.setlist(str(key), [str(v) for v in _as_list(value)])
    return result


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _check_jurisdiction(params) -> None:
    wanted = settings.OPEN311_JURISDICTION_ID
    given = (params.get("jurisdiction_id") or "").strip()
    if wanted and given and given != wanted:
        raise Refused(404, f"jurisdiction_id {given!r} was not found")


def _client(request, params):
    raw = params.get("api_key") or request.headers.get("X-Api-Key") or ""
    key = keys.authenticate(raw.strip())
    if key is None or Scope.OPEN311 not in key.scopes:
        raise Refused(403, "api_key was not valid")
    if not ratelimit.hit("open311-write", str(key.pk), limit=settings.API_RATE_LIMIT_PER_HOUR):
        raise Refused(429, "Too many requests for this api_key; try again later")
    return key


def _service(code: str):
    code = (code or "").strip()
    if not code:
        raise Refused(400, "service_code was not provided")
    service = intake.open311_services().filter(code=code).first()
    if service is None:
        raise Refused(404, f"service_code {code!r} was not found")
    return service


# --- Discovery and services ---------------------------------------------------------------------


@open311_view()
def discovery(request, fmt, params):
    changeset = render.w3c(timezone.now().replace(hour=0, minute=0, second=0, microsecond=0))
    return render.respond(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": f"{settings.COUNCIL_NAME}, {settings.COUNCIL_PHONE}",
            "key_service": "Ask the council for an api_key; it is needed to post requests and updates.",
            "endpoints": [
                {
                    "specification": SPEC_URL,
                    "url": f"{settings.SITE_URL}/open311/v2",
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def service_dict(service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.summary or service.name,
        "metadata": bool(attributes(service)),
        "type": "realtime",
        "keywords": ", ".join(service.keywords or []),
        "group": service.category,
    }


@open311_view()
def services(request, fmt, params):
    return render.respond(fmt, "services", [service_dict(s) for s in intake.open311_services()])


DATATYPES = {
    "text": "string",
    "email": "string",
    "phone": "string",
    "postcode": "string",
    "textarea": "text",
    "number": "number",
    "date": "datetime",
    "yesno": "singlevaluelist",
    "choice": "singlevaluelist",
    "choices": "multivaluelist",
    "location": "string",
    "address": "string",
}
DESCRIBE = {
    "date": "A date, YYYY-MM-DD",
    "email": "An email address",
    "phone": "A UK phone number",
    "postcode": "A UK postcode",
    "number": "A whole number",
    "location": "Given by lat and long, address_string or address_id (a UPRN)",
    "address": "Given by address_id (a UPRN) or address_string (lines, town, postcode)",
}


def attributes(service) -> list[dict]:
    result = []
    for order, question in enumerate(service.form.questions, start=1):
        if question.type == "file":
            continue  # sent as media (multipart) or media_url
        place = question.type in {"location", "address"}
        hint = DESCRIBE.get(question.type, "")
        if question.show_if:
            wanted = question.show_if.get("in", [question.show_if.get("equals")])
            condition = f"Asked when {question.show_if['question']} is {' or '.join(wanted)}"
            hint = f"{hint}. {condition}" if hint else condition
        item = {
            "variable": not place,
            "code": question.name,
            "datatype": DATATYPES[question.type],
            "required": question.required and not question.show_if and not place,
            "datatype_description": hint,
            "order": order,
            "description": question.label,
        }
        if question.type == "yesno":
            item["values"] = [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]
        elif question.choices:
            item["values"] = [{"key": c.value, "name": c.label} for c in question.choices]
        result.append(item)
    return result


@open311_view()
def service_definition(request, fmt, params, code):
    service = _service(code)
    return render.respond(
        fmt, "service_definition", {"service_code": service.code, "attributes": attributes(service)}
    )


# --- Requests ------------------------------------------------------------------------------------


def _submission(service, params, files) -> intake.Submission:
    media = files.get("media") if files else None
    if media is None and files:
        media = next(iter(files.values()), None)
    return intake.Submission(
        service=service,
        attributes=intake.attributes_from(params),
        **{
            name: (params.get(name) or "")
            for name in (
                "description",
                "lat",
                "long",
                "address_string",
                "address_id",
                "email",
                "first_name",
                "last_name",
                "phone",
                "media_url",
            )
        },
        media=media,
    )


@open311_view(("GET", "POST"))
def requests_view(request, fmt, params):
    if request.method == "POST":
        key = _client(request, params)
        service = _service(params.get("service_code"))
        case = intake.submit(
            _submission(service, params, request.FILES),
            client=key.name,
            api_key=key,
            key_id=f"o311:{key.pk}",
            ip=client_ip(request),
        )
        notice = f"Your reference is {case.reference}. We aim to deal with it by {case.due_date:%-d %B %Y}."
        return render.respond(
            fmt,
            "service_requests",
            [{"service_request_id": case.reference, "service_notice": notice, "account_id": None}],
        )
    return render.respond(fmt, "service_requests", [public.open311_request(c) for c in _search(params)])


def _when(params, name):
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        try:
            value = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time())
        except ValueError:
            raise Refused(400, f"{name} must be a W3C date and time, like 2026-01-01T00:00:00Z") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _search(params):
    cases = public.public_cases().order_by("-created_at", "-id")
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        return share_services(list(cases.filter(reference__in=ids[:MAX_RESULTS])))
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        cases = cases.filter(service__code__in=codes)
    wanted = {s.strip().lower() for s in (params.get("status") or "").split(",") if s.strip()}
    if wanted - {"open", "closed"}:
        raise Refused(400, "status must be open or closed (comma-separated)")
    if len(wanted) == 1:
        cases = cases.filter(is_open=("open" in wanted))
    start, end = _when(params, "start_date"), _when(params, "end_date")
    if start and end and start > end:
        raise Refused(400, "start_date must be before end_date")
    if not start:
        start = (end or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
    cases = cases.filter(created_at__gte=start)
    if end:
        cases = cases.filter(created_at__lte=end)
    return share_services(list(cases[:MAX_RESULTS]))


@open311_view()
def request_detail(request, fmt, params, reference):
    case = public.public_cases().filter(reference=reference.strip().upper()).first()
    if case is None:
        raise Refused(404, f"service_request_id {reference!r} was not found")
    return render.respond(fmt, "service_requests", [public.open311_request(case)])


@open311_view()
def token(request, fmt, params, token):
    # Every service is realtime: requests get their id at once. A token is the id itself.
    case = public.public_cases().filter(reference=token.strip().upper()).first()
    if case is None:
        raise Refused(404, f"token {token!r} was not found")
    return render.respond(
        fmt, "service_requests", [{"service_request_id": case.reference, "token": case.reference}]
    )


# --- mySociety's servicerequestupdates ------------------------------------------------------------


@open311_view(("GET", "POST"))
def updates(request, fmt, params):
    key = _client(request, params)
    if request.method == "POST":
        return _post_update(request, fmt, params, key)
    start, end = _when(params, "start_date"), _when(params, "end_date")
    events = public.public_events().order_by("at", "id")
    if not start:
        start = (end or timezone.now()) - dt.timedelta(days=1)
    events = events.filter(at__gte=start)
    if end:
        events = events.filter(at__lte=end)
    events = list(events[:MAX_RESULTS])
    share_services([event.case for event in events])
    return render.respond(fmt, "service_requests_updates", [public.update_dict(e) for e in events])


def _post_update(request, fmt, params, key):
    reference = (params.get("service_request_id") or "").strip().upper()
    if not reference:
        raise Refused(400, "service_request_id was not provided")
    case = public.public_cases().filter(reference=reference).first()
    if case is None:
        raise Refused(404, f"service_request_id {reference!r} was not found")
    if not ClientCase.objects.filter(key=key, case=case).exists():
        # A key updates only the requests it sent in, or ones staff shared with it (SECURITY.md).
        raise Refused(403, f"this api_key may not update service_request_id {reference!r}")
    status = (params.get("status") or "").strip().upper()
    if status not in statuses.ALL_EXTENDED:
        raise Refused(400, f"status must be one of {', '.join(sorted(statuses.ALL_EXTENDED))}")
    text = (params.get("description") or "").strip()
    if not text:
        raise Refused(400, "description was not provided")
    if len(text) > intake.MAX_DESCRIPTION:
        raise Refused(400, f"description must be {intake.MAX_DESCRIPTION:,} characters or fewer")
    _when(params, "updated_datetime")  # validated; the hub records when it received the update
    media_url = (params.get("media_url") or "").strip()
    who = " ".join(p for p in [params.get("first_name", ""), params.get("last_name", "")] if p).strip()
    note = f"Update from {key.name}{f' ({who})' if who and who != '-' else ''}: {text}"
    if media_url:
        note += f"\nPhoto or file at: {media_url[:500]}"
    workflow = case.service.workflow
    ip = client_ip(request)
    by = Actor(label=f"api:{key.name} (key {key.prefix})"[:150], ip=ip)
    try:
        if not case.is_open and status in {"REOPEN", "OPEN"} | statuses.OPEN_EXTENDED:
            case = actions.reopen(case, by=by, reason=f"Reopened at the request of {key.name}: {text}", ip=ip)
        elif statuses.extended(workflow, case.status) != status and status not in {"OPEN", "REOPEN"}:
            target = statuses.target_for(workflow, case.status, status)
            if target is None:
                raise Refused(400, f"status {status} cannot follow the request's current status")
            reason = f"Update from {key.name}" if workflow.status(target).reason_required else ""
            case = actions.transition(case, target, by=by, public_message=text, reason=reason, ip=ip)
        else:
            case = actions.add_internal_note(case, note, by=by, ip=ip)
    except actions.ActionError as exc:
        raise Refused(400, str(exc)) from None
    event = CaseEvent.objects.filter(case=case).order_by("-id").first()
    return render.respond(fmt, "service_request_updates", [{"update_id": str(event.pk)}])
