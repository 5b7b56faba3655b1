"""The resident account (issue 15): saved details that forms start from, "your requests", and
"tell us once" that you moved. Residents sign in with the emailed link (``portal.views.sign_in``);
every page here works without JavaScript and follows the GOV.UK question, check answers and
confirmation patterns. The pages live with the account they write (this app, above the portal);
the portal's forms reach the saved details through ``portal.hooks`` (``queries``)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from residenthub.cases.models import Case, NotifyBy
from residenthub.core.actions import ActionError, Actor
from residenthub.core.forms import first_errors
from residenthub.core.models import Address
from residenthub.core.validators import display_uk_phone, normalise_postcode, normalise_uk_phone
from residenthub.foi.queries import requests_by_email
from residenthub.portal.views import RESIDENT_EMAIL_KEY

from . import actions
from .models import AddressChange, ResidentAccount
from .queries import account_for_email

LANGUAGE_NAMES = [
    ("en", "English"),
    ("cy", "Cymraeg (Welsh)"),
    ("pl", "Polski (Polish)"),
    ("ro", "Română (Romanian)"),
    ("bn", "বাংলা (Bengali)"),
    ("ur", "اردو (Urdu)"),
    ("so", "Soomaali (Somali)"),
    ("ar", "العربية (Arabic)"),
    ("pt", "Português (Portuguese)"),
    ("es", "Español (Spanish)"),
]
NOTIFY_CHOICES = [
    (NotifyBy.EMAIL, "Email"),
    (NotifyBy.SMS, "Text message"),
    (NotifyBy.POST, "Letter by post"),
    (NotifyBy.NONE, "Do not send me updates"),
]
MOVE_KEY = "tell_us_once"


def signed_in_email(request) -> str:
    return request.session.get(RESIDENT_EMAIL_KEY) or ""


def account_for(request) -> ResidentAccount | None:
    return account_for_email(signed_in_email(request))


def _context(request, **extra):
    return {"errors": [], "error_for": {}, **extra}


def _errors(context: dict, errors: list[tuple[str, str]]) -> dict:
    context.update(errors=errors, error_for=first_errors(errors))
    return context


def _need_sign_in(request):
    return redirect(reverse("portal:sign_in"))


# --- the account page -----------------------------------------------------------------------------


def account_home(request):
    email = signed_in_email(request)
    if not email:
        return _need_sign_in(request)
    account = account_for(request)
    open_cases = Case.objects.filter(contact_email__iexact=email, is_open=True).count()
    return render(
        request,
        "residents/account/home.html",
        {
            "email": email,
            "account": account,
            "language": dict(LANGUAGE_NAMES).get(account.language if account else "en", ""),
            "phone": display_uk_phone(account.phone) if account and account.phone else "",
            "open_cases": open_cases,
        },
    )


@require_http_methods(["GET", "POST"])
def account_details(request):
    email = signed_in_email(request)
    if not email:
        return _need_sign_in(request)
    account = account_for(request)
    raw = {
        "name": account.name if account else "",
        "phone": display_uk_phone(account.phone) if account and account.phone else "",
        "language": account.language if account else "en",
        "notify_by": account.notify_by if account else NotifyBy.EMAIL,
    }
    context = _context(
        request, raw=raw, languages=LANGUAGE_NAMES, notify_choices=NOTIFY_CHOICES, account=account
    )
    if request.method == "POST":
        raw = {key: (request.POST.get(key) or "")[:300] for key in raw}
        context["raw"] = raw
        errors = []
        if len(raw["name"].strip()) > 200:
            errors.append(("name", _("Your name must be 200 characters or fewer")))
        elif not raw["name"].strip():
            errors.append(("name", _("Enter your full name")))
        phone = ""
        if raw["phone"].strip():
            phone = normalise_uk_phone(raw["phone"]) or ""
            if not phone:
                errors.append(("phone", _("Enter a UK phone number, like 07700 900 982")))
        if raw["language"] not in dict(LANGUAGE_NAMES):
            errors.append(("language", _("Choose a language from the list")))
        if raw["notify_by"] not in dict(NOTIFY_CHOICES):
            errors.append(("notify_by", _("Select how you would like to hear from us")))
        elif raw["notify_by"] == NotifyBy.SMS and not (phone and normalise_uk_phone(phone, mobile_only=True)):
            errors.append(("phone", _("Enter a UK mobile number, like 07700 900 982, to get text messages")))
        elif raw["notify_by"] == NotifyBy.POST and not (account and account.address_id):
            errors.append(("notify_by", _("Add your address first, so we can send you letters")))
        if not errors:
            try:
                actions.save_account(
                    email,
                    name=raw["name"],
                    phone=phone,
                    language=raw["language"],
                    notify_by=raw["notify_by"],
                    by=Actor.from_request(request, label="resident"),
                )
            except ActionError as exc:
                errors.append(("name", str(exc)))
            else:
                return redirect("residents:account")
        return render(request, "residents/account/details.html", _errors(context, errors), status=400)
    return render(request, "residents/account/details.html", context)


def _find_addresses(postcode_raw: str) -> tuple[str, list[Address], list[tuple[str, str]]]:
    """(normalised postcode, addresses there, errors) for a postcode the resident typed."""
    if not postcode_raw.strip():
        return "", [], [("postcode", _("Enter your postcode"))]
    postcode = normalise_postcode(postcode_raw) or ""
    if not postcode:
        return "", [], [("postcode", _("Enter a real UK postcode, like SW1A 2AA"))]
    addresses = list(Address.objects.filter(postcode=postcode).order_by("line1"))
    if not addresses:
        return (
            postcode,
            [],
            [
                (
                    "postcode",
                    _(
                        "We could not find any addresses in the borough at that postcode. "
                        "Check it, or call us"
                    ),
                )
            ],
        )
    return postcode, addresses, []


@require_http_methods(["GET", "POST"])
def account_address(request):
    """Your address, chosen from the council's address list: find by postcode, then choose."""
    email = signed_in_email(request)
    if not email:
        return _need_sign_in(request)
    account = account_for(request)
    postcode_raw = (request.GET.get("postcode") or request.POST.get("postcode") or "")[:20]
    context = _context(request, postcode=postcode_raw, addresses=[], account=account)
    if not postcode_raw and "postcode" not in request.GET:
        return render(request, "residents/account/address.html", context)
    postcode, addresses, errors = _find_addresses(postcode_raw)
    context.update(postcode=postcode or postcode_raw, addresses=addresses)
    if errors:
        return render(request, "residents/account/address.html", _errors(context, errors), status=400)
    if request.method == "POST":
        chosen = next((a for a in addresses if a.uprn == request.POST.get("uprn")), None)
        if chosen is None:
            errors = [("uprn", _("Select your address"))]
            return render(request, "residents/account/address.html", _errors(context, errors), status=400)
        try:
            actions.save_account(
                email,
                name=account.name if account else "",
                phone=account.phone if account else "",
                language=account.language if account else "en",
                notify_by=account.notify_by if account else NotifyBy.EMAIL,
                address=chosen,
                by=Actor.from_request(request, label="resident"),
            )
        except ActionError as exc:
            return render(
                request, "residents/account/address.html", _errors(context, [("uprn", str(exc))]), status=400
            )
        return redirect("residents:account")
    return render(request, "residents/account/address.html", context)


