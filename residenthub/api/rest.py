"""REST API under /api/v1/: JSON, token auth with scopes, pagination, one error shape (docs/api.md)."""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.shortcuts import render as render_page
from django.views.decorators.csrf import csrf_exempt

from residenthub.accounts.models import Team
from residenthub.accounts.permissions import can_see_case, case_visibility
from residenthub.cases import actions
from residenthub.cases.models import Case, Channel
from residenthub.cases.tracking import make_token, read_token
from residenthub.core import ratelimit
from residenthub.core.actions import Actor
from residenthub.core.actions import audit as core_audit
from residenthub.core.audit import client_ip
from residenthub.core.audit import record as audit
from residenthub.core.text import unstorable

from . import intake, keys, public
from .models import Scope
from .open311 import attributes
from .render import w3c

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        self.status, self.code, self.message, self.details = status, code, message, details or []
        super().__init__(message)


def error_response(status: int, code: str, message: str, details: list | None = None) -> JsonResponse:
    return JsonResponse(
        {"error": {"status": status, "code": code, "message": message, "details": details or []}},
        status=status,
    )


def endpoint(methods=("GET",), scope: str | None = None):
    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if unstorable(list(args) + list(kwargs.values())):
                    raise ApiError(404, "not_found", "No such resource.")
                if request.method not in methods:
                    raise ApiError(405, "method_not_allowed", f"Use {' or '.join(methods)}.")
                request.api_key = None
                if scope:
                    header = request.headers.get("Authorization", "")
                    raw = header[7:].strip() if header.lower().startswith("bearer ") else ""
                    key = keys.authenticate(raw)
                    if key is None:
                        raise ApiError(
                            401, "unauthorized", "Send a valid API key: Authorization: Bearer <key>."
                        )
                    if scope not in key.scopes:
                        raise ApiError(403, "forbidden", f"This key does not have the {scope} scope.")
                    if scope in {Scope.CASES_READ, Scope.CASES_WRITE, Scope.PERSONS_MATCH} and not (
                        key.user and key.user.is_staff and key.user.is_active
                    ):
                        raise ApiError(403, "forbidden", "This key is not linked to an active staff user.")
                    if not ratelimit.hit("api-key", str(key.pk), limit=settings.API_RATE_LIMIT_PER_HOUR):
                        raise ApiError(
                            429, "rate_limited", "Too many requests for this key; try again later."
                        )
                    request.api_key = key
                elif not ratelimit.hit(
                    "api-read", client_ip(request) or "-", limit=settings.API_READ_RATE_LIMIT_PER_HOUR
                ):
                    raise ApiError(429, "rate_limited", "Too many requests; try again later.")
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return error_response(exc.status, exc.code, exc.message, exc.details)
            except intake.IntakeError as exc:
                if exc.status == 422:
                    return error_response(
                        422,
                        "idempotency_key_reused",
                        "The case was not created.",
                        [d for _c, d in exc.errors],
                    )
                status = 404 if exc.status == 404 else 400
                return error_response(
                    status, "invalid", "The case was not created.", [d for _c, d in exc.errors]
                )
            except actions.ActionError as exc:
                return error_response(409, "not_allowed", str(exc))

        return wrapper

    return decorate


def _body(request) -> dict:
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_json", "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "The body must be a JSON object.")
    if unstorable(data):
        raise ApiError(
            400, "bad_characters", "The body has characters that cannot be stored (NUL or a lone surrogate)."
        )
    return data


def _page(request, items, serialise):
    try:
        size = min(max(int(request.GET.get("page_size", PAGE_SIZE)), 1), MAX_PAGE_SIZE)
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        raise ApiError(400, "bad_parameter", "page and page_size must be whole numbers.") from None
    paginator = Paginator(items, size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise ApiError(404, "not_found", "There is no such page.") from None
    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "next": number + 1 if page.has_next() else None,
            "results": [serialise(x) for x in page.object_list],
        }
    )


# --- Public --------------------------------------------------------------------------------------


def _service(service, full=False) -> dict:
    data = {
        "code": service.code,
        "name": service.name,
        "summary": service.summary,
        "category": service.category,
        "lgsl": service.lgsl_id,
        "keywords": service.keywords or [],
        "contact": service.contact,
        "target_working_days": service.target_working_days,
    }
    if full:
        data["questions"] = [
            {
                "name": q.name,
                "type": q.type,
                "label": q.label,
                "hint": q.hint,
                "required": q.required,
                "show_if": q.show_if,
                "choices": [{"value": c.value, "label": c.label} for c in q.choices],
            }
            for q in service.form.questions
        ]
        data["open311_attributes"] = attributes(service)
    return data


