"""The only writers of fees, charges, payments, refunds and reconciliation.

Rules that keep money right (docs/adr/0110-payments.md):

- A case is created first, then its charge; a payment is always for an existing case, so there
  is never a payment without a case.
- A charge has at most one card payment in flight. A new attempt is made only after the last one
  has finished, or GOV.UK Pay has cancelled it for us; the attempt's ``Idempotency-Key`` is written
  before GOV.UK Pay is called, so a timeout retried creates nothing new. Nothing is charged twice.
- A finished state never goes back (a late or repeated webhook cannot undo a success), and every
  change is one row in the append-only ``PaymentEvent`` ledger, with the audit entry beside it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from residenthub.accounts.queries import can_see_case, is_manager
from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case
from residenthub.cases.tracking import forget_track_page
from residenthub.core.actions import ActionError, Actor, after_commit, as_actor, audit, require_staff

from . import govuk_pay, receipts
from .fees import pounds, quote
from .models import (
    Charge,
    Mismatch,
    Payment,
    PaymentEvent,
    ReconciliationRun,
    Refund,
    ServiceFee,
)

logger = logging.getLogger(__name__)
RETURN_SALT = "residenthub.payments.return"
OFFLINE_METHODS = {Payment.Method.CASH, Payment.Method.CHEQUE, Payment.Method.OTHER}
PAY_STATES = {s.value for s in Payment.State} - {Payment.State.CREATING}


# --- Fees from the catalogue ---------------------------------------------------------------------


def sync_fees(services: list[dict[str, Any]]) -> int:
    """Store the validated ``fee`` blocks of a loaded catalogue (called by ``services.actions``).

    Charges already made keep their own amounts and ledger codes, so changing a fee never changes
    what an existing case owes.
    """
    from residenthub.services.models import Service

    ids = dict(Service.objects.filter(code__in=[s["code"] for s in services]).values_list("code", "pk"))
    with_fee = []
    for raw in services:
        fee = raw.get("fee")
        if fee is not None and raw["code"] in ids:
            ServiceFee.objects.update_or_create(service_id=ids[raw["code"]], defaults={"definition": fee})
            with_fee.append(ids[raw["code"]])
    ServiceFee.objects.exclude(service_id__in=with_fee).delete()
    return len(with_fee)


def fee_of(service) -> dict[str, Any] | None:
    try:
        return service.fee.definition
    except ServiceFee.DoesNotExist:
        return None


def record_sources_of(case: Case) -> set[str]:
    """Slugs of the sources holding records of the person this case is linked to (resident view)."""
    try:
        from residenthub.identity.models import SourceRecord

        link = case.identity_link
    except Exception:  # no link yet, or no resident view installed
        return set()
    if not link.person_id or link.status != "linked":
        return set()
    return set(
        SourceRecord.objects.filter(link__person_id=link.person_id, removed=False).values_list(
            "source__slug", flat=True
        )
    )


def quote_for(service, answers: dict[str, Any], case: Case | None = None):
    """The price of ``answers`` for ``service``, or None when the service has no fee."""
    fee = fee_of(service)
    if fee is None:
        return None
    sources = record_sources_of(case) if case is not None else set()
    return quote(fee, answers, service_name=service.name, record_sources=sources)


def is_payable(charge: Charge) -> bool:
    """Whether the resident may pay now: always, unless the fee is due only from a workflow status
    (``pay_after``, e.g. a Blue Badge is paid for once approved) the case has not reached yet."""
    status = charge.breakdown.get("pay_after") or ""
    if not status:
        return True
    case = charge.case
    return case.status == status or case.events.filter(to_status=status).exists()


# --- The ledger ----------------------------------------------------------------------------------


def _event(charge: Charge, kind: str, *, payment=None, refund=None, amount=0, source="system", **detail):
    return PaymentEvent.objects.create(
        charge=charge, payment=payment, refund=refund, kind=kind, amount=amount, source=source, detail=detail
    )


def _settle_status(charge: Charge) -> str:
    """Paid, refunded or due, from the payments and refunds themselves (never a running total)."""
    if charge.amount == 0:
        return Charge.Status.NOT_REQUIRED
    payments = list(charge.payments.filter(state=Payment.State.SUCCESS))
    paid = sum(p.amount for p in payments)
    refunded = sum(r.amount for r in Refund.objects.filter(payment__charge=charge, status__in=Refund.COUNTS))
    if paid and refunded >= paid:
        return Charge.Status.REFUNDED
    if paid >= charge.amount:
        return Charge.Status.PAID
    return Charge.Status.DUE


def _restatus(charge: Charge, *, by, source: str) -> bool:
    """Recompute the charge's status; on becoming paid, queue the receipt. True when it changed."""
    status = _settle_status(charge)
    if status == charge.status:
        return False
    became_paid = status == Charge.Status.PAID and charge.status == Charge.Status.DUE
    Charge.objects.filter(pk=charge.pk).update(
        status=status,
        paid_at=timezone.now() if became_paid else charge.paid_at,
        version=charge.version + 1,
        updated_at=timezone.now(),
    )
    charge.refresh_from_db()
    _event(charge, f"charge.{status}", source=source)
    reference = charge.case.reference
    forget_track_page(reference)
    after_commit(lambda: forget_track_page(reference))
    if became_paid:
        receipts.paid(charge)
    return True


