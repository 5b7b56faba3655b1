"""Reconciliation against GOV.UK Pay's settled payments and refunds, and the finance CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from residenthub.cases.models import Case
from residenthub.payments import actions
from residenthub.payments.models import Charge, Mismatch, Payment, ReconciliationRun, Refund
from residenthub.services.models import Service

pytestmark = pytest.mark.django_db
MONTH = [dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(31)]


def make_month(fake_pay, staff, *, payments: int, refunds: int, seed: int = 19):
    """A generated month: ``payments`` card payments and ``refunds`` refunds, settled at GOV.UK Pay
    on days through October, each known to Resident Hub exactly as GOV.UK Pay has it."""
    rng = random.Random(seed)
    service = Service.objects.get(code="bulky-waste")
    now = timezone.now()
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"GEN-{i:06d}",
                service=service,
                status="received",
                due_date=now.date(),
                team_id=service.team_id,
                answers={"item_count": 1},
            )
            for i in range(payments)
        ],
        batch_size=2000,
    )
    amounts = [rng.choice([1500, 3000, 4500, 6000, 7500]) for _ in cases]
    charges = Charge.objects.bulk_create(
        [
            Charge(
                case=c,
                amount=a,
                ledger_code="GF-WST410",
                description="Bulky waste collection",
                status=Charge.Status.PAID,
            )
            for c, a in zip(cases, amounts, strict=True)
        ],
        batch_size=2000,
    )
    rows, days = [], []
    for i, (charge, amount) in enumerate(zip(charges, amounts, strict=True)):
        day = rng.choice(MONTH)
        provider = fake_pay.add_settled(amount=amount, reference=charge.case.reference, day=day)
        rows.append(
            Payment(
                charge=charge,
                method="online",
                amount=amount,
                state="success",
                provider_id=provider["payment_id"],
                idempotency_key=f"gen-{i}",
            )
        )
        days.append(day)
    local = Payment.objects.bulk_create(rows, batch_size=2000)
    refund_rows = []
    for j, index in enumerate(rng.sample(range(payments), refunds)):
        payment = local[index]
        amount = rng.choice([1500, payment.amount])
        day = min(days[index] + dt.timedelta(days=rng.randint(0, 5)), MONTH[-1])
        provider = fake_pay.add_settled_refund(payment.provider_id, amount=amount, day=day)
        refund_rows.append(
            Refund(
                payment=payment,
                amount=amount,
                reason="generated",
                status="success",
                provider_id=provider["refund_id"],
                idempotency_key=f"gen-r{j}",
                requested_by=staff,
            )
        )
    Refund.objects.bulk_create(refund_rows, batch_size=2000)
    return local


def test_a_month_of_10000_payments_and_refunds_matches_in_full_with_mismatches_listed(
    fake_pay, catalogue, waste_officer
):
    local = make_month(fake_pay, waste_officer, payments=9000, refunds=1000)
    # What goes wrong in a real month, planted on purpose:
    day = MONTH[10]
    unknown = [fake_pay.add_settled(amount=2000, reference=f"DBC-NONE-{i}", day=day) for i in range(5)]
    for payment in local[:3]:  # GOV.UK Pay settled a different amount than we recorded
        fake_pay.payments[payment.provider_id]["amount"] += 100
    fake_pay.add_settled_refund(unknown[0]["payment_id"], amount=500, day=day)
    fake_pay.add_settled_refund(local[5].provider_id, amount=700, day=day)
    for payment in local[10:14]:  # the resident closed the tab and the webhook was lost
        Payment.objects.filter(pk=payment.pk).update(state="started")
        Charge.objects.filter(pk=payment.charge_id).update(status="due")

    runs = [actions.reconcile(d) for d in MONTH]

    provider_items = sum(r.provider_payments + r.provider_refunds for r in runs)
    assert provider_items == 9000 + 1000 + 5 + 2
    assert sum(r.matched for r in runs) == 10_000 - 3  # every generated item but the 3 wrong amounts
    open_rows = Mismatch.objects.filter(resolved_at__isnull=True)
    assert open_rows.filter(kind=Mismatch.Kind.NO_CASE).count() == 5
    assert open_rows.filter(kind=Mismatch.Kind.AMOUNT).count() == 3
    assert open_rows.filter(kind=Mismatch.Kind.UNKNOWN_REFUND).count() == 2
    assert open_rows.count() == 10 and sum(r.mismatches for r in runs) == 10
    corrected = Mismatch.objects.filter(kind=Mismatch.Kind.STATE)
    assert corrected.count() == 4 and all(m.resolved_at for m in corrected)
    assert Charge.objects.filter(pk__in=[p.charge_id for p in local[10:14]], status="paid").count() == 4
    assert Payment.objects.filter(settled_date__isnull=True, state="success").count() == 3
    # Running a day again adds nothing new.
    again = actions.reconcile(day)
    assert again.mismatches == ReconciliationRun.objects.get(date=day).mismatches
    assert Mismatch.objects.count() == 14


def test_reconcile_command_writes_the_finance_csv(fake_pay, catalogue, waste_officer, tmp_path, settings):
    local = make_month(fake_pay, waste_officer, payments=20, refunds=4)
    day = MONTH[3]
    out = io.StringIO()
    call_command("payments", "reconcile", "--date", day.isoformat(), stdout=out)
    assert "matched, 0 mismatches" in out.getvalue()
    rows = list(csv.DictReader((settings.PAYMENTS_EXPORT_DIR / f"finance-{day}.csv").open()))
    expected = [
        p for p in local if fake_pay.payments[p.provider_id]["settlement_summary"]["settled_date"] == str(day)
    ]
    assert len([r for r in rows if r["kind"] == "payment"]) == len(expected)
    assert {r["ledger_code"] for r in rows} <= {"GF-WST410"} and all(r["reconciled"] == "yes" for r in rows)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("payments", "reconcile", "--date", "26/11/2026")


def test_reconcile_without_a_key_says_so(no_pay, db):
    with pytest.raises(CommandError, match="GOVUK_PAY_API_KEY"):
        call_command("payments", "reconcile", "--date", "2026-11-25")


def test_resolving_a_mismatch(client, fake_pay, catalogue, finance_officer, waste_officer):
    fake_pay.add_settled(amount=2000, reference="DBC-NONE-1", day=MONTH[0])
    actions.reconcile(MONTH[0])
    mismatch = Mismatch.objects.get()
    client.force_login(finance_officer)
    page = client.get("/staff/payments/mismatches/").content.decode()
    assert mismatch.provider_id in page
    empty = client.post("/staff/payments/mismatches/", {"mismatch": mismatch.pk, "resolution": ""})
    assert empty.status_code == 400 and "Say how the difference was resolved" in empty.content.decode()
    done = client.post(
        "/staff/payments/mismatches/", {"mismatch": mismatch.pk, "resolution": "Paid at a kiosk"}
    )
    assert done.status_code == 302
    mismatch.refresh_from_db()
    assert mismatch.resolved_by == finance_officer
    with pytest.raises(actions.ActionError):
        actions.resolve_mismatch(mismatch, resolution="again", by=waste_officer)
