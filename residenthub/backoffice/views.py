"""Staff pages: sign-in, queues, the case page and its actions, search, export, audit."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from residenthub.accounts import actions as account_actions
from residenthub.accounts import permissions
from residenthub.accounts.auth import needs_second_factor, safe_next, staff_required
from residenthub.accounts.models import Team
from residenthub.accounts.queries import can_see_case, is_manager, team_ids_for
from residenthub.cases import actions
from residenthub.cases.models import Case, Channel, Priority
from residenthub.cases.queries import (
    SLA,
    due_soon_limit,
    queue_counts,
    search,
    sla_filter,
    sla_of,
    team_queue_counts,
    visible_cases,
)
from residenthub.core import audit, references
from residenthub.core.actions import Actor
from residenthub.core.audit import client_ip
from residenthub.core.forms import first_errors
from residenthub.core.models import AuditEntry
from residenthub.core.validators import display_uk_phone
from residenthub.identity.people import case_panel
from residenthub.services import questions
from residenthub.services.definitions import fill_template
from residenthub.services.models import Service

from .rows import case_table

PAGE_SIZE = 50
User = get_user_model()


# --- Sign-in -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request):
    errors: list[tuple[str, str]] = []
    username = ""
    if request.method == "POST":
        username = (request.POST.get("username") or "")[:150]
        password = request.POST.get("password") or ""
        if not username:
            errors.append(("username", "Enter your username"))
        if not password:
            errors.append(("password", "Enter your password"))
        if not errors:
            user = authenticate(request, username=username, password=password)
            if user is None or not user.is_staff:
                errors.append(("username", "Enter a correct username and password"))
            else:
                login(request, user)
                audit.record("staff.signed_in", user, actor=user, ip=client_ip(request))
                if needs_second_factor(user):
                    return redirect(
                        f"{reverse('backoffice:two_factor')}?next={safe_next(request, '/staff/')}"
                    )
                return redirect(safe_next(request, reverse("backoffice:queue")))
    return render(
        request,
        "backoffice/login.html",
        {
            "errors": errors,
            "error_for": first_errors(errors),
            "username": username,
            "next": safe_next(request, ""),
        },
        status=400 if errors else 200,
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("backoffice:login")


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The second factor: a code from the officer's authenticator app (TOTP)."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect("backoffice:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("backoffice:two_factor_setup")
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        token = (request.POST.get("token") or "").replace(" ", "")
        if not token.isdigit() or not device.verify_token(token):
            errors.append(("token", "Enter the 6-digit code from your authenticator app"))
        else:
            otp_login(request, device)
            return redirect(safe_next(request, reverse("backoffice:queue")))
    return render(
        request,
        "backoffice/two_factor.html",
        {
            "errors": errors,
            "error_for": first_errors(errors),
            "next": safe_next(request, ""),
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app: show the key once, confirm with a first code."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect("backoffice:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and needs_second_factor(user):
        return redirect("backoffice:two_factor")
    device = account_actions.pending_totp_device(user)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        token = (request.POST.get("token") or "").replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            account_actions.confirm_totp_device(device, by=Actor.from_request(request))
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is set up.")
            return redirect("backoffice:queue")
        errors.append(("token", "Enter the 6-digit code your app shows for this key"))
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "backoffice/two_factor_setup.html",
        {
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "uri": device.config_url,
            "errors": errors,
            "error_for": first_errors(errors),
        },
        status=400 if errors else 200,
    )


# --- Queues --------------------------------------------------------------------------------------

FILTERS = ("status", "service", "sla", "assigned", "channel", "district", "team", "priority")


def _filtered(request, base):
    """The queue's filters from the query string; unknown values are ignored, never a 500."""
    params = {key: request.GET.get(key, "").strip()[:40] for key in FILTERS}
    today = timezone.localdate()
    soon = due_soon_limit(today)
    queryset = base
    if params["status"] == "closed":
        queryset = queryset.filter(is_open=False)
    elif params["status"]:
        queryset = queryset.filter(status=params["status"])
    else:
        queryset = queryset.filter(is_open=True)
    if params["service"]:
        queryset = queryset.filter(service__code=params["service"])
    if params["sla"] in SLA:
        queryset = queryset.filter(sla_filter(params["sla"], today, soon))
    if params["assigned"] == "nobody":
        queryset = queryset.filter(assigned_to__isnull=True)
    elif params["assigned"] == "me":
        queryset = queryset.filter(assigned_to=request.user)
    if params["channel"] in Channel.values:
        queryset = queryset.filter(channel=params["channel"])
    if params["district"]:
        queryset = queryset.filter(postcode__startswith=params["district"].upper() + " ")
    if params["team"].isdigit():
        queryset = queryset.filter(team_id=int(params["team"]))
    if params["priority"] == "urgent":
        queryset = queryset.filter(priority=Priority.URGENT)
    return queryset, params, today, soon