def _lock_charge(charge: Charge) -> Charge:
    return Charge.objects.select_for_update().select_related("case", "case__service").get(pk=charge.pk)


# --- Charges -------------------------------------------------------------------------------------


def open_charge(case: Case, *, by=None) -> Charge | None:
    """The charge for ``case`` (made once, from its answers), or None when its service is free.

    Safe to call any number of times, from any number of processes: the first call makes it.
    """
    existing = Charge.objects.filter(case=case).first()
    if existing is not None:
        return existing
    priced = quote_for(case.service, case.answers, case)
    if priced is None:
        return None
    actor = as_actor(by)
    try:
        with transaction.atomic():
            charge = Charge.objects.create(
                case=case,
                amount=priced.total,
                vat=priced.vat,
                ledger_code=priced.ledger_code,
                description=priced.description,
                breakdown=priced.as_json(),
                status=Charge.Status.NOT_REQUIRED if priced.total == 0 else Charge.Status.DUE,
            )
            _event(charge, "charge.opened", amount=priced.total, concession=priced.concession)
            audit(actor, "payment.charge_opened", charge, amount=priced.total, concession=priced.concession)
            return charge
    except IntegrityError:
        return Charge.objects.get(case=case)


def reprice(charge: Charge, *, by=None) -> Charge:
    """Price an untouched charge again: a concession evidenced by a record linked since (the resident
    view links a case a moment after it is made) lowers it. Never raises a price, never after a payment."""
    if charge.status != Charge.Status.DUE or charge.payments.exists():
        return charge
    case = charge.case
    priced = quote_for(case.service, case.answers, case)
    if priced is None or priced.total >= charge.amount:
        return charge
    with transaction.atomic():
        locked = _lock_charge(charge)
        if locked.payments.exists() or locked.status != Charge.Status.DUE:
            return locked
        Charge.objects.filter(pk=locked.pk).update(
            amount=priced.total,
            vat=priced.vat,
            breakdown=priced.as_json(),
            status=Charge.Status.NOT_REQUIRED if priced.total == 0 else Charge.Status.DUE,
            version=locked.version + 1,
        )
        _event(locked, "charge.repriced", amount=priced.total - locked.amount, concession=priced.concession)
        audit(
            as_actor(by), "payment.charge_repriced", locked, amount=priced.total, concession=priced.concession
        )
        locked.refresh_from_db()
    forget_track_page(case.reference)
    return locked


# --- Card payments through GOV.UK Pay ------------------------------------------------------------


def return_url(payment: Payment) -> str:
    """The signed state GOV.UK Pay sends the resident back with: which attempt this was.

    No timestamp in it, so the same attempt always has the same URL: a retried create with the
    same Idempotency-Key must send the same body. It only ever leads to a status check.
    """
    token = signing.Signer(salt=RETURN_SALT).sign(str(payment.pk))
    return settings.SITE_URL + reverse("payments:return", args=[token])


