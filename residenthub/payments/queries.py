"""Read helpers: what a case owes and has paid, who may see finance lists, the finance export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from residenthub.accounts.queries import team_ids_for

from .fees import pounds
from .models import Charge, Payment, Refund


def is_finance(user) -> bool:
    """Finance staff (members of PAYMENTS_FINANCE_TEAMS) and administrators: every payment, mismatches."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from residenthub.accounts.models import Team

    finance = set(Team.objects.filter(slug__in=settings.PAYMENTS_FINANCE_TEAMS).values_list("pk", flat=True))
    return bool(team_ids_for(user) & finance)


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
    and payments and refunds staff recorded that day, each with its ledger code. No personal data."""
    rows = []
    card = Q(settled_date=day)
    recorded = Q(created_at__date=day) & ~Q(method__in=[Payment.Method.ONLINE, Payment.Method.MOTO])
    payments = (
        Payment.objects.filter(card | recorded, state=Payment.State.SUCCESS)
        .select_related("charge__case__service")
        .order_by("id")
    )
    for p in payments:
        charge = p.charge
        vat = charge.vat * p.amount // charge.amount if charge.amount else 0
        rows.append(
            _row(
                day,
                "payment",
                charge,
                p.method,
                p.provider_id or f"hub-{p.pk}",
                p.amount,
                vat,
                bool(p.settled_date) or not p.is_card,
            )
        )
    refunds = (
        Refund.objects.filter(
            Q(settled_date=day) | (Q(status=Refund.Status.RECORDED) & Q(decided_at__date=day))
        )
        .select_related("payment__charge__case__service")
        .order_by("id")
    )
    for r in refunds:
        charge = r.payment.charge
        vat = charge.vat * r.amount // charge.amount if charge.amount else 0
        rows.append(
            _row(
                day,
                "refund",
                charge,
                r.payment.method,
                r.provider_id or f"hub-r{r.pk}",
                -r.amount,
                -vat,
                bool(r.settled_date) or r.status == Refund.Status.RECORDED,
            )
        )
    return rows


def _row(day, kind, charge, method, provider_id, amount, vat, reconciled) -> dict:
    return {
        "date": day.isoformat(),
        "kind": kind,
        "case_reference": charge.case.reference,
        "service": charge.case.service.code,
        "ledger_code": charge.ledger_code,
        "method": method,
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