QUEUE_COLUMNS = (
    "reference",
    "priority",
    "restricted",
    "channel",
    "status",
    "due_date",
    "is_open",
    "on_hold_since",
    "postcode",
    "service__name",
    "service__workflow_definition",
    "team__name",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
)
# Which count already answers "how many rows?" for a queue with only this filter.
KNOWN_COUNTS = {
    (): "open",
    (("sla", "overdue"),): "overdue",
    (("sla", "due_soon"),): "due_soon",
    (("assigned", "nobody"),): "unassigned",
    (("assigned", "me"),): "mine",
}


class _KnownCountPaginator(Paginator):
    """A paginator told its count, when the queue counts already worked it out."""

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.__dict__["count"] = known_count


def _queue(request, *, mine: bool):
    """A queue: the cases a team deals with (or one officer's), urgent first, then by due date.

    The queue is the cases whose ``team`` is one of yours, so the database can walk the
    ``queue_order`` index; cases of your services dealt with by another team, or referred to
    you, are still yours to open and search (``case_visibility``) and ``?scope=referred`` lists
    the referrals.
    """
    user = request.user
    teams = team_ids_for(user)
    if mine:
        base = Case.objects.filter(assigned_to=user, team_id__in=teams)
    elif request.GET.get("scope") == "referred":
        base = Case.objects.filter(access_grants__team_id__in=teams).distinct()
    elif teams:
        base = Case.objects.filter(team_id__in=teams)
    else:  # an administrator in no team: every case they may see
        base = visible_cases(user)
    queryset, params, today, soon = _filtered(request, base)
    if teams and not mine and request.GET.get("scope") != "referred":
        counts = team_queue_counts(teams, user, today, soon)
    else:
        counts = queue_counts(base, user, today, soon)
    queryset = queryset.select_related("service", "team", "assigned_to").only(*QUEUE_COLUMNS)
    queryset = queryset.order_by("priority", "due_date", "id")
    active = tuple((key, value) for key, value in params.items() if value)
    known = counts.get(KNOWN_COUNTS[active]) if active in KNOWN_COUNTS else None
    page = _KnownCountPaginator(queryset, PAGE_SIZE, known_count=known).get_page(request.GET.get("page"))
    rows = [{"case": case, "sla": sla_of(case, today, soon)} for case in page.object_list]
    table = case_table(rows, caption="Cases", selectable=True)
    teams = Team.objects.filter(pk__in=team_ids_for(request.user)).order_by("name")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/queue.html",
        {
            "mine": mine,
            "rows": rows,
            "table": table,
            "page": page,
            "counts": counts,
            "params": params,
            "query": query.urlencode(),
            "teams": teams,
            "channels": Channel.choices,
            "services": Service.objects.filter(team__in=teams).only("code", "name").order_by("name"),
            "sla_choices": [(s.key, s.label) for s in SLA.values() if s.key != "closed"],
            "officers": User.objects.filter(memberships__team__in=teams, is_active=True)
            .distinct()
            .order_by("first_name", "last_name"),
            "statuses": _status_choices(teams),
        },
    )