def read_return_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=RETURN_SALT).unsign(token))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def apply_state(payment: Payment, state: govuk_pay.PayState, *, source: str, by=None) -> Payment:
    """Record what GOV.UK Pay says about ``payment``. Finished states never change again."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("charge__case").get(pk=payment.pk)
        charge = payment.charge
        fields: dict[str, Any] = {"checked_at": timezone.now()}
        if state.payment_id and not payment.provider_id:
            fields["provider_id"] = state.payment_id
        if state.next_url and not payment.next_url:
            fields["next_url"] = state.next_url
        if state.refund_available is not None:
            fields["refund_available"] = state.refund_available
        if state.settled_date and not payment.settled_date:
            fields["settled_date"] = dt.date.fromisoformat(state.settled_date[:10])
        new = state.status if state.status in PAY_STATES else payment.state
        changed = False
        money_taken = new == Payment.State.SUCCESS and payment.state != Payment.State.SUCCESS
        if payment.state in Payment.FINISHED and new != payment.state and not money_taken:
            if new in Payment.FINISHED:
                logger.warning("payment %s: GOV.UK Pay says %s after %s", payment.pk, new, payment.state)
        elif new != payment.state:
            # Forward only; the one exception is GOV.UK Pay saying it took the money after all,
            # which always wins (never a payment taken but not recorded).
            fields["state"] = new
            changed = True
            if new == Payment.State.SUCCESS:
                fields["succeeded_at"] = timezone.now()
            if new in {Payment.State.FAILED, Payment.State.CANCELLED, Payment.State.ERROR}:
                fields["failure_code"] = state.code[:10]
                fields["failure_message"] = state.message[:255]
        Payment.objects.filter(pk=payment.pk).update(**fields, updated_at=timezone.now())
        payment.refresh_from_db()
        if changed:
            reference = charge.case.reference
            forget_track_page(reference)
            after_commit(lambda: forget_track_page(reference))
            amount = payment.amount if new == Payment.State.SUCCESS else 0
            _event(charge, f"payment.{new}", payment=payment, amount=amount, source=source, code=state.code)
            audit(as_actor(by) if by else Actor.system(source), f"payment.{new}", payment, code=state.code)
            if new == Payment.State.SUCCESS:
                charge = _lock_charge(charge)
                others = charge.payments.filter(state=Payment.State.SUCCESS).exclude(pk=payment.pk)
                if others.exists():
                    _event(charge, "charge.overpaid", payment=payment, amount=payment.amount, source=source)
                _restatus(charge, by=by, source=source)
                case_actions.add_internal_note(
                    charge.case,
                    f"Payment received: {payment.amount_display} ({payment.get_method_display()}).",
                    by=by if as_actor(by).staff else None,
                )
        return payment


def refresh(payment: Payment, *, source: str = "check", by=None) -> Payment:
    """Ask GOV.UK Pay where ``payment`` stands and record it."""
    if not payment.provider_id:
        return payment
    state = govuk_pay.get_payment(payment.provider_id, moto=payment.method == Payment.Method.MOTO)
    return apply_state(payment, state, source=source, by=by)


def _cancel_at_pay(payment: Payment) -> None:
    govuk_pay._call(
        "POST",
        f"/v1/payments/{payment.provider_id}/cancel",
        moto=payment.method == Payment.Method.MOTO,
    )


def start_card_payment(
    charge: Charge, *, by, moto: bool = False, language: str = "en", reuse: bool = False
) -> Payment:
    """A card payment for what ``charge`` still owes: GOV.UK Pay's page is at ``payment.next_url``.

    An unfinished earlier attempt is checked first, and cancelled at GOV.UK Pay if it was never
    completed; if it cannot be cancelled (the card is being authorised) nothing new is started.
    With ``reuse`` (a form submitted twice) an attempt nobody has opened yet is handed out again.
    """
    actor = as_actor(by)
    if moto:
        require_staff(actor, "Only staff can take a payment by phone.")
    elif not actor.staff and not is_payable(charge):
        raise ActionError("You cannot pay for this yet. We will tell you when you can.")
    if not govuk_pay.configured(moto=moto):
        raise ActionError("Card payments are not set up. Record a payment made another way instead.")
    method = Payment.Method.MOTO if moto else Payment.Method.ONLINE
    charge = reprice(charge, by=by)
    for _round in range(4):
        with transaction.atomic():
            locked = _lock_charge(charge)
            if locked.status != Charge.Status.DUE:
                raise ActionError(
                    "This has already been paid."
                    if locked.status == Charge.Status.PAID
                    else "Nothing is owed."
                )
            paid = sum(locked.payments.filter(state=Payment.State.SUCCESS).values_list("amount", flat=True))
            owed = locked.amount - paid
            if owed <= 0:
                raise ActionError("This has already been paid.")
            current = locked.payments.filter(
                state__in=Payment.IN_FLIGHT, method__in=[Payment.Method.ONLINE, Payment.Method.MOTO]
            ).first()
            if current is not None and current.state == Payment.State.CREATING and current.amount != owed:
                # Never shown to anyone (GOV.UK Pay did not answer), and now for the wrong amount
                # (part was paid another way since): abandon it rather than send its old body again.
                Payment.objects.filter(pk=current.pk).update(
                    state=Payment.State.ERROR, failure_message="Superseded: the amount owed changed"
                )
                _event(locked, "payment.error", payment=current, source="retry", superseded=True)
                current = None
            if current is None:
                Charge.objects.filter(pk=locked.pk).update(attempts=locked.attempts + 1)
                current = Payment.objects.create(
                    charge=locked,
                    method=method,
                    amount=owed,
                    state=Payment.State.CREATING,
                    idempotency_key=f"{locked.case.reference}-{locked.attempts + 1}",
                    taken_by=actor.staff,
                )
                _event(
                    locked,
                    "payment.creating",
                    payment=current,
                    amount=0,
                    source="resident" if not actor.staff else "staff",
                )
                audit(actor, "payment.started", current, method=method, amount=current.amount)
        if current.state == Payment.State.CREATING:
            if current.method != method:
                raise ActionError("Another kind of card payment is being started. Try again in a minute.")
            try:
                state = govuk_pay.create_payment(
                    amount=current.amount,
                    reference=locked.case.reference,
                    description=locked.description,
                    return_url=return_url(current),
                    idempotency_key=current.idempotency_key,
                    metadata={"ledger_code": locked.ledger_code, "service": locked.case.service.code},
                    language=language,
                    moto=moto,
                )
            except govuk_pay.PayError as exc:
                if exc.transient:
                    raise ActionError(
                        "We could not reach the payment service. No money has been taken. Try again."
                    ) from exc
                apply_state(
                    current,
                    govuk_pay.PayState(
                        current.provider_id or "", "error", True, current.amount, "", exc.code, str(exc)[:255]
                    ),
                    source="create",
                )
                raise ActionError(
                    "The payment service refused the payment. Record a payment another way."
                ) from exc
            return apply_state(current, state, source="create", by=by)
        # An earlier attempt is unfinished: where is it really?
        try:
            current = refresh(current, source="retry", by=by)
        except govuk_pay.PayError as exc:
            raise ActionError("We could not reach the payment service. Try again in a few minutes.") from exc
        if current.state in Payment.FINISHED:
            continue
        if reuse and current.state == Payment.State.CREATED and current.next_url and current.method == method:
            return current
        if current.state in {Payment.State.CREATED, Payment.State.STARTED} or (
            current.state == Payment.State.SUBMITTED
        ):
            try:
                _cancel_at_pay(current)
            except govuk_pay.PayError:
                current = refresh(current, source="retry", by=by)
                if current.state in Payment.FINISHED:
                    continue
                raise ActionError(
                    "A payment for this request is being processed. Check again in a few minutes."
                ) from None
            current = refresh(current, source="retry", by=by)
            if current.state not in Payment.FINISHED:
                apply_state(
                    current,
                    govuk_pay.PayState(
                        current.provider_id,
                        "cancelled",
                        True,
                        current.amount,
                        "",
                        "P0040",
                        "Cancelled by the council to start again",
                    ),
                    source="retry",
                    by=by,
                )
            continue
        raise ActionError("A payment for this request is being processed. Check again in a few minutes.")
    raise ActionError("We could not start the payment. Try again in a few minutes.")


def handle_webhook(body: bytes, signature: str) -> str:
    """A webhook message from GOV.UK Pay: checked, recorded once, applied. Returns what happened."""
    import json

    if not govuk_pay.signature_ok(body, signature):
        raise ActionError("bad signature")
    try:
        message = json.loads(body)
        resource = message.get("resource") or {}
        message_id = str(message["webhook_message_id"])
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        raise ActionError("not a GOV.UK Pay webhook message") from exc
    resource_type = message.get("resource_type", "payment")
    if resource_type == "refund":
        refund = Refund.objects.filter(provider_id=str(resource.get("refund_id", ""))).first()
        if refund is None:
            return "unknown refund"
        return (
            "duplicate"
            if not _refund_state(refund, resource, source="webhook", webhook_id=message_id)
            else "ok"
        )
    payment = Payment.objects.filter(
        provider_id=str(message.get("resource_id") or resource.get("payment_id"))
    ).first()
    if payment is None:
        logger.warning("GOV.UK Pay webhook for a payment we do not know (%s)", message.get("event_type"))
        return "unknown payment"
    if PaymentEvent.objects.filter(webhook_id=message_id).exists():
        return "duplicate"
    state = (
        govuk_pay.PayState.from_json(resource)
        if resource.get("state")
        else govuk_pay.get_payment(payment.provider_id, moto=payment.method == Payment.Method.MOTO)
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                PaymentEvent.objects.create(
                    charge_id=payment.charge_id,
                    payment=payment,
                    kind="webhook",
                    source="webhook",
                    webhook_id=message_id,
                    detail={"event_type": str(message.get("event_type", ""))[:60], "status": state.status},
                )
        except IntegrityError:
            return "duplicate"
        apply_state(payment, state, source="webhook")
    if "refund" in str(message.get("event_type", "")):
        check_refunds(payment)
    return "ok"


def check_refunds(payment: Payment) -> None:
    """Ask GOV.UK Pay about this payment's refunds still submitted (a refund webhook came)."""
    moto = payment.method == Payment.Method.MOTO
    for refund in payment.refunds.filter(status=Refund.Status.SUBMITTED).exclude(provider_id=None):
        try:
            data = govuk_pay.get_refund(payment.provider_id, refund.provider_id, moto=moto)
        except govuk_pay.PayError:
            continue  # the next webhook, the job or reconciliation will tell us
        _refund_state(refund, data, source="webhook")


