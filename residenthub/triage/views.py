"""The front door: the free-text box, the webchat (plain form posts, enhanced with JavaScript),
the phone-channel API, and the staff triage log and human triage queue."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from residenthub.accounts.auth import staff_required
from residenthub.accounts.permissions import can_see_case, can_triage, case_visibility
from residenthub.cases.models import Case, Channel
from residenthub.core.audit import client_ip
from residenthub.core.audit import record as audit
from residenthub.core.validators import normalise_uk_phone
from residenthub.portal.drafts import Draft
from residenthub.services.models import Service
from residenthub.services.questions import clean_email

from . import actions, engine, language, replies
from .models import AnswerFeedback, Outcome, Resolution, TriageRecord
from .urgency import RULE_BY_CATEGORY, Flag, contacts_for

log = logging.getLogger(__name__)

SESSION_KEY = "triage_records"
CHAT_KEY = "triage_chat"
MAX_INPUT = 20_000  # what the box accepts; anything longer is kept but not read past this


# --- Helpers -----------------------------------------------------------------------------------------


def _remember(request, rec: TriageRecord) -> None:
    tokens = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*tokens[-49:], str(rec.token)]


def _own_record(request, token) -> TriageRecord:
    """A resident sees only the messages they sent in this browser session."""
    if str(token) not in request.session.get(SESSION_KEY, []):
        raise Http404
    return get_object_or_404(TriageRecord, token=token)


def _triage(text: str, channel: str = Channel.WEB, call_id: str = "") -> tuple[engine.Result, TriageRecord]:
    result = engine.analyse(text)
    return result, actions.record(result, channel=channel, call_id=call_id)


def _flags_of(rec: TriageRecord) -> list[Flag]:
    return [
        Flag(f["category"], f.get("phrase", ""), f.get("kind", "urgent"))
        for f in rec.flags
        if f.get("category") in RULE_BY_CATEGORY
    ]


def likelihood(confidence: float) -> str:
    if confidence >= 0.8:
        return _("Very likely")
    if confidence >= engine.confident_threshold():
        return _("Likely")
    return _("Possible")


def result_context(rec: TriageRecord) -> dict:
    flags = _flags_of(rec)
    suggestions = [
        {"service": service, "confidence": confidence, "likelihood": likelihood(confidence), "data": data}
        for service, confidence, data in actions.suggested_services(rec)
    ]
    return {
        "record": rec,
        "flags": flags,
        "urgent_flags": [f for f in flags if f.kind == "urgent"],
        "contacts": contacts_for(flags) if rec.urgent else [],
        "suggestions": suggestions,
        "language_name": language.NAMES.get(rec.language, ""),
        "own_language_note": replies.translation_note(rec.language)
        if rec.outcome == Outcome.TRANSLATION_NEEDED
        else "",
        "OUT_OF_HOURS_PHONE": settings.OUT_OF_HOURS_PHONE,
        "answer": rec.answer,
        "feedback": AnswerFeedback.objects.filter(record=rec).first() if rec.answer.get("found") else None,
    }


def _read_text(request) -> str:
    return (request.POST.get("enquiry") or "").replace("\x00", "")


# --- The free-text box -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request):
    text = ""
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        text = _read_text(request)
        if not text.strip():
            errors.append(("enquiry", _("Tell us what you need, in your own words")))
        else:
            _result, rec = _triage(text)
            _remember(request, rec)
            return redirect("triage:result", token=rec.token)
    return render(
        request,
        "triage/start.html",
        {"text": text[:MAX_INPUT], "errors": errors, "error_for": dict(errors), "max_length": MAX_INPUT},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def result(request, token):
    rec = _own_record(request, token)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        choice = request.POST.get("service", "")
        if choice == "none":
            return redirect("triage:person", token=rec.token)
        allowed = {s.code for s, _c, _d in actions.suggested_services(rec)}
        service = Service.objects.filter(code=choice, active=True).first() if choice in allowed else None
        if service is None:
            errors.append(("service", _("Choose what your message is about, or send it to a person")))
        else:
            draft = Draft(request, service)
            filled = actions.choose_service(rec, service, draft)
            if filled["answers"] or filled["lookup"]:
                messages.info(
                    request,
                    _("We have filled in some answers from your message. Check each one as you go."),
                )
            return redirect("portal:service", code=service.code)
    context = result_context(rec)
    context.update(errors=errors, error_for=dict(errors))
    return render(request, "triage/result.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def person(request, token):
    """Send the message to a person in the human triage queue, with a way to reply."""
    rec = _own_record(request, token)
    raw = {"name": "", "email": "", "phone": ""}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        raw = {key: (request.POST.get(key) or "").strip()[:254] for key in raw}
        email = clean_email(raw["email"]) if raw["email"] else ""
        phone = normalise_uk_phone(raw["phone"]) if raw["phone"] else ""
        if raw["email"] and email is None:
            errors.append(("email", _("Enter an email address in the correct format, like name@example.com")))
        if raw["phone"] and phone is None:
            errors.append(("phone", _("Enter a UK phone number, like 01632 960 001 or 07700 900 982")))
        if not errors:
            actions.send_to_human(rec, name=raw["name"][:200], email=email or "", phone=phone or "")
            return redirect("triage:sent", token=rec.token)
    context = result_context(rec)
    context.update(
        raw=raw, errors=errors, error_for=dict(errors), back_url=reverse("triage:result", args=[token])
    )
    return render(request, "triage/person.html", context, status=400 if errors else 200)


def sent(request, token):
    rec = _own_record(request, token)
    return render(request, "triage/sent.html", result_context(rec))


@require_http_methods(["POST"])
def answer_feedback(request, token):
    """'Did this answer your question?': yes or no, stored with the message and the page.

    Without JavaScript the form posts and the resident is sent back (to the result page, or to the
    webchat with ``next=chat``); with it (``X-Requested-With: fetch``) the answer box comes back."""
    rec = _own_record(request, token)
    helpful = request.POST.get("helpful")
    back = reverse("triage:chat") + "#latest" if request.POST.get("next") == "chat" else None
    back = back or reverse("triage:result", args=[rec.token])
    fetched = request.headers.get("X-Requested-With") == "fetch"
    if helpful not in {"yes", "no"} or not rec.answer.get("found"):
        if fetched:
            return render(request, "triage/_answer.html", result_context(rec), status=400)
        messages.error(request, _("Choose yes or no"))
        return redirect(back)
    actions.answer_feedback(rec, helpful=helpful == "yes")
    if fetched:
        context = result_context(rec)
        context["answer_next"] = request.POST.get("next", "")
        return render(request, "triage/_answer.html", context)
    messages.success(request, _("Thank you for telling us whether this answered your question."))
    return redirect(back)


# --- Webchat -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def chat(request):
    turns = request.session.get(CHAT_KEY, [])
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if request.POST.get("action") == "restart":
            request.session[CHAT_KEY] = []
            return redirect("triage:chat")
        text = _read_text(request)
        if not text.strip():
            errors.append(("enquiry", _("Type your message")))
        else:
            _result, rec = _triage(text)
            _remember(request, rec)
            turns = [*turns[-18:], {"record": str(rec.token)}]
            request.session[CHAT_KEY] = turns
            if request.headers.get("X-Requested-With") != "fetch":
                return redirect(reverse("triage:chat") + "#latest")
    records = {str(r.token): r for r in TriageRecord.objects.filter(token__in=[t["record"] for t in turns])}
    conversation = [result_context(records[t["record"]]) for t in turns if t["record"] in records]
    context = {
        "answer_next": "chat",
        "conversation": conversation,
        "errors": errors,
        "error_for": dict(errors),
        "max_length": MAX_INPUT,
    }
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "triage/chat_log.html", context, status=400 if errors else 200)
    return render(request, "triage/chat.html", context, status=400 if errors else 200)


# --- Phone channel API -------------------------------------------------------------------------------


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
def phone(request):
    """POST a call transcript, get the triage result and the next prompt. See docs/triage.md."""
    if request.method != "POST":
        response = _api_error(405, "method_not_allowed", "Use POST with a JSON body.")
        response["Allow"] = "POST"
        return response
    # The key check and the rate limit are in front of this view: residenthub/api/phone.py.
    if len(request.body) > 200_000:
        return _api_error(413, "too_large", "The body must be 200 kB or less.")
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _api_error(400, "invalid_json", "The body is not valid JSON.")
    if not isinstance(payload, dict):
        return _api_error(400, "invalid_body", "The body must be a JSON object.")
    transcript = payload.get("transcript")
    if not isinstance(transcript, str):
        return _api_error(400, "missing_transcript", "Give the call transcript as a string in 'transcript'.")
    call_id = payload.get("call_id") or ""
    caller = payload.get("caller") or ""
    if not isinstance(call_id, str) or not isinstance(caller, str):
        return _api_error(400, "invalid_field", "'call_id' and 'caller' must be strings.")
    result_, rec = _triage(transcript, channel=Channel.PHONE, call_id=call_id)
    caller_phone = normalise_uk_phone(caller) if caller else None
    if rec.needs_human or result_.outcome in {Outcome.NOT_SURE, Outcome.TRANSLATION_NEEDED}:
        actions.send_to_human(rec, phone=caller_phone or "")
    return JsonResponse(replies.phone_reply(rec, result_))


# --- Staff ---------------------------------------------------------------------------------------------


def _staff_only(request) -> None:
    if not can_triage(request.user):
        raise PermissionDenied


def _visible_records(user):
    """Messages whose case became restricted follow the case: only its teams read them."""
    hidden = Q(case__restricted=True) & ~Q(case__in=Case.objects.filter(case_visibility(user)).values("pk"))
    return TriageRecord.objects.exclude(hidden)


@staff_required
def staff_log(request):
    _staff_only(request)
    records = _visible_records(request.user).select_related("service", "chosen_service")
    records = records.order_by("-created_at", "-id")
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        records = records.filter(outcome=outcome)
    if request.GET.get("urgent") == "1":
        records = records.filter(urgent=True)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    weeks = (
        TriageRecord.objects.filter(chosen_service__isnull=False, service__isnull=False)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(total=Count("id"), right=Count("id", filter=Q(chosen_service=F("service"))))
        .order_by("-week")[:12]
    )
    accuracy = [
        {"week": w["week"], "total": w["total"], "right": w["right"], "share": w["right"] / w["total"]}
        for w in weeks
        if w["total"]
    ]
    return render(
        request,
        "triage/staff_log.html",
        {"page": page, "accuracy": accuracy, "outcomes": Outcome.choices, "outcome": outcome},
    )


@staff_required
def staff_queue(request):
    _staff_only(request)
    records = (
        _visible_records(request.user)
        .filter(needs_human=True, handled_at__isnull=True)
        .select_related("service")
        .order_by("-urgent", "created_at", "id")
    )
    return render(request, "triage/staff_queue.html", {"records": records[:200]})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_record(request, pk):
    _staff_only(request)
    rec = get_object_or_404(TriageRecord.objects.select_related("service", "chosen_service", "case"), pk=pk)
    if rec.case is not None and rec.case.restricted:
        if not can_see_case(request.user, rec.case):
            audit("triage.record.view_denied", rec, actor=request.user, ip=client_ip(request))
            raise Http404
        audit("triage.record.viewed", rec, actor=request.user, ip=client_ip(request))
    errors: list[tuple[str, str]] = []
    services = list(Service.objects.filter(active=True).order_by("name"))
    if request.method == "POST":
        action = request.POST.get("action")
        note = (request.POST.get("note") or "").strip()[:2000]
        try:
            if action == "route":
                service = next((s for s in services if s.code == request.POST.get("service")), None)
                if service is None:
                    errors.append(("service", "Choose a service"))
                else:
                    case = actions.route(rec, service, by=request.user, note=note)
                    messages.success(request, f"Case {case.reference} created in {service.name}.")
                    return redirect("triage:staff_queue")
            elif action == "close":
                actions.close(rec, by=request.user, note=note)
                messages.success(request, "Message closed.")
                return redirect("triage:staff_queue")
            else:
                errors.append(("action", "Choose what to do"))
        except actions.TriageError as exc:
            errors.append(("note", str(exc)))
    context = result_context(rec)
    context.update(services=services, errors=errors, error_for=dict(errors), Resolution=Resolution)
    return render(request, "triage/staff_record.html", context, status=400 if errors else 200)
