"""Issue 19's "done means", end to end: book, pay, receipt, staff refund, next day's finance file."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from residenthub.payments.models import Charge, Refund

from .helpers import answer_bulky_waste, check_page, latest_case, local_path, pay_on_hosted_page, submit

pytestmark = pytest.mark.django_db


def test_book_pay_refund_reconcile(
    client, catalogue, fake_pay, waste_officer, settings, django_capture_on_commit_callbacks
):
    # A resident books a bulky waste collection for 3 items and sees the price before sending.
    answer_bulky_waste(client, items=3, email="resident@example.com")
    assert "£45" in check_page(client).content.decode()
    response, _key = submit(client)

    # They pay £45 on the (local) GOV.UK Pay page and come back to the confirmation.
    back = pay_on_hosted_page(response["Location"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmation = client.get(local_path(back), follow=True)
    case = latest_case()
    html = confirmation.content.decode()
    assert "Request sent" in html and case.reference in html and "Paid" in html
    receipt = next(m for m in mail.outbox if m.subject == f"Payment received for {case.reference}")
    assert receipt.to == ["resident@example.com"] and "£45" in receipt.body

    # Staff see the case as paid, and refund one item with a reason.
    staff = Client()
    staff.force_login(waste_officer)
    page = staff.get(f"/staff/cases/{case.reference}/").content.decode()
    assert ">Paid<" in page
    payment = case.charge.payments.get(state="success")
    with django_capture_on_commit_callbacks(execute=True):
        refunded = staff.post(
            f"/staff/payments/cases/{case.reference}/",
            {
                "action": "refund",
                "payment": payment.pk,
                "refund_amount": "15.00",
                "reason": "Only two items were put out",
            },
        )
    assert refunded.status_code == 302
    refund = Refund.objects.get(payment=payment)
    assert refund.amount == 1500 and refund.status == Refund.Status.SUBMITTED
    assert any(m.subject == f"Refund for {case.reference}" for m in mail.outbox)
    case.charge.refresh_from_db()
    assert case.charge.status == Charge.Status.PAID
    assert "Paid, £15 refunded" in staff.get(f"/staff/cases/{case.reference}/").content.decode()

    # The next day GOV.UK Pay settles both; the reconciliation's CSV lists both, with the ledger code.
    next_day = timezone.localdate() + dt.timedelta(days=1)
    fake_pay.settle(next_day)
    call_command("payments", "reconcile", "--date", next_day.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    rows = list(csv.DictReader((settings.PAYMENTS_EXPORT_DIR / f"finance-{next_day}.csv").open()))
    assert [
        (r["kind"], r["case_reference"], r["amount"], r["ledger_code"], r["reconciled"]) for r in rows
    ] == [
        ("payment", case.reference, "45.00", "GF-WST410", "yes"),
        ("refund", case.reference, "-15.00", "GF-WST410", "yes"),
    ]