# --- Staff: payments taken other ways ------------------------------------------------------------


def _staff_for(case: Case, by) -> Any:
    user = require_staff(by)
    if not can_see_case(user, case):
        raise ActionError("You cannot work on this case.")
    return user


def record_payment(charge: Charge, *, amount: int, method: str, note: str, by) -> Payment:
    """Cash at a library, a cheque...: money the council took itself, recorded with where and which."""
    actor = as_actor(by)
    user = _staff_for(charge.case, actor)
    if method not in OFFLINE_METHODS:
        raise ActionError("Choose cash, cheque or other.")
    note = (note or "").strip()
    if not note:
        raise ActionError("Say where the money was taken (for example the library) or the cheque number.")
    with transaction.atomic():
        locked = _lock_charge(charge)
        if locked.status != Charge.Status.DUE:
            raise ActionError("Nothing is owed on this case.")
        if not 0 < amount <= locked.amount:
            raise ActionError(f"Enter an amount from £0.01 to {pounds(locked.amount)}.")
        if locked.payments.filter(state__in=Payment.IN_FLIGHT).exclude(state=Payment.State.CREATING).exists():
            raise ActionError(
                "A card payment for this case is in progress. Check it before recording another."
            )
        payment = Payment.objects.create(
            charge=locked,
            method=method,
            amount=amount,
            state=Payment.State.SUCCESS,
            idempotency_key=f"{locked.case.reference}-offline-{timezone.now():%Y%m%d%H%M%S%f}",
            note=note[:200],
            taken_by=user,
            succeeded_at=timezone.now(),
        )
        _event(locked, "payment.success", payment=payment, amount=amount, source="staff", method=method)
        audit(actor, "payment.recorded", payment, method=method, amount=amount)
        _restatus(locked, by=actor, source="staff")
        case_actions.add_internal_note(
            locked.case,
            f"Payment recorded: {pounds(amount)} ({payment.get_method_display()}, {note}).",
            by=user,
        )
    return payment