def _status_choices(teams):
    seen: dict[str, str] = {}
    for service in Service.objects.filter(team__in=teams).only("workflow_definition"):
        for status in service.workflow.statuses:
            seen.setdefault(status.code, status.label)
    return sorted(seen.items(), key=lambda item: item[1])


@staff_required
def queue(request):
    return _queue(request, mine=False)


@staff_required
def my_cases(request):
    return _queue(request, mine=True)


@staff_required
def export(request, fmt):
    """The queue as CSV or XLSX, with the same filters. Team leaders and managers only.

    No contact details: an export leaves the system, so it carries what a report needs.
    """
    if not is_manager(request.user):
        raise PermissionDenied("Only team leaders and managers can export queues.")
    queryset, _params, today, soon = _filtered(request, visible_cases(request.user))
    queryset = queryset.select_related("service", "team", "assigned_to").order_by(
        "priority", "due_date", "id"
    )
    header = [
        "Reference",
        "Service",
        "Status",
        "Priority",
        "Received",
        "Due",
        "Service level",
        "Team",
        "Assigned to",
        "Channel",
        "Postcode district",
    ]
    rows = []
    for case in queryset.iterator(chunk_size=2000):
        rows.append(
            [
                case.reference,
                case.service.name,
                case.status_definition.label,
                case.get_priority_display(),
                timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
                case.due_date.isoformat(),
                sla_of(case, today, soon).label,
                case.team.name,
                case.assigned_to.get_full_name() if case.assigned_to else "",
                case.get_channel_display(),
                case.postcode.split(" ")[0] if case.postcode else "",
            ]
        )
    audit.record(
        "queue.exported",
        request.user,
        actor=request.user,
        ip=client_ip(request),
        detail={"format": fmt, "rows": len(rows)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([[_safe_cell(v) for v in row] for row in rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Cases")
        sheet.append(header)
        for row in rows:
            sheet.append([_safe_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.{fmt}"'
    return response


def _safe_cell(value: str) -> str:
    """Stop spreadsheet formula injection: a cell starting with = + - @ is read as text."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


# --- The case page -------------------------------------------------------------------------------


def _case_for(request, reference) -> Case:
    case = (
        Case.objects.select_related("service", "service__team", "team", "assigned_to", "duplicate_of")
        .filter(reference=reference)
        .first()
    )
    if case is None or not can_see_case(request.user, case):
        if case is not None and case.restricted:
            audit.record("case.view_denied", case, actor=request.user, ip=client_ip(request))
        raise Http404
    return case


@staff_required
def case_detail(request, reference):
    case = _case_for(request, reference)
    if case.restricted:
        audit.record("case.viewed", case, actor=request.user, ip=client_ip(request))
    return _render_case(request, case)


def _render_case(request, case, *, errors=None, raw=None, status=200):
    errors = errors or []
    raw = raw or {}
    answers = [
        {"label": q.label, "value": questions.display(q, case.answers.get(q.name))}
        for q in case.service.form.questions
        if q.name in case.answers
    ]
    template_name = request.GET.get("template", "")
    template = next((t for t in case.service.response_templates if t["name"] == template_name), None)
    if template and "update_text" not in raw:
        raw["update_text"] = fill_template(template["text"], actions.template_values(case)).strip()
    # The resident and their other cases come from the person the case is linked to (issue 15).
    person_panel = case_panel(case, request.user)
    other_cases = person_panel["other_cases"]
    teams = Team.objects.order_by("name")
    today = timezone.localdate()
    workflow = case.service.workflow
    codes = {status.code for status in workflow.statuses}
    events = [
        {
            "event": event,
            "status": workflow.status(event.to_status).label if event.to_status in codes else event.to_status,
        }
        for event in case.events.select_related("actor").order_by("-at", "-id")
    ]
    return render(
        request,
        "backoffice/case.html",
        {
            "case": case,
            "answers": answers,
            "events": events,
            "attachments": case.attachments.all(),
            "other_cases": other_cases,
            "person_panel": person_panel,
            "sla": sla_of(case, today, due_soon_limit(today)),
            "next_statuses": case.service.workflow.allowed_from(case.status),
            "workflow": case.service.workflow,
            "templates": case.service.response_templates,
            "teams": teams,
            "officers": User.objects.filter(memberships__team=case.team, is_active=True).order_by(
                "first_name"
            ),
            "services": Service.objects.filter(active=True).exclude(pk=case.service_id).only("code", "name"),
            "grants": case.access_grants.select_related("team"),
            "can_lift_restriction": case.restricted
            and not case.service.restricted
            and permissions.can_lift_restriction(request.user, case),
            "errors": errors,
            "error_for": first_errors(errors),
            "raw": raw,
            "contact_phone": display_uk_phone(case.contact_phone) if case.contact_phone else "",
        },
        status=status,
    )


@dataclass(frozen=True)
class _Ask:
    """What one action on the case page was asked to do: the fields it reads, and who asks."""

    request: Any
    case: Case
    raw: dict[str, str]
    expected: int

    @property
    def by(self):
        return self.request.user

    @property
    def ip(self) -> str | None:
        return client_ip(self.request)


def _change_status(ask: _Ask) -> str:
    if not ask.raw["to_status"]:
        raise actions.ActionError("Choose the new status")
    actions.transition(
        ask.case,
        ask.raw["to_status"],
        by=ask.by,
        reason=ask.raw["reason"],
        public_message=ask.raw["public_message"],
        expected_version=ask.expected,
        ip=ask.ip,
    )
    return "Status changed."


def _public_update(ask: _Ask) -> str:
    actions.add_public_update(
        ask.case, ask.raw["update_text"], by=ask.by, expected_version=ask.expected, ip=ask.ip
    )
    return "Update sent to the resident."


def _internal_note(ask: _Ask) -> str:
    actions.add_internal_note(
        ask.case, ask.raw["note_text"], by=ask.by, expected_version=ask.expected, ip=ask.ip
    )
    return "Note added."


def _assign(ask: _Ask) -> str:
    raw = ask.raw
    team = Team.objects.filter(pk=raw["team"]).first() if raw["team"].isdigit() else ask.case.team
    if team is None:
        raise actions.ActionError("Choose a team")
    officer = None
    if raw["officer"]:
        officer = (
            User.objects.filter(pk=raw["officer"], is_active=True).first()
            if raw["officer"].isdigit()
            else None
        )
        if officer is None:
            raise actions.ActionError("Choose an officer from the list")
    actions.assign(ask.case, by=ask.by, team=team, officer=officer, expected_version=ask.expected, ip=ask.ip)
    return "Case assigned."


def _refer(ask: _Ask) -> str:
    team = Team.objects.filter(pk=ask.raw["refer_team"]).first() if ask.raw["refer_team"].isdigit() else None
    if team is None:
        raise actions.ActionError("Choose the team to refer the case to")
    actions.refer(ask.case, team, by=ask.by, reason=ask.raw["refer_reason"], ip=ask.ip)
    return f"Referred to {team.name}."


def _reroute(ask: _Ask) -> str | HttpResponse:
    service = Service.objects.filter(code=ask.raw["service"], active=True).first()
    if service is None:
        raise actions.ActionError("Choose the service the case belongs to")
    actions.reroute(
        ask.case,
        service,
        by=ask.by,
        reason=ask.raw["reroute_reason"],
        expected_version=ask.expected,
        ip=ask.ip,
    )
    if not can_see_case(ask.by, Case.objects.select_related("service").get(pk=ask.case.pk)):
        messages.success(
            ask.request, f"{ask.case.reference} moved to {service.name}. It is now with {service.team.name}."
        )
        return redirect("backoffice:queue")
    return f"Moved to {service.name}."


def _duplicate(ask: _Ask) -> str:
    reference_of_original = references.normalise(ask.raw["original"], settings.REFERENCE_PREFIX)
    original = (
        visible_cases(ask.by).filter(reference=reference_of_original).first()
        if reference_of_original
        else None
    )
    if original is None:
        raise actions.ActionError("Enter the reference of a case you can see, like DBC-K7MQ-4TXA")
    actions.mark_duplicate(ask.case, original, by=ask.by, expected_version=ask.expected, ip=ask.ip)
    return f"Closed as a duplicate of {original.reference}."


def _lift(ask: _Ask) -> str:
    actions.lift_restriction(
        ask.case, by=ask.by, reason=ask.raw["lift_reason"], expected_version=ask.expected, ip=ask.ip
    )
    return "Restriction lifted."


def _reopen(ask: _Ask) -> str:
    actions.reopen(
        ask.case, by=ask.by, reason=ask.raw["reopen_reason"], expected_version=ask.expected, ip=ask.ip
    )
    return "Case reopened."


@dataclass(frozen=True)
class CaseAction:
    """One action of the case page: the form fields it reads, the field its errors belong to (for the
    error summary's link), and the function that calls the cases action."""

    fields: tuple[str, ...]
    error_field: str
    run: Callable[[_Ask], str | HttpResponse]


CASE_ACTIONS: dict[str, CaseAction] = {
    "status": CaseAction(("to_status", "reason", "public_message"), "to_status", _change_status),
    "update": CaseAction(("update_text",), "update_text", _public_update),
    "note": CaseAction(("note_text",), "note_text", _internal_note),
    "assign": CaseAction(("team", "officer"), "officer", _assign),
    "refer": CaseAction(("refer_team", "refer_reason"), "refer_team", _refer),
    "reroute": CaseAction(("service", "reroute_reason"), "service", _reroute),
    "duplicate": CaseAction(("original",), "original", _duplicate),
    "reopen": CaseAction(("reopen_reason",), "reopen_reason", _reopen),
    "lift": CaseAction(("lift_reason",), "lift_reason", _lift),
}


@staff_required
@require_POST
def case_action(request, reference):
    """The case page's forms: the ``action`` field picks one entry of ``CASE_ACTIONS``."""
    case = _case_for(request, reference)
    chosen = CASE_ACTIONS.get(request.POST.get("action", ""))
    if chosen is None:
        return _render_case(request, case, errors=[("actions", "Choose an action")], status=400)
    raw = {field: (request.POST.get(field) or "")[:10_000] for field in chosen.fields}
    version = request.POST.get("version", "")
    ask = _Ask(request, case, raw, int(version) if version.isdigit() else -1)
    try:
        done = chosen.run(ask)
    except actions.ActionError as exc:
        case.refresh_from_db()
        return _render_case(request, case, errors=[(chosen.error_field, str(exc))], raw=raw, status=400)
    if not isinstance(done, str):
        return done
    messages.success(request, done)
    return redirect("backoffice:case", reference=case.reference)


@staff_required
@require_POST
def bulk_action(request):
    """Assign, change status or close as duplicates, for the cases ticked in a queue."""
    references_ = request.POST.getlist("cases")[: PAGE_SIZE * 4]
    cases = list(visible_cases(request.user).filter(reference__in=references_).select_related("service"))
    action = request.POST.get("bulk_action", "")
    back = safe_next(request, reverse("backoffice:queue"))
    if not cases:
        messages.error(request, "Select at least one case.")
        return redirect(back)
    by, ip = request.user, client_ip(request)
    if action == "assign":
        value = request.POST.get("bulk_officer", "")
        officer = User.objects.filter(pk=value, is_active=True).first() if value.isdigit() else None
        if officer is None:
            messages.error(request, "Choose the officer to assign the cases to.")
            return redirect(back)
        done, failed = actions.bulk(cases, lambda c: actions.assign(c, by=by, officer=officer, ip=ip))
    elif action == "status":
        to_status = request.POST.get("bulk_status", "")
        reason = request.POST.get("bulk_reason", "")[:2000]
        done, failed = actions.bulk(
            cases, lambda c: actions.transition(c, to_status, by=by, reason=reason, ip=ip)
        )
    elif action == "duplicate":
        ref = references.normalise(request.POST.get("bulk_original", ""), settings.REFERENCE_PREFIX)
        original = visible_cases(by).filter(reference=ref).first() if ref else None
        if original is None:
            messages.error(request, "Enter the reference of the case the others duplicate.")
            return redirect(back)
        done, failed = actions.bulk(
            [c for c in cases if c.pk != original.pk],
            lambda c: actions.mark_duplicate(c, original, by=by, ip=ip),
        )
    else:
        messages.error(request, "Choose what to do with the selected cases.")
        return redirect(back)
    if done:
        messages.success(request, f"{len(done)} case(s) updated.")
    for case, error in failed:
        messages.error(request, f"{case.reference}: {error}")
    return redirect(back)


# --- Search, assisted digital, audit -------------------------------------------------------------


@staff_required
def search_cases(request):
    text = request.GET.get("q", "")
    results = []
    if text.strip():
        results = list(
            search(visible_cases(request.user), text)
            .select_related("service", "team", "assigned_to")
            .order_by("-created_at")[:100]
        )
        if any(c.restricted for c in results):
            for case in results:
                if case.restricted:
                    audit.record("case.found_in_search", case, actor=request.user, ip=client_ip(request))
    today = timezone.localdate()
    soon = due_soon_limit(today)
    return render(
        request,
        "backoffice/search.html",
        {
            "q": text,
            "rows": results,
            "table": case_table(
                [{"case": c, "sla": sla_of(c, today, soon)} for c in results], caption="Search results"
            ),
        },
    )


ASSISTED_CHANNELS = [
    (Channel.PHONE, "Phone call"),
    (Channel.FACE_TO_FACE, "Face to face"),
    (Channel.EMAIL, "Email"),
    (Channel.LETTER, "Letter"),
]


@staff_required
@require_http_methods(["GET", "POST"])
def new_case(request):
    """Assisted digital: staff fill in the resident's form with them, through the same pages."""
    errors: list[tuple[str, str]] = []
    raw = {"service": "", "channel": ""}
    if request.method == "POST":
        raw = {key: request.POST.get(key, "") for key in raw}
        service = Service.objects.filter(code=raw["service"], active=True).first()
        if service is None:
            errors.append(("service", "Choose the service"))
        if raw["channel"] not in dict(ASSISTED_CHANNELS):
            errors.append(("channel", "Choose how the resident contacted us"))
        if not errors:
            request.session["assisted"] = {
                "channel": raw["channel"],
                "service": service.code,
                "label": dict(ASSISTED_CHANNELS)[raw["channel"]],
            }
            request.session.get("drafts", {}).pop(service.code, None)
            request.session.modified = True
            return redirect("portal:question", code=service.code, name=service.form.questions[0].name)
    return render(
        request,
        "backoffice/new_case.html",
        {
            "services": Service.objects.filter(active=True).order_by("name"),
            "channels": ASSISTED_CHANNELS,
            "errors": errors,
            "error_for": first_errors(errors),
            "raw": raw,
        },
        status=400 if errors else 200,
    )


@staff_required
@require_POST
def stop_assisting(request):
    request.session.pop("assisted", None)
    return redirect("backoffice:queue")


@staff_required
def audit_log(request):
    """The audit trail, read-only, for team leaders, managers and administrators."""
    if not is_manager(request.user):
        raise PermissionDenied("Only team leaders and managers can read the audit trail.")
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    reference = request.GET.get("case", "").strip().upper()[:20]
    case = None
    if reference:
        case = visible_cases(request.user).filter(reference=reference).first()
        entries = entries.filter(object_type="cases.case", object_id=str(case.pk)) if case else entries.none()
    elif not request.user.is_superuser:
        # Every visible case, as a subquery (the audit's object_id is text): no cap on how many.
        visible_ids = visible_cases(request.user).annotate(id_text=Cast("pk", CharField())).values("id_text")
        entries = entries.filter(
            Q(object_type="cases.case", object_id__in=visible_ids) | Q(actor=request.user)
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit.html", {"page": page, "reference": reference, "case": case})