@endpoint()
def services(request):
    return _page(request, intake.public_services().order_by("position", "name"), _service)


@endpoint()
def service_detail(request, code):
    service = intake.public_services().filter(code=code).first()
    if service is None:
        raise ApiError(404, "not_found", f"No service {code!r}.")
    return JsonResponse(_service(service, full=True))


def _public_case(case: Case) -> dict:
    item = public.open311_request(case)
    return {
        "reference": case.reference,
        "service": case.service.code,
        "status": case.status if case.status_definition.public else None,
        "status_label": case.public_status_label,
        "open": case.is_open,
        "created_at": item["requested_datetime"],
        "updated_at": item["updated_datetime"],
        "due_date": case.due_date.isoformat(),
        "timeline": [
            {"at": w3c(e.at), "kind": e.kind, "text": e.text}
            for e in case.events.filter(public=True).order_by("at", "id")
        ],
    }


@endpoint(("POST",), scope=Scope.CASES_CREATE)
def create_case(request):
    data = _body(request)
    code = data.get("service_code")
    if not isinstance(code, str) or not code:
        raise ApiError(400, "invalid", "service_code is required.")
    service = intake.public_services().filter(code=code).first()
    if service is None:
        raise ApiError(404, "not_found", f"No service {code!r}.")
    answers = data.get("answers") or {}
    location = data.get("location") or {}
    contact = data.get("contact") or {}
    if not all(isinstance(x, dict) for x in (answers, location, contact)):
        raise ApiError(400, "invalid", "answers, location and contact must be objects.")
    attrs = {
        k: [str(v) for v in (value if isinstance(value, list) else [value])] for k, value in answers.items()
    }

    def text(source, name):
        value = source.get(name, "")
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ApiError(400, "invalid", f"{name} must be a string.")
        return str(value)

    sub = intake.Submission(
        service=service,
        attributes=attrs,
        description=text(data, "description"),
        lat=text(location, "lat"),
        long=text(location, "long"),
        address_string=text(location, "address_string"),
        address_id=text(location, "address_id"),
        email=text(contact, "email"),
        first_name=text(contact, "first_name"),
        last_name=text(contact, "last_name"),
        phone=text(contact, "phone"),
        notify_by=text(contact, "notify_by"),
    )
    key = request.api_key
    case = intake.submit(
        sub,
        client=key.name,
        api_key=key,
        channel=Channel.API,
        key_id=f"api:{key.pk}",
        idempotency_key=request.headers.get("Idempotency-Key", "")[:40],
        ip=client_ip(request),
    )
    return JsonResponse(
        {"reference": case.reference, "tracking_token": make_token(case), "case": _public_case(case)},
        status=201,
    )


@endpoint()
def track(request, token):
    reference = read_token(token)
    case = Case.objects.select_related("service").filter(reference=reference).first() if reference else None
    if case is None:
        raise ApiError(404, "not_found", "No case for this tracking token.")
    return JsonResponse(_public_case(case))


# --- Staff ---------------------------------------------------------------------------------------


def _staff_case(case: Case) -> dict:
    data = _public_case(case)
    data.update(
        status=case.status,
        team=case.team.slug,
        assigned_to=case.assigned_to.username if case.assigned_to else None,
        priority=case.get_priority_display().lower(),
        channel=case.channel,
        channel_detail=case.channel_detail,
        restricted=case.restricted,
        version=case.version,
        answers=case.answers,
        location={"text": case.location_text, "postcode": case.postcode, "uprn": case.uprn},
        contact={"name": case.contact_name, "email": case.contact_email, "phone": case.contact_phone},
        timeline=[
            {"at": w3c(e.at), "kind": e.kind, "text": e.text, "public": e.public}
            for e in case.events.order_by("at", "id")
        ],
    )
    return data


def _visible(request):
    return Case.objects.filter(case_visibility(request.api_key.user)).select_related("service", "team")


def _api_actor(request) -> Actor:
    key = request.api_key
    return Actor(user=key.user, label=f"api:{key.name} (key {key.prefix})"[:150], ip=client_ip(request))