def waive(charge: Charge, *, reason: str, by) -> Charge:
    """No charge after all (a concession proven later): the amount owed becomes nothing."""
    actor = as_actor(by)
    user = _staff_for(charge.case, actor)
    if not reason.strip():
        raise ActionError("Say why there is no charge.")
    with transaction.atomic():
        locked = _lock_charge(charge)
        if locked.status != Charge.Status.DUE or locked.payments.filter(state=Payment.State.SUCCESS).exists():
            raise ActionError("Only an unpaid charge can be waived; refund a payment instead.")
        Charge.objects.filter(pk=locked.pk).update(amount=0, vat=0, status=Charge.Status.NOT_REQUIRED)
        _event(locked, "charge.waived", amount=-locked.amount, source="staff", reason=reason.strip()[:300])
        audit(actor, "payment.charge_waived", locked, amount=locked.amount)
        case_actions.add_internal_note(locked.case, f"Charge waived: {reason.strip()}", by=user)
        locked.refresh_from_db()
    return locked


# --- Refunds -------------------------------------------------------------------------------------


def request_refund(payment: Payment, *, amount: int, reason: str, by) -> Refund:
    """Give back part or all of a payment. Above the approval limit a second person must approve."""
    actor = as_actor(by)
    user = _staff_for(payment.charge.case, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ActionError("Give the reason for the refund.")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("charge__case").get(pk=payment.pk)
        if locked.state != Payment.State.SUCCESS:
            raise ActionError("Only a payment that went through can be refunded.")
        pending = sum(
            r.amount
            for r in locked.refunds.filter(status__in=[*Refund.COUNTS, Refund.Status.AWAITING_APPROVAL])
        )
        available = locked.amount - pending
        if not 0 < amount <= available:
            raise ActionError(f"Enter an amount from £0.01 to {pounds(available)}, what is left to refund.")
        needs_approval = amount > settings.PAYMENTS_REFUND_APPROVAL_ABOVE
        refund = Refund.objects.create(
            payment=locked,
            amount=amount,
            reason=reason[:2000],
            status=Refund.Status.AWAITING_APPROVAL,
            idempotency_key=f"{locked.idempotency_key}-r{locked.refunds.count() + 1}",
            requested_by=user,
        )
        _event(locked.charge, "refund.requested", payment=locked, refund=refund, amount=0, source="staff")
        audit(actor, "payment.refund_requested", refund, amount=amount, needs_approval=needs_approval)
    if needs_approval:
        return refund
    return _send_refund(refund, by=actor)


def approve_refund(refund: Refund, *, by) -> Refund:
    actor = as_actor(by)
    user = _staff_for(refund.payment.charge.case, actor)
    if refund.requested_by_id == user.pk:
        raise ActionError("Someone else must approve a refund you asked for.")
    if not is_manager(user):
        raise ActionError("Only a team leader, service manager or administrator can approve refunds.")
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.status != Refund.Status.AWAITING_APPROVAL:
            raise ActionError("This refund is not waiting for approval.")
        Refund.objects.filter(pk=locked.pk).update(approved_by=user, decided_at=timezone.now())
        audit(actor, "payment.refund_approved", locked, amount=locked.amount)
    locked.refresh_from_db()
    return _send_refund(locked, by=actor)


def reject_refund(refund: Refund, *, reason: str, by) -> Refund:
    actor = as_actor(by)
    user = _staff_for(refund.payment.charge.case, actor)
    if not is_manager(user) or refund.requested_by_id == user.pk:
        raise ActionError("Only another team leader, service manager or administrator can decide this.")
    with transaction.atomic():
        locked = Refund.objects.select_for_update().select_related("payment__charge").get(pk=refund.pk)
        if locked.status != Refund.Status.AWAITING_APPROVAL:
            raise ActionError("This refund is not waiting for approval.")
        Refund.objects.filter(pk=locked.pk).update(
            status=Refund.Status.REJECTED,
            approved_by=user,
            decided_at=timezone.now(),
            failure_message=(reason or "Not approved").strip()[:255],
        )
        _event(
            locked.payment.charge, "refund.rejected", payment=locked.payment, refund=locked, source="staff"
        )
        audit(actor, "payment.refund_rejected", locked)
    locked.refresh_from_db()
    return locked


def _send_refund(refund: Refund, *, by) -> Refund:
    """Card payments are refunded through GOV.UK Pay; money taken another way is recorded as returned."""
    payment = refund.payment
    charge = payment.charge
    if not payment.is_card:
        with transaction.atomic():
            Refund.objects.filter(pk=refund.pk).update(
                status=Refund.Status.RECORDED, decided_at=timezone.now()
            )
            refund.refresh_from_db()
            _event(
                charge,
                "refund.recorded",
                payment=payment,
                refund=refund,
                amount=-refund.amount,
                source="staff",
            )
            _after_refund(refund, by=by)
        return refund
    moto = payment.method == Payment.Method.MOTO
    try:
        state = govuk_pay.get_payment(payment.provider_id, moto=moto)
        available = state.refund_available if state.refund_available is not None else payment.amount
        data = govuk_pay.refund(
            payment.provider_id, amount=refund.amount, refund_amount_available=available, moto=moto
        )
    except govuk_pay.PayError as exc:
        with transaction.atomic():
            Refund.objects.filter(pk=refund.pk).update(
                status=Refund.Status.ERROR, failure_message=str(exc)[:255]
            )
            refund.refresh_from_db()
            _event(charge, "refund.error", payment=payment, refund=refund, source="staff", code=exc.code)
            audit(by, "payment.refund_failed", refund, code=exc.code)
        raise ActionError(f"GOV.UK Pay did not make the refund: {exc}") from exc
    with transaction.atomic():
        Refund.objects.filter(pk=refund.pk).update(provider_id=str(data.get("refund_id")))
        refund.refresh_from_db()
        _refund_state(refund, data, source="staff", by=by)
    refund.refresh_from_db()
    return refund


def _refund_state(refund: Refund, data: dict, *, source: str, by=None, webhook_id: str | None = None) -> bool:
    """Apply GOV.UK Pay's refund status (submitted, success, error). False for a repeated webhook."""
    status = str(data.get("status", ""))
    with transaction.atomic():
        if webhook_id:
            try:
                with transaction.atomic():
                    PaymentEvent.objects.create(
                        charge_id=refund.payment.charge_id,
                        refund=refund,
                        kind="webhook",
                        source="webhook",
                        webhook_id=webhook_id,
                    )
            except IntegrityError:
                return False
        locked = Refund.objects.select_for_update().select_related("payment__charge__case").get(pk=refund.pk)
        settled = (data.get("settlement_summary") or {}).get("settled_date")
        if settled and not locked.settled_date:
            Refund.objects.filter(pk=locked.pk).update(settled_date=dt.date.fromisoformat(settled[:10]))
        new = {
            "submitted": Refund.Status.SUBMITTED,
            "success": Refund.Status.SUCCESS,
            "error": Refund.Status.ERROR,
        }.get(status)
        if (
            new is None
            or new == locked.status
            or locked.status in {Refund.Status.SUCCESS, Refund.Status.ERROR}
        ):
            return True
        first_time = locked.status not in Refund.COUNTS and new in Refund.COUNTS
        Refund.objects.filter(pk=locked.pk).update(status=new, decided_at=locked.decided_at or timezone.now())
        locked.refresh_from_db()
        amount = -locked.amount if first_time else 0
        _event(
            locked.payment.charge,
            f"refund.{new}",
            payment=locked.payment,
            refund=locked,
            amount=amount,
            source=source,
        )
        audit(
            as_actor(by) if by else Actor.system(source),
            f"payment.refund_{new}",
            locked,
            amount=locked.amount,
        )
        if first_time:
            _after_refund(locked, by=by)
    return True


def _after_refund(refund: Refund, *, by) -> None:
    charge = Charge.objects.select_related("case").get(pk=refund.payment.charge_id)
    _restatus(charge, by=by, source="refund")
    receipts.refunded(charge, refund)
    staff = as_actor(by).staff
    case_actions.add_internal_note(
        charge.case, f"Refund of {refund.amount_display}: {refund.reason}", by=staff
    )


# --- Reconciliation ------------------------------------------------------------------------------


def reconcile(day: dt.date, *, by=None) -> ReconciliationRun:
    """Match GOV.UK Pay's payments and refunds settled on ``day`` with the ledger; list what differs.

    Re-running a day is safe: it refreshes the figures and adds only mismatches not listed yet.
    A payment GOV.UK Pay settled that we still had as unfinished (the resident closed the tab and
    the webhook was lost) is brought up to date here and listed as corrected.
    """
    actor = as_actor(by) if by else Actor.system("payments-reconcile")
    text = day.isoformat()
    provider_payments: list[dict] = []
    provider_refunds: list[dict] = []
    keys = [False, True] if settings.GOVUK_PAY_MOTO_API_KEY else [False]
    for moto in keys:
        provider_payments += govuk_pay.settled_payments(text, moto=moto)
        provider_refunds += govuk_pay.settled_refunds(text, moto=moto)
    # One entry per id, even if two accounts' searches overlapped.
    provider_payments = list({str(p.get("payment_id")): p for p in provider_payments}.values())
    provider_refunds = list({str(r.get("refund_id")): r for r in provider_refunds}.values())
    run, _ = ReconciliationRun.objects.get_or_create(date=day)
    ours = {
        p.provider_id: p
        for p in Payment.objects.filter(provider_id__in=[str(p.get("payment_id")) for p in provider_payments])
    }
    our_refunds = {
        r.provider_id: r
        for r in Refund.objects.filter(
            provider_id__in=[str(r.get("refund_id")) for r in provider_refunds]
        ).select_related("payment")
    }
    matched, problems, total = 0, [], 0
    settle_payments, settle_refunds = [], []
    for item in provider_payments:
        pid = str(item.get("payment_id"))
        amount = int(item.get("amount", 0))
        total += amount
        payment = ours.get(pid)
        if payment is None:
            kind = (
                Mismatch.Kind.NO_CASE
                if not Case.objects.filter(reference=item.get("reference", "")).exists()
                else Mismatch.Kind.UNKNOWN_PAYMENT
            )
            problems.append((kind, pid, item.get("reference", ""), amount, None, "Not in Resident Hub"))
            continue
        if payment.amount != amount:
            problems.append(
                (
                    Mismatch.Kind.AMOUNT,
                    pid,
                    item.get("reference", ""),
                    amount,
                    payment.amount,
                    "GOV.UK Pay's amount differs from ours",
                )
            )
            continue
        if payment.state != Payment.State.SUCCESS:
            apply_state(payment, govuk_pay.PayState.from_json(item), source="reconcile")
            problems.append(
                (
                    Mismatch.Kind.STATE,
                    pid,
                    item.get("reference", ""),
                    amount,
                    payment.amount,
                    f"We had it as {payment.state}; corrected from GOV.UK Pay",
                )
            )
        matched += 1
        settle_payments.append(payment.pk)
    for item in provider_refunds:
        rid = str(item.get("refund_id"))
        amount = int(item.get("amount", 0))
        total -= amount
        refund = our_refunds.get(rid)
        if refund is None:
            problems.append(
                (
                    Mismatch.Kind.UNKNOWN_REFUND,
                    rid,
                    str(item.get("payment_id", "")),
                    amount,
                    None,
                    "Not in Resident Hub",
                )
            )
            continue
        if refund.amount != amount:
            problems.append(
                (
                    Mismatch.Kind.AMOUNT,
                    rid,
                    refund.payment.charge.case.reference,
                    amount,
                    refund.amount,
                    "GOV.UK Pay's refund amount differs from ours",
                )
            )
            continue
        if refund.status != Refund.Status.SUCCESS:
            _refund_state(refund, {"status": "success"}, source="reconcile")
        matched += 1
        settle_refunds.append(refund.pk)
    with transaction.atomic():
        Payment.objects.filter(pk__in=settle_payments, settled_date__isnull=True).update(settled_date=day)
        Refund.objects.filter(pk__in=settle_refunds, settled_date__isnull=True).update(settled_date=day)
        existing = set(run.mismatch_rows.values_list("kind", "provider_id"))
        new_rows = [
            Mismatch(
                run=run,
                kind=kind,
                provider_id=pid,
                reference=str(ref)[:255],
                provider_amount=amount,
                our_amount=our,
                detail=detail,
                resolved_at=timezone.now() if kind == Mismatch.Kind.STATE else None,
                resolution="Corrected automatically from GOV.UK Pay" if kind == Mismatch.Kind.STATE else "",
            )
            for kind, pid, ref, amount, our, detail in problems
            if (kind, pid) not in existing
        ]
        Mismatch.objects.bulk_create(new_rows)
        ReconciliationRun.objects.filter(pk=run.pk).update(
            provider_payments=len(provider_payments),
            provider_refunds=len(provider_refunds),
            matched=matched,
            mismatches=run.mismatch_rows.exclude(kind=Mismatch.Kind.STATE).count(),
            settled_total=total,
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        audit(actor, "payment.reconciled", run, matched=matched, mismatches=run.mismatches)
    return run


def resolve_mismatch(mismatch: Mismatch, *, resolution: str, by) -> Mismatch:
    actor = as_actor(by)
    user = require_staff(actor)
    from .queries import is_finance

    if not is_finance(user):
        raise ActionError("Only finance staff can resolve mismatches.")
    if not resolution.strip():
        raise ActionError("Say how the difference was resolved.")
    with transaction.atomic():
        locked = Mismatch.objects.select_for_update().get(pk=mismatch.pk)
        if locked.resolved_at:
            raise ActionError("This mismatch has already been resolved.")
        Mismatch.objects.filter(pk=locked.pk).update(
            resolved_by=user, resolved_at=timezone.now(), resolution=resolution.strip()[:2000]
        )
        audit(actor, "payment.mismatch_resolved", locked)
    locked.refresh_from_db()
    return locked


def check_unfinished(*, older_than_minutes: int = 5) -> int:
    """Ask GOV.UK Pay about card payments still unfinished (a closed tab, a lost webhook)."""
    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    checked = 0
    for payment in Payment.objects.filter(
        Q(state__in=Payment.IN_FLIGHT) & ~Q(state=Payment.State.CREATING), created_at__lt=cutoff
    ).exclude(provider_id=None)[:500]:
        try:
            refresh(payment, source="job")
            checked += 1
        except govuk_pay.PayError:
            logger.warning("payment %s could not be checked", payment.pk)
    submitted = Payment.objects.filter(
        refunds__status=Refund.Status.SUBMITTED, refunds__created_at__lt=cutoff
    )
    for payment in submitted.distinct()[:500]:
        check_refunds(payment)
    return checked
