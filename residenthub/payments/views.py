"""Payment pages: the resident's pay page, GOV.UK Pay's return and webhook; staff payment pages."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from residenthub.accounts.auth import staff_required
from residenthub.accounts.queries import can_see_case, is_manager
from residenthub.cases.models import Case
from residenthub.core.actions import ActionError, Actor

from . import actions, govuk_pay
from .fees import pounds, to_pence
from .models import Mismatch, Payment, ReconciliationRun, Refund
from .queries import finance_csv, is_finance, summary

TRACKED_KEY = "tracked_cases"  # the portal's session keys (residenthub/portal/views.py)
RESIDENT_EMAIL_KEY = "resident_email"


def _see_other(url: str) -> HttpResponseRedirect:
    """303 to GOV.UK Pay's page: the browser follows with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _resident_may_see(request, case: Case) -> bool:
    if case.reference in request.session.get(TRACKED_KEY, []):
        return True
    email = request.session.get(RESIDENT_EMAIL_KEY)
    return bool(email and case.contact_email and case.contact_email.lower() == email)


def _remember(request, reference: str) -> None:
    tracked = [r for r in request.session.get(TRACKED_KEY, []) if r != reference]
    request.session[TRACKED_KEY] = [*tracked[-49:], reference]


def _case_or_track(request, reference):
    case = Case.objects.select_related("service").filter(reference=reference).first()
    if case is None or not (_resident_may_see(request, case) or can_see_case(request.user, case)):
        return None
    return case