def your_requests(request):
    """Every case and information request made with the signed-in email address."""
    email = signed_in_email(request)
    if not email:
        return _need_sign_in(request)
    cases = Case.objects.filter(contact_email__iexact=email).select_related("service").order_by("-created_at")
    requests = requests_by_email(email)
    return render(
        request, "residents/your_requests.html", {"cases": cases, "email": email, "info_requests": requests}
    )


# --- tell us once: moving home --------------------------------------------------------------------


def _date_from(post) -> tuple[dt.date | None, dict, str]:
    raw = {k: (post.get(f"moved-{k}") or "").strip()[:4] for k in ("day", "month", "year")}
    if not any(raw.values()):
        return None, raw, _("Enter the date you moved, or will move")
    if not all(raw.values()):
        return None, raw, _("The date you moved must include a day, month and year")
    try:
        return dt.date(int(raw["year"]), int(raw["month"]), int(raw["day"])), raw, ""
    except ValueError:
        return None, raw, _("The date you moved must be a real date, like 27 3 2026")


@require_http_methods(["GET", "POST"])
def move(request):
    """The one question page of "tell us once": new address, date, adults, cases to update."""
    email = signed_in_email(request)
    if not email:
        return _need_sign_in(request)
    account = account_for(request)
    if account is None:
        return redirect(reverse("residents:account_details") + "?next=move")
    open_cases = list(
        Case.objects.filter(contact_email__iexact=email, is_open=True).select_related("service")
    )
    saved = request.session.get(MOVE_KEY) or {}
    postcode_raw = (
        request.GET.get("postcode") or request.POST.get("postcode") or saved.get("postcode") or ""
    )[:20]
    context = _context(
        request,
        account=account,
        postcode=postcode_raw,
        addresses=[],
        open_cases=open_cases,
        raw={
            "uprn": saved.get("uprn", ""),
            "date": saved.get("date_raw", {}),
            "adults": saved.get("adults", ""),
            "cases": saved.get("cases", [c.reference for c in open_cases]),
        },
    )
    if not postcode_raw:
        return render(request, "residents/account/move.html", context)
    postcode, addresses, errors = _find_addresses(postcode_raw)
    context.update(postcode=postcode or postcode_raw, addresses=addresses)
    if errors:
        return render(request, "residents/account/move.html", _errors(context, errors), status=400)
    if request.method == "GET":
        return render(request, "residents/account/move.html", context)
    errors = []
    chosen = next((a for a in addresses if a.uprn == request.POST.get("uprn")), None)
    if chosen is None:
        errors.append(("uprn", _("Select your new address")))
    elif chosen.pk == account.address_id:
        errors.append(("uprn", _("That is the address we already have for you. Select your new address")))
    moved_on, date_raw, date_error = _date_from(request.POST)
    if date_error:
        errors.append(("moved-day", date_error))
    adults_raw = (request.POST.get("adults") or "").strip()[:4]
    if not adults_raw:
        errors.append(("adults", _("Enter how many adults will live at your new address, including you")))
    elif not adults_raw.isdigit() or not 1 <= int(adults_raw) <= 20:
        errors.append(("adults", _("Enter a number of adults from 1 to 20")))
    cases = [r for r in request.POST.getlist("cases") if r in {c.reference for c in open_cases}]
    context["raw"] = {
        "uprn": request.POST.get("uprn", ""),
        "date": date_raw,
        "adults": adults_raw,
        "cases": cases,
    }
    if errors:
        return render(request, "residents/account/move.html", _errors(context, errors), status=400)
    request.session[MOVE_KEY] = {
        "postcode": postcode,
        "uprn": chosen.uprn,
        "date": moved_on.isoformat(),
        "date_raw": date_raw,
        "adults": int(adults_raw),
        "cases": cases,
    }
    return redirect("residents:move_check")


