"""What payments answers to the resident journey's hooks (``portal.hooks``, registered in
``PaymentsConfig.ready``): the price on "check your answers", and the payment after the case is
created. The portal sits below payments and never imports it."""

from __future__ import annotations

import logging

from django.urls import reverse

from residenthub.core.actions import ActionError, Actor

from . import actions, govuk_pay
from .fees import pounds
from .models import Charge

logger = logging.getLogger(__name__)


def check_context(service, answers) -> dict:
    """Context for "check your answers": the fee, its lines and whether card payment is possible."""
    priced = actions.quote_for(service, answers)
    if priced is None:
        return {}
    pay_after = ""
    if priced.pay_after and service.workflow.has(priced.pay_after):
        pay_after = service.workflow.status(priced.pay_after).public_label
    return {
        "fee": priced,
        "fee_pay_after": pay_after,
        "fee_lines": [{"text": line.text, "amount": pounds(line.pence)} for line in priced.lines],
        "fee_vat": pounds(priced.vat),
        "card_payments": govuk_pay.configured() and not pay_after,  # "Accept and pay" on the button
    }


def after_submission(request, case) -> str | None:
    """Where the resident goes after the case is created: GOV.UK Pay's page when there is something
    to pay and card payments are set up, our pay page when GOV.UK Pay could not be reached, or
    None (the usual confirmation, which shows the amount and how else to pay)."""
    charge = actions.open_charge(case, by=Actor.from_request(request))
    if charge is None or charge.status != Charge.Status.DUE or not govuk_pay.configured():
        return None
    if not actions.is_payable(charge):
        return None  # paid later, from the tracking page, once the case reaches the fee's status
    if case.channel != "web":
        return None  # staff raising a case for a caller take the payment from the staff pages
    try:
        payment = actions.start_card_payment(
            charge, by=Actor.from_request(request), language=(request.LANGUAGE_CODE or "en")[:2], reuse=True
        )
    except ActionError as exc:
        request.session["payment_failure"] = str(exc)
        return reverse("payments:pay", args=[case.reference])
    return payment.next_url or reverse("payments:pay", args=[case.reference])
