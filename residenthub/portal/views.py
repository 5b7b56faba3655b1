"""Resident pages: find a service, answer its questions, check, submit, track."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from residenthub.accounts.queries import can_see_case
from residenthub.cases import actions
from residenthub.cases.models import Attachment, Case, CaseEvent, Priority
from residenthub.cases.tracking import read_token, track_page_key
from residenthub.core import audit, ratelimit, references
from residenthub.core.audit import client_ip
from residenthub.core.forms import first_errors
from residenthub.core.validators import display_uk_phone, normalise_postcode
from residenthub.services import questions
from residenthub.services.models import Service

from . import actions as portal_actions
from . import hooks
from .contact import account_address_answer, account_prefill, address_fields, needs_postcode, parse_contact
from .drafts import Draft

ADDRESS_INPUTS = [  # the postal address for letters, on "your contact details" (issue 15)
    ("address_line_1", _lazy("Address line 1"), "", "address-line1"),
    ("address_line_2", _lazy("Address line 2 (optional)"), "", "address-line2"),
    ("address_town", _lazy("Town or city"), "govuk-!-width-two-thirds", "address-level2"),
    ("address_postcode", _lazy("Postcode"), "govuk-input--width-10", "postal-code"),
]
TRACKED_KEY = "tracked_cases"
RESIDENT_EMAIL_KEY = "resident_email"


# --- Finding a service ---------------------------------------------------------------------------


def _search(services, query: str):
    words = [w for w in query.lower().split() if len(w) > 1]
    if not words:
        return list(services)
    scored = []
    for service in services:
        haystack = " ".join([service.name, service.summary, service.category, *service.keywords]).lower()
        score = sum(3 if w in service.name.lower() else 1 for w in words if w in haystack)
        if score:
            scored.append((-score, service.position, service))
    return [item[2] for item in sorted(scored, key=lambda item: item[:2])]


def home(request):
    services = list(
        Service.objects.filter(active=True).only(
            "code", "name", "summary", "category", "keywords", "position"
        )
    )
    query = request.GET.get("q", "").strip()[:200]
    if query:
        return render(request, "portal/search.html", {"query": query, "results": _search(services, query)})
    categories: dict[str, list[Service]] = {}
    for service in services:
        categories.setdefault(service.category or _("Other services"), []).append(service)
    return render(request, "portal/home.html", {"categories": categories})


def _active_service(code: str) -> Service:
    return get_object_or_404(Service.objects.select_related("team"), code=code, active=True)


def service_start(request, code):
    service = _active_service(code)
    first = service.form.questions[0]
    return render(
        request,
        "portal/service_start.html",
        {
            "service": service,
            "paragraphs": [p.strip() for p in service.description.split("\n\n") if p.strip()],
            "start_url": reverse("portal:question", args=[code, first.name]),
        },
    )


# --- Question pages ------------------------------------------------------------------------------


def _question_url(service: Service, question, change: bool = False) -> str:
    url = reverse("portal:question", args=[service.code, question.name])
    return url + "?change=1" if change else url


def _ensure_session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


@require_http_methods(["GET", "POST"])
def question(request, code, name):
    service = _active_service(code)
    draft = Draft(request, service)
    current = service.form.question(name)
    if current is None:
        raise Http404
    if not current.is_shown(draft.answers):
        # Not asked with the answers given so far (e.g. a skipped or tampered URL).
        target = draft.first_unanswered()
        return redirect(_question_url(service, target) if target else reverse("portal:contact", args=[code]))
    unanswered = draft.first_unanswered()
    shown_names = [q.name for q in draft.shown()]
    if unanswered and shown_names.index(unanswered.name) < shown_names.index(current.name):
        return redirect(_question_url(service, unanswered))
    change = request.GET.get("change") == "1"
    previous_value = draft.answers.get(current.name)
    if previous_value is None and current.type == "address" and request.method == "GET":
        previous_value = account_address_answer(request)  # the resident's saved address, to confirm
    raw = questions.initial_raw(current, previous_value)
    errors: list[tuple[str, str]] = []
    mode = "manual" if request.GET.get("manual") == "1" else ""
    if current.type == "address" and not mode and previous_value and not previous_value.get("uprn"):
        mode = "manual"
    lookup = draft.data["lookup"].get(current.name) or (
        raw.get("postcode") if current.type == "address" else ""
    )

    if request.method == "POST":
        action = request.POST.get("action", "")
        if current.type == "address":
            mode = "manual" if action == "manual" else ""
        outcome = questions.parse(
            current,
            request.POST,
            request.FILES,
            session_key=_ensure_session_key(request),
            previous=previous_value,
            action=action,
        )
        raw, errors = outcome.raw, outcome.errors
        if current.type == "address" and action == "find" and outcome.ok:
            draft.data["lookup"][current.name] = raw["postcode"]
            draft.store()
            lookup = raw["postcode"]
        elif current.type == "address" and action != "manual":
            lookup = raw.get("postcode") if raw.get("postcode") and not errors else lookup
            if errors and any(field.endswith("-postcode") for field, _m in errors):
                lookup = ""
        if outcome.ok and not (current.type == "address" and action == "find"):
            draft.set_answer(current, outcome.value)
            following = draft.first_unanswered()
            if change and following is None and draft.contact is not None:
                return redirect("portal:check", code=code)
            if following is not None and change:
                return redirect(_question_url(service, following, change=True))
            upcoming = draft.next_after(current)
            if upcoming is None:
                return redirect("portal:contact", code=code)
            return redirect(_question_url(service, upcoming))

    previous = draft.previous_of(current)
    back_url = (
        reverse("portal:check", args=[code])
        if change
        else _question_url(service, previous)
        if previous
        else reverse("portal:service", args=[code])
    )
    context = {
        "service": service,
        "question": current,
        "raw": raw,
        "errors": errors,
        "error_for": first_errors(errors),
        "back_url": back_url,
        "change": change,
        "max_length": current.max_length or questions.DEFAULT_MAX_LENGTH.get(current.type),
    }
    if current.type == "address":
        context.update(
            mode=mode,
            lookup=lookup,
            addresses=questions.addresses_at(lookup) if lookup else [],
            manual_url=_question_url(service, current, change) + ("&" if change else "?") + "manual=1",
        )
    if current.type == "file":
        context["max_mb"] = questions.max_upload_bytes(current) // (1024 * 1024)
        context["accept"] = ",".join(f".{a}" for a in current.accept)
    status = 400 if errors else 200
    return render(request, "portal/question.html", context, status=status)


@require_http_methods(["GET", "POST"])
def contact(request, code):
    service = _active_service(code)
    draft = Draft(request, service)
    unanswered = draft.first_unanswered()
    if unanswered:
        return redirect(_question_url(service, unanswered))
    change = request.GET.get("change") == "1"
    raw = dict(draft.contact or account_prefill(request) or {"notify_by": ""})
    raw.update(address_fields(raw))
    if raw.get("phone"):
        raw["phone"] = display_uk_phone(raw["phone"])
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        outcome = parse_contact(request.POST, service=service, answers=draft.answers)
        raw, errors = outcome.raw, outcome.errors
        if outcome.ok:
            draft.set_contact(outcome.value)
            return redirect("portal:check", code=code)
    shown = draft.shown()
    back_url = reverse("portal:check", args=[code]) if change else _question_url(service, shown[-1])
    return render(
        request,
        "portal/contact.html",
        {
            "service": service,
            "raw": raw,
            "errors": errors,
            "error_for": first_errors(errors),
            "back_url": back_url,
            "ask_postcode": needs_postcode(service, draft.answers),
            "address_inputs": ADDRESS_INPUTS,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def check(request, code):
    service = _active_service(code)
    if request.method == "POST":
        # A second press of "Submit" (or a resubmitted page) finds the case the first one made.
        key = request.POST.get("submission_key", "")
        existing = Case.objects.filter(submission_key=key).only("reference").first() if key else None
        if existing and existing.reference in request.session.get(TRACKED_KEY, []):
            return redirect("portal:confirmation", code=code)
    draft = Draft(request, service)
    unanswered = draft.first_unanswered()
    if unanswered:
        messages.info(request, _("Answer this question to continue."))
        return redirect(_question_url(service, unanswered))
    if draft.contact is None:
        return redirect("portal:contact", code=code)
    if request.method == "POST":
        if request.POST.get("submission_key") != draft.key:
            messages.info(request, _("Check your answers, then submit them."))
            return redirect("portal:check", code=code)
        answers = draft.shown_answers()
        attachment_ids = [
            v["attachment_id"]
            for q in service.form.questions
            if q.type == "file"
            for v in [answers.get(q.name)]
            if isinstance(v, dict)
        ]
        assisted = (
            request.session.get("assisted")
            if request.user.is_authenticated and request.user.is_staff
            else None
        )
        staff_fields = {}
        # A message the front door flagged (a child at risk, no heating...) starts urgent.
        flagged = bool((draft.data.get("triage") or {}).get("urgent"))
        if assisted:
            staff_fields = {
                "channel": assisted["channel"],
                "actor": request.user,
                "channel_detail": f"Raised by {request.user.get_username()}",
            }
        try:
            case = actions.create_case(
                service=service,
                answers=answers,
                contact=actions.Contact(**draft.contact),
                priority=Priority.URGENT if flagged else Priority.NORMAL,
                **staff_fields,
                submission_key=draft.key,
                attachment_ids=attachment_ids,
                session_key=request.session.session_key or "",
                language=(request.LANGUAGE_CODE or "en")[:2],
                ip=client_ip(request),
            )
        except actions.ActionError as exc:
            messages.error(request, str(exc))
            return redirect("portal:check", code=code)
        tracked = request.session.get(TRACKED_KEY, [])
        request.session[TRACKED_KEY] = [*tracked[-49:], case.reference]
        request.session["last_submitted"] = {"code": code, "reference": case.reference}
        request.session.pop("assisted", None)
        draft.discard()
        # A service with a fee goes on to GOV.UK Pay now that the case exists (payments' hook).
        next_url = hooks.after_submission.first(request, case)
        if next_url:
            return redirect(next_url)
        return redirect("portal:confirmation", code=code)
    rows = []
    for q in draft.shown():
        rows.append(
            {
                "label": q.label,
                "value": questions.display(q, draft.answers.get(q.name)),
                "change_url": _question_url(service, q, change=True),
                "name": q.name,
            }
        )
    return render(
        request,
        "portal/check.html",
        {
            "service": service,
            "rows": rows,
            "contact": draft.contact,
            "submission_key": draft.key,
            "contact_phone": display_uk_phone(draft.contact["phone"]) if draft.contact["phone"] else "",
            "back_url": reverse("portal:contact", args=[code]),
            "contact_change_url": reverse("portal:contact", args=[code]) + "?change=1",
            **hooks.check_context.merged(service, draft.shown_answers()),  # the fee, if any (payments)
        },
    )


def confirmation(request, code):
    last = request.session.get("last_submitted")
    if not last or last["code"] != code:
        return redirect("portal:service", code=code)
    case = get_object_or_404(Case.objects.select_related("service"), reference=last["reference"])
    return render(request, "portal/confirmation.html", {"case": case, "service": case.service})


# --- Tracking ------------------------------------------------------------------------------------


def _remember(request, reference: str) -> None:
    tracked = [r for r in request.session.get(TRACKED_KEY, []) if r != reference]
    request.session[TRACKED_KEY] = [*tracked[-49:], reference]


def _may_view(request, reference: str, contact_email: str) -> bool:
    if reference in request.session.get(TRACKED_KEY, []):
        return True
    email = request.session.get(RESIDENT_EMAIL_KEY)
    return bool(email and contact_email and contact_email.lower() == email)


@require_http_methods(["GET", "POST"])
def track(request):
    raw = {"reference": "", "identity": ""}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        raw = {key: (request.POST.get(key) or "")[:254] for key in raw}
        if not raw["reference"].strip():
            errors.append(("reference", _("Enter your reference")))
        if not raw["identity"].strip():
            errors.append(("identity", _("Enter the email address or postcode you gave us")))
        if not errors:
            reference = references.normalise(raw["reference"], settings.REFERENCE_PREFIX)
            allowed = ratelimit.hit(
                "track-ip", client_ip(request) or "-", limit=settings.RATE_LIMIT_TRACK_PER_HOUR
            )
            if reference:
                allowed = (
                    ratelimit.hit("track-ref", reference, limit=settings.RATE_LIMIT_TRACK_PER_HOUR)
                    and allowed
                )
            if not allowed:
                return render(request, "portal/too_many.html", status=429)
            case = _find_for_tracking(reference, raw["identity"]) if reference else None
            if case is not None:
                _remember(request, case.reference)
                return redirect("portal:track_case", reference=case.reference)
            # One message whether or not the reference exists, so it cannot be probed.
            errors.append(
                (
                    "reference",
                    _(
                        "We could not find a request with those details. Check the reference "
                        "and the email address or postcode you gave us."
                    ),
                )
            )
    return render(
        request,
        "portal/track.html",
        {"raw": raw, "errors": errors, "error_for": first_errors(errors)},
        status=400 if errors else 200,
    )


def _find_for_tracking(reference: str, identity: str) -> Case | None:
    case = Case.objects.filter(reference=reference).only("reference", "contact_email", "postcode").first()
    if case is None:
        return None
    identity = identity.strip()
    if "@" in identity:
        return case if case.contact_email and identity.lower() == case.contact_email.lower() else None
    postcode = normalise_postcode(identity)
    return case if postcode and postcode == case.postcode else None


def track_link(request, token):
    reference = read_token(token)
    if reference is None or not Case.objects.filter(reference=reference).exists():
        return render(request, "portal/link_expired.html", status=404)
    _remember(request, reference)
    return redirect("portal:track_case", reference=reference)


TRACK_PAGE_SECONDS = 600


def track_case(request, reference):
    """A resident's case: status, target date, public timeline.

    The rendered page is cached per case and language, and every action on the case drops it
    (``cases.tracking.forget_track_page``), so a resident refreshing the page costs a session
    read and a cache read.
    """
    key = track_page_key(reference, request.LANGUAGE_CODE)
    entry = cache.get(key)
    if entry is None:
        row = Case.objects.filter(reference=reference).order_by().values_list("pk", "contact_email")[:1]
        if not row:
            return redirect("portal:track")
        pk, contact_email = row[0]
    else:
        pk, contact_email, html = entry
    if not _may_view(request, reference, contact_email):
        # Same answer for "no such case" and "not yours": send them to the tracking form.
        return redirect("portal:track")
    if entry is None:
        pending_messages = len(messages.get_messages(request))
        html = _render_track_page(request, pk)
        if not pending_messages:
            cache.set(key, (pk, contact_email, html), TRACK_PAGE_SECONDS)
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


def _render_track_page(request, case_pk: int) -> str:
    case = Case.objects.select_related("service", "service__team", "duplicate_of__service").get(pk=case_pk)
    workflow = case.service.workflow
    events = []
    for event in case.events.filter(public=True).order_by("-at", "-id"):
        if event.kind == CaseEvent.Kind.SUBMITTED:
            title = _("Request received")
        elif event.kind == CaseEvent.Kind.STATUS_CHANGED and workflow.has(event.to_status):
            title = workflow.status(event.to_status).public_label
        else:
            title = _("Update from the council")
        events.append({"at": event.at, "title": title, "text": event.text})
    return render_to_string(
        "portal/track_case.html",
        {
            "case": case,
            "service": case.service,
            "events": events,
            "attachments": list(case.attachments.all()),
            "status_label": case.public_status_label,
            "original": case.duplicate_of,
        },
        request=request,
    )


def attachment_download(request, reference, token):
    """A resident's own upload, to that resident (or staff who can see the case), never anyone else."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("case__service"), token=token, case__reference=reference
    )
    case = attachment.case
    if not (_may_view(request, case.reference, case.contact_email) or can_see_case(request.user, case)):
        raise Http404
    if request.user.is_authenticated and attachment.case.restricted:
        audit.record("case.attachment_viewed", attachment.case, actor=request.user, ip=client_ip(request))
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Resident sign-in by emailed link -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request):
    raw = {"email": ""}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        raw["email"] = (request.POST.get("email") or "")[:254]
        email = questions.clean_email(raw["email"]) if raw["email"].strip() else None
        if not raw["email"].strip():
            errors.append(("email", _("Enter your email address")))
        elif email is None:
            errors.append(("email", _("Enter an email address in the correct format, like name@example.com")))
        else:
            if not ratelimit.hit(
                "signin", email.lower(), limit=settings.RATE_LIMIT_SIGNIN_PER_HOUR
            ) or not ratelimit.hit(
                "signin-ip", client_ip(request) or "-", limit=settings.RATE_LIMIT_SIGNIN_PER_HOUR * 4
            ):
                return render(request, "portal/too_many.html", status=429)
            if Case.objects.filter(contact_email__iexact=email).exists():
                token = portal_actions.issue_sign_in_link(email.lower())
                link = settings.SITE_URL + reverse("portal:sign_in_link", args=[token])
                context = {"link": link, "council_name": settings.COUNCIL_NAME}
                send_mail(
                    _("Your sign-in link for %(council)s") % {"council": settings.COUNCIL_NAME},
                    render_to_string("portal/email/sign_in.txt", context),
                    settings.DEFAULT_FROM_EMAIL,
                    [email],
                    html_message=render_to_string("portal/email/sign_in.html", context),
                    fail_silently=True,
                )
            # The same page whether or not we know the address.
            return render(request, "portal/sign_in_sent.html", {"email": email})
    return render(
        request,
        "portal/sign_in.html",
        {"raw": raw, "errors": errors, "error_for": first_errors(errors)},
        status=400 if errors else 200,
    )


def sign_in_link(request, token):
    email = portal_actions.redeem_sign_in_link(token)
    if email is None:
        return render(request, "portal/link_expired.html", {"sign_in": True}, status=404)
    request.session.cycle_key()
    request.session[RESIDENT_EMAIL_KEY] = email
    return redirect("residents:your_requests")  # the resident account's pages (residents app)


@require_http_methods(["POST"])
def sign_out(request):
    request.session.flush()
    return redirect("portal:home")


# --- Other pages ---------------------------------------------------------------------------------


def static_page(request, page):
    return render(request, f"portal/pages/{page}.html")


def health(request):
    return HttpResponse("ok", content_type="text/plain")


def bare(request):
    """The benchmark baseline: the cheapest Django view there is (mounted only when the setting
    ``BENCHMARK_BASELINE_VIEW`` is on, as benchmarks/web.py does)."""
    return HttpResponse("ok", content_type="text/plain")


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