@require_http_methods(["GET", "POST"])
def move_check(request):
    email = signed_in_email(request)
    account = account_for(request)
    saved = request.session.get(MOVE_KEY)
    if not email or account is None:
        return _need_sign_in(request)
    if not saved:
        return redirect("residents:move")
    new_address = Address.objects.filter(uprn=saved["uprn"]).first()
    if new_address is None:
        request.session.pop(MOVE_KEY, None)
        return redirect("residents:move")
    moved_on = dt.date.fromisoformat(saved["date"])
    cases = list(
        Case.objects.filter(reference__in=saved["cases"], contact_email__iexact=email).select_related(
            "service"
        )
    )
    if request.method == "POST":
        try:
            change = actions.report_move(
                account,
                new_address,
                moved_on=moved_on,
                adults=saved["adults"],
                update_cases=saved["cases"],
                by=Actor.from_request(request, label="resident"),
            )
        except ActionError as exc:
            return render(
                request,
                "residents/account/move_check.html",
                {
                    "saved": saved,
                    "address": new_address,
                    "moved_on": moved_on,
                    "cases": cases,
                    "errors": [("uprn", str(exc))],
                    "error_for": {},
                },
                status=400,
            )
        request.session.pop(MOVE_KEY, None)
        request.session["moved"] = change.pk
        return redirect("residents:move_done")
    return render(
        request,
        "residents/account/move_check.html",
        {"saved": saved, "address": new_address, "moved_on": moved_on, "cases": cases, "errors": []},
    )


def move_done(request):
    account = account_for(request)
    pk = request.session.get("moved")
    change = (
        AddressChange.objects.select_related("council_tax_case", "new_address")
        .filter(pk=pk, account=account)
        .first()
        if account and pk
        else None
    )
    if change is None:
        return redirect("residents:account")
    return render(
        request,
        "residents/account/move_done.html",
        {"change": change, "teams": change.tasks.count()},
    )
