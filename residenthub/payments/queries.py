"""Read helpers: what a case owes and has paid, who may see finance lists, the finance export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q

# Who may see every payment and the mismatches lives with every other access rule.
from residenthub.accounts.permissions import is_finance  # noqa: F401

from .fees import pounds
from .models import Charge, Payment, Refund


def charge_of(case) -> Charge | None:
    try:
        return case.charge
    except Charge.DoesNotExist:
        return None


@dataclass
class Summary:
    """What the resident and staff see: owed, paid, refunded, and the state in words."""

    charge: Charge
    paid: int
    refunded: int
    in_progress: bool
    last_failure: str
    overpaid: bool
    payable: bool = True

    @property
    def label(self) -> str:
        status = self.charge.status
        if status == Charge.Status.NOT_REQUIRED:
            return "No charge"
        if status == Charge.Status.REFUNDED:
            return "Refunded"
        if status == Charge.Status.PAID:
            return "Paid" if not self.refunded else f"Paid, {pounds(self.refunded)} refunded"
        if self.in_progress:
            return "Payment in progress"
        if not self.payable:
            return "Not due yet"
        return "Not paid"

    @property
    def colour(self) -> str:
        return {
            Charge.Status.PAID: "green",
            Charge.Status.NOT_REQUIRED: "grey",
            Charge.Status.REFUNDED: "purple",
        }.get(self.charge.status, "yellow" if self.in_progress else "red" if self.payable else "grey")

    @property
    def owed(self) -> int:
        return max(self.charge.amount - self.paid, 0) if self.charge.status == Charge.Status.DUE else 0


def is_payable(charge) -> bool:
    from .actions import is_payable as payable

    return payable(charge)


def summary(case) -> Summary | None:
    charge = charge_of(case)
    if charge is None:
        return None
    payments = list(charge.payments.all())
    paid = sum(p.amount for p in payments if p.state == Payment.State.SUCCESS)
    refunded = sum(r.amount for r in Refund.objects.filter(payment__charge=charge, status__in=Refund.COUNTS))
    failed = next(
        (
            p
            for p in payments
            if p.state in {Payment.State.FAILED, Payment.State.CANCELLED, Payment.State.ERROR}
        ),
        None,
    )
    return Summary(
        charge=charge,
        paid=paid,
        refunded=refunded,
        in_progress=any(p.state in Payment.IN_FLIGHT for p in payments),
        last_failure=failure_text(failed) if failed and payments[0] == failed else "",
        overpaid=sum(1 for p in payments if p.state == Payment.State.SUCCESS and p.is_card) > 1,
        payable=is_payable(charge),
    )


FAILURES = {
    "P0010": "Your payment was declined. No money has been taken.",
    "P0020": "Your payment session timed out. No money has been taken.",
    "P0030": "You cancelled the payment. No money has been taken.",
    "P0040": "The payment was cancelled. No money has been taken.",
    "P0050": "There was a problem with the payment service. No money has been taken.",
}


def failure_text(payment: Payment) -> str:
    return FAILURES.get(payment.failure_code, "Your payment did not go through. No money has been taken.")


EXPORT_COLUMNS = [
    "date",
    "kind",
    "case_reference",
    "service",
    "ledger_code",
    "method",
    "provider_id",
    "amount",
    "vat",
    "net",
    "reconciled",
]


def finance_rows(day: dt.date) -> list[dict]:
    """The day's money for the finance system: card payments and refunds GOV.UK Pay settled that day,
    and payments and refunds staff recorded that day, each with its ledger code. No personal data.
    Read as plain values (no model instances, no JSON columns): a day can hold thousands of rows."""
    card_methods = [Payment.Method.ONLINE, Payment.Method.MOTO]
    fields = ["id", "amount", "method", "provider_id", "settled_date"]
    charge = [
        "charge__amount",
        "charge__vat",
        "charge__ledger_code",
        "charge__case__reference",
        "charge__case__service__code",
    ]
    rows = []
    payments = (
        Payment.objects.filter(
            Q(settled_date=day) | (Q(created_at__date=day) & ~Q(method__in=card_methods)),
            state=Payment.State.SUCCESS,
        )
        .order_by("id")
        .values(*fields, *charge)
    )
    for p in payments:
        vat = p["charge__vat"] * p["amount"] // p["charge__amount"] if p["charge__amount"] else 0
        is_card = p["method"] in card_methods
        rows.append(
            _row(
                day,
                "payment",
                p,
                "charge__",
                p["provider_id"] or f"hub-{p['id']}",
                p["amount"],
                vat,
                bool(p["settled_date"]) or not is_card,
            )
        )
    refunds = (
        Refund.objects.filter(
            Q(settled_date=day) | (Q(status=Refund.Status.RECORDED) & Q(decided_at__date=day))
        )
        .order_by("id")
        .values(
            "id",
            "amount",
            "status",
            "provider_id",
            "settled_date",
            "payment__method",
            *[f"payment__{c}" for c in charge],
        )
    )
    for r in refunds:
        total = r["payment__charge__amount"]
        vat = r["payment__charge__vat"] * r["amount"] // total if total else 0
        rows.append(
            _row(
                day,
                "refund",
                r,
                "payment__charge__",
                r["provider_id"] or f"hub-r{r['id']}",
                -r["amount"],
                -vat,
                bool(r["settled_date"]) or r["status"] == Refund.Status.RECORDED,
                method=r["payment__method"],
            )
        )
    return rows


def _row(day, kind, values, prefix, provider_id, amount, vat, reconciled, method=None) -> dict:
    return {
        "date": day.isoformat(),
        "kind": kind,
        "case_reference": values[f"{prefix}case__reference"],
        "service": values[f"{prefix}case__service__code"],
        "ledger_code": values[f"{prefix}ledger_code"],
        "method": method or values["method"],
        "provider_id": provider_id,
        "amount": f"{amount / 100:.2f}",
        "vat": f"{vat / 100:.2f}",
        "net": f"{(amount - vat) / 100:.2f}",
        "reconciled": "yes" if reconciled else "no",
    }


def finance_csv(day: dt.date) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(finance_rows(day))
    return buffer.getvalue()