# --- Residents -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pay(request, reference):
    """What is owed and a button to pay it; also where an abandoned or failed payment is retried."""
    case = _case_or_track(request, reference)
    if case is None:
        return redirect("portal:track")
    charge = actions.open_charge(case)
    if charge is None:
        raise Http404
    charge = actions.reprice(charge)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            payment = actions.start_card_payment(
                charge, by=Actor.from_request(request), language=(request.LANGUAGE_CODE or "en")[:2]
            )
        except ActionError as exc:
            errors.append(("pay", str(exc)))
        else:
            return _see_other(payment.next_url) if payment.next_url else redirect("payments:pay", reference)
    info = summary(case)
    failure = request.session.pop("payment_failure", "") or (info.last_failure if info else "")
    response = render(
        request,
        "payments/pay.html",
        {
            "case": case,
            "service": case.service,
            "info": info,
            "lines": [
                {"text": line["text"], "amount": pounds(line["pence"])}
                for line in charge.breakdown.get("lines", [])
            ],
            "failure": failure,
            "errors": errors,
            "error_for": dict(errors),
            "card_payments": govuk_pay.configured(),
        },
        status=400 if errors else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def pay_return(request, token):
    """GOV.UK Pay sends the resident back here; the signed token says which payment it was."""
    payment_pk = actions.read_return_token(token)
    payment = (
        Payment.objects.select_related("charge__case").filter(pk=payment_pk).first() if payment_pk else None
    )
    if payment is None:
        return render(request, "portal/link_expired.html", status=404)
    case = payment.charge.case
    _remember(request, case.reference)
    # If GOV.UK Pay cannot be reached now, the webhook or the next check will tell us.
    with contextlib.suppress(govuk_pay.PayError):
        payment = actions.refresh(payment, source="return")
    if payment.method == Payment.Method.MOTO:  # staff took it by phone: back to the staff page
        return redirect("payments:staff_case", reference=case.reference)
    if payment.state == Payment.State.SUCCESS:
        last = request.session.get("last_submitted") or {}
        if last.get("reference") == case.reference:
            return redirect("portal:confirmation", code=case.service.code)
        return redirect("payments:paid", reference=case.reference)
    if payment.state in Payment.FINISHED:
        from .queries import failure_text

        request.session["payment_failure"] = failure_text(payment)
    return redirect("payments:pay", reference=case.reference)


def paid(request, reference):
    """A confirmation for a payment made from the tracking page (not straight after the form)."""
    case = _case_or_track(request, reference)
    if case is None:
        return redirect("portal:track")
    info = summary(case)
    if info is None:
        raise Http404
    return render(request, "payments/paid.html", {"case": case, "service": case.service, "info": info})


@csrf_exempt
@require_POST
def webhook(request):
    """GOV.UK Pay's webhook: only a correctly signed message is read; each is applied once."""
    try:
        outcome = actions.handle_webhook(request.body, request.headers.get("Pay-Signature", ""))
    except ActionError as exc:
        if str(exc) == "bad signature":
            return HttpResponse("bad signature", status=401, content_type="text/plain")
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    except govuk_pay.PayError:
        return HttpResponse("try again", status=503, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")


# --- Staff ---------------------------------------------------------------------------------------


def _staff_case(request, reference) -> Case:
    case = Case.objects.select_related("service", "team").filter(reference=reference).first()
    if case is None or not can_see_case(request.user, case):
        raise Http404
    return case


STAFF_ACTIONS = {"moto", "record", "refund", "approve", "reject", "waive"}


@staff_required
@require_http_methods(["GET", "POST"])
def staff_case(request, reference):
    case = _staff_case(request, reference)
    charge = actions.open_charge(case, by=request.user)
    if charge is None:
        raise Http404
    errors: list[tuple[str, str]] = []
    raw = {k: (request.POST.get(k) or "")[:2000] for k in request.POST} if request.method == "POST" else {}
    if request.method == "POST":
        action = raw.get("action", "")
        by = Actor.from_request(request)
        try:
            if action == "moto":
                payment = actions.start_card_payment(charge, by=by, moto=True)
                return _see_other(payment.next_url)
            if action == "record":
                amount = to_pence(raw.get("amount", "").replace("£", "").strip())
                if amount is None:
                    raise ActionError("Enter the amount in pounds, like 45.00")
                actions.record_payment(
                    charge, amount=amount, method=raw.get("method", ""), note=raw.get("note", ""), by=by
                )
            elif action == "refund":
                payment = get_object_or_404(Payment, pk=raw.get("payment") or 0, charge=charge)
                amount = to_pence(raw.get("refund_amount", "").replace("£", "").strip())
                if amount is None:
                    raise ActionError("Enter the amount to refund in pounds, like 15.00")
                actions.request_refund(payment, amount=amount, reason=raw.get("reason", ""), by=by)
            elif action in {"approve", "reject"}:
                refund = get_object_or_404(Refund, pk=raw.get("refund") or 0, payment__charge=charge)
                if action == "approve":
                    actions.approve_refund(refund, by=by)
                else:
                    actions.reject_refund(refund, reason=raw.get("reject_reason", ""), by=by)
            elif action == "waive":
                actions.waive(charge, reason=raw.get("waive_reason", ""), by=by)
            else:
                raise ActionError("Choose an action.")
        except ActionError as exc:
            errors.append((ERROR_FIELD.get(action, "actions"), str(exc)))
        except govuk_pay.PayError as exc:
            errors.append((ERROR_FIELD.get(action, "actions"), f"GOV.UK Pay: {exc}"))
        else:
            return redirect("payments:staff_case", reference=reference)
    charge.refresh_from_db()
    payments = list(charge.payments.select_related("taken_by").prefetch_related("refunds"))
    refunds = list(
        Refund.objects.filter(payment__charge=charge).select_related("requested_by", "approved_by")
    )
    return render(
        request,
        "payments/staff/case.html",
        {
            "case": case,
            "charge": charge,
            "info": summary(case),
            "payments": payments,
            "refundable": [p for p in payments if p.state == Payment.State.SUCCESS],
            "refunds": refunds,
            "lines": [
                {"text": line["text"], "amount": pounds(line["pence"])}
                for line in charge.breakdown.get("lines", [])
            ],
            "moto": govuk_pay.configured(moto=True),
            "can_approve": is_manager(request.user),
            "approval_above": pounds(settings.PAYMENTS_REFUND_APPROVAL_ABOVE),
            "events": charge.events.select_related("payment", "refund").order_by("-at", "-id")[:50],
            "errors": errors,
            "error_for": dict(reversed(errors)),
            "raw": raw,
        },
        status=400 if errors else 200,
    )


ERROR_FIELD = {
    "moto": "moto",
    "record": "amount",
    "refund": "refund_amount",
    "approve": "refunds",
    "reject": "refunds",
    "waive": "waive_reason",
}


def _finance_only(request) -> None:
    if not is_finance(request.user):
        raise Http404


@staff_required
@require_http_methods(["GET", "POST"])
def mismatches(request):
    """Reconciliation: each day's run and what did not match, for finance staff to resolve."""
    _finance_only(request)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        mismatch = get_object_or_404(Mismatch, pk=request.POST.get("mismatch") or 0)
        try:
            actions.resolve_mismatch(
                mismatch, resolution=request.POST.get("resolution", "")[:2000], by=Actor.from_request(request)
            )
        except ActionError as exc:
            errors.append((f"resolution-{mismatch.pk}", str(exc)))
        else:
            return redirect("payments:mismatches")
    show = request.GET.get("show", "open")
    rows = Mismatch.objects.select_related("run", "resolved_by")
    if show != "all":
        rows = rows.filter(resolved_at__isnull=True)
    page = Paginator(rows.order_by("-run__date", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/staff/mismatches.html",
        {
            "page": page,
            "show": show,
            "runs": ReconciliationRun.objects.all()[:14],
            "errors": errors,
            "error_for": dict(errors),
        },
        status=400 if errors else 200,
    )


@staff_required
def finance_export(request, day):
    _finance_only(request)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    response = HttpResponse(finance_csv(date), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="finance-{date.isoformat()}.csv"'
    from residenthub.core.actions import audit

    run = ReconciliationRun.objects.filter(date=date).first()
    if run is not None:
        audit(Actor.from_request(request), "payment.finance_exported", run)
    return response


def staff_case_url(case) -> str:
    return reverse("payments:staff_case", args=[case.reference])