def _get_case(request, reference) -> Case:
    case = Case.objects.select_related("service", "team").filter(reference=reference.upper()).first()
    if case is None or not can_see_case(request.api_key.user, case):
        if case is not None and case.restricted:
            core_audit(_api_actor(request), "case.view_denied", case, via="api")
        raise ApiError(404, "not_found", f"No case {reference!r} that you may see.")
    if case.restricted:
        core_audit(_api_actor(request), "case.viewed", case, via="api")
    return case


@endpoint(scope=Scope.CASES_READ)
def staff_cases(request):
    cases = _visible(request).order_by("priority", "due_date", "id")
    if request.GET.get("status"):
        cases = cases.filter(status=request.GET["status"])
    if request.GET.get("open") in {"true", "false"}:
        cases = cases.filter(is_open=request.GET["open"] == "true")

    def row(c):
        if c.restricted:  # every read of a restricted case is audited, lists included
            core_audit(_api_actor(request), "case.listed", c, via="api")
        return {
            "reference": c.reference,
            "service": c.service.code,
            "status": c.status,
            "open": c.is_open,
            "team": c.team.slug,
            "due_date": c.due_date.isoformat(),
            "priority": c.get_priority_display().lower(),
        }

    return _page(request, cases, row)


@endpoint(scope=Scope.CASES_READ)
def staff_case(request, reference):
    return JsonResponse(_staff_case(_get_case(request, reference)))


@endpoint(("POST",), scope=Scope.CASES_WRITE)
def staff_transition(request, reference):
    case, data = _get_case(request, reference), _body(request)
    case = actions.transition(
        case,
        str(data.get("status", "")),
        by=request.api_key.user,
        reason=str(data.get("reason", "")),
        public_message=str(data.get("public_message", "")),
        expected_version=data.get("version") if isinstance(data.get("version"), int) else None,
        ip=client_ip(request),
    )
    return JsonResponse(_staff_case(case))


@endpoint(("POST",), scope=Scope.CASES_WRITE)
def staff_note(request, reference):
    case, data = _get_case(request, reference), _body(request)
    if data.get("public"):
        case = actions.add_public_update(case, str(data.get("text", "")), by=request.api_key.user)
    else:
        case = actions.add_internal_note(case, str(data.get("text", "")), by=request.api_key.user)
    return JsonResponse(_staff_case(case), status=201)


@endpoint(("POST",), scope=Scope.CASES_WRITE)
def staff_assign(request, reference):
    case, data = _get_case(request, reference), _body(request)
    team = Team.objects.filter(slug=str(data.get("team", ""))).first() if data.get("team") else None
    if data.get("team") and team is None:
        raise ApiError(400, "invalid", "No such team.")
    officer = None
    if data.get("officer"):
        officer = get_user_model().objects.filter(username=str(data["officer"]), is_staff=True).first()
        if officer is None:
            raise ApiError(400, "invalid", "No such officer.")
    case = actions.assign(case, by=request.api_key.user, team=team, officer=officer)
    return JsonResponse(_staff_case(case))


# --- The document and its page -------------------------------------------------------------------


@endpoint(("POST",), scope=Scope.PERSONS_MATCH)
def staff_person_match(request):
    """The point-of-entry duplicate check: is this contact a resident we already know?"""
    from residenthub.identity import actions as identity

    body = _body(request)
    try:
        candidates = identity.match_contact(body, user=request.api_key.user)
    except identity.ContactError as exc:
        raise ApiError(
            400, "invalid", "The contact could not be read.", [f"{k}: {v}" for k, v in exc.errors.items()]
        ) from None
    audit(
        "identity.match.api",
        request.api_key,
        actor=request.api_key.user,
        actor_label=request.api_key.name,
        ip=client_ip(request),
        detail={"candidates": len(candidates)},
    )
    return JsonResponse({"candidates": candidates})


def openapi_json(request):
    from .openapi import document

    return JsonResponse(document())


def docs(request):
    from .openapi import document

    doc = document()
    rows = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "scope": op.get("x-scope", ""),
        }
        for path, item in doc["paths"].items()
        for method, op in item.items()
    ]
    return render_page(request, "api/docs.html", {"rows": rows, "doc": doc})


@csrf_exempt
def not_found(request):
    return error_response(404, "not_found", "There is no such endpoint; see /api/v1/openapi.json.")
