"""Payments benchmark: reconciling a generated month of card payments and refunds, beside a baseline.

Run it with the project's virtualenv (``make bench`` can call it with the others)::

    .venv/bin/python benchmarks/payments.py [--payments 9000] [--refunds 1000] [--no-record]

What it does:

1. Creates a throwaway PostgreSQL database (``bench_payments``; ``BENCH_POSTGRES_URL`` as in
   web.py), migrates it and loads the demo catalogue, in this process.
2. Starts the local GOV.UK Pay server (``tests/fakes/govuk_pay.py``) and generates a month (October
   2026) of ``--payments`` settled card payments on bulky waste cases and ``--refunds`` settled
   refunds, each known to Resident Hub exactly as GOV.UK Pay has it (``bulk_create``).
3. Baseline: for each day, the same two searches of GOV.UK Pay (settled payments and refunds, every
   page) and a match by id and amount against one dictionary read from the database in one query:
   the least any reconciliation must do.
4. Resident Hub: ``payments.actions.reconcile(day)`` for each day (the same searches, the match, the
   settled dates written, the run and its mismatch rows, the audit entry), then the day's finance CSV.
5. Prints the times, items per second and the ratio, checks the goal (every generated item matched,
   no mismatch) and appends the table to docs/benchmarks.md (unless ``--no-record``).

Exit codes: 0 done, 1 failed, 2 a prerequisite is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import web  # noqa: E402 - benchmarks/web.py: database helpers and the machine description

DB_NAME = "bench_payments"
MONTH = [dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(31)]


def setup_django(var_dir: Path) -> None:
    os.environ.update(
        DATABASE_URL=web.bench_db_url(DB_NAME),
        DJANGO_SETTINGS_MODULE="residenthub.settings",
        HUB_ENV="test",
        VAR_DIR=str(var_dir),
        JOBS_INLINE="true",
        DEBUG="false",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_catalogue", verbosity=0, stdout=devnull)


def generate(fake, payments: int, refunds: int, seed: int = 19) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from residenthub.cases.models import Case
    from residenthub.payments.models import Charge, Payment, Refund
    from residenthub.services.models import Service

    rng = random.Random(seed)
    staff = get_user_model().objects.create_user("bench.finance", is_staff=True)
    service = Service.objects.get(code="bulky-waste")
    today = timezone.localdate()
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"BEN-{i:06d}",
                service=service,
                status="received",
                due_date=today,
                team_id=service.team_id,
            )
            for i in range(payments)
        ],
        batch_size=2000,
    )
    amounts = [rng.choice([1500, 3000, 4500, 6000, 7500]) for _ in cases]
    charges = Charge.objects.bulk_create(
        [
            Charge(
                case=c, amount=a, ledger_code="GF-WST410", description="Bulky waste collection", status="paid"
            )
            for c, a in zip(cases, amounts, strict=True)
        ],
        batch_size=2000,
    )
    rows, days = [], []
    for i, (charge, amount) in enumerate(zip(charges, amounts, strict=True)):
        day = rng.choice(MONTH)
        remote = fake.add_settled(amount=amount, reference=charge.case.reference, day=day)
        rows.append(
            Payment(
                charge=charge,
                method="online",
                amount=amount,
                state="success",
                provider_id=remote["payment_id"],
                idempotency_key=f"ben-{i}",
            )
        )
        days.append(day)
    local = Payment.objects.bulk_create(rows, batch_size=2000)
    refund_rows = []
    for j, index in enumerate(rng.sample(range(payments), refunds)):
        payment = local[index]
        amount = rng.choice([1500, payment.amount])
        day = min(days[index] + dt.timedelta(days=rng.randint(0, 5)), MONTH[-1])
        remote = fake.add_settled_refund(payment.provider_id, amount=amount, day=day)
        refund_rows.append(
            Refund(
                payment=payment,
                amount=amount,
                reason="generated",
                status="success",
                provider_id=remote["refund_id"],
                idempotency_key=f"ben-r{j}",
                requested_by=staff,
            )
        )
    Refund.objects.bulk_create(refund_rows, batch_size=2000)


def baseline() -> tuple[float, int, int]:
    """Fetch each day's settled items and match them by id and amount against one dictionary."""
    from residenthub.payments import govuk_pay
    from residenthub.payments.models import Payment, Refund

    started = time.perf_counter()
    ours = dict(Payment.objects.values_list("provider_id", "amount"))
    ours.update(Refund.objects.values_list("provider_id", "amount"))
    matched = missed = 0
    for day in MONTH:
        items = [(p["payment_id"], p["amount"]) for p in govuk_pay.settled_payments(day.isoformat())]
        items += [(r["refund_id"], r["amount"]) for r in govuk_pay.settled_refunds(day.isoformat())]
        for key, amount in items:
            if ours.get(key) == amount:
                matched += 1
            else:
                missed += 1
    return time.perf_counter() - started, matched, missed


def hub_reconcile() -> tuple[float, int, int]:
    from residenthub.payments.jobs import reconcile_day

    started = time.perf_counter()
    matched = mismatches = 0
    for day in MONTH:
        run = reconcile_day(day)
        matched += run.matched
        mismatches += run.mismatches
    return time.perf_counter() - started, matched, mismatches


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=9000)
    parser.add_argument("--refunds", type=int, default=1000)
    parser.add_argument("--no-record", action="store_true", help="do not append to docs/benchmarks.md")
    args = parser.parse_args(argv[1:])
    import tempfile

    try:
        version = web.create_database(DB_NAME)
    except web.Missing as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            setup_django(Path(var_dir))
            from django.conf import settings

            from tests.fakes.govuk_pay import API_KEY, FakePay

            fake = FakePay().start()
            settings.GOVUK_PAY_API_KEY = API_KEY
            settings.GOVUK_PAY_BASE_URL = fake.base_url
            settings.PAYMENTS_EXPORT_DIR = Path(var_dir) / "payments"
            web.log(f"generating {args.payments} payments and {args.refunds} refunds")
            generate(fake, args.payments, args.refunds)
            items = args.payments + args.refunds
            base_s, base_matched, base_missed = baseline()
            hub_s, hub_matched, hub_mismatches = hub_reconcile()
            fake.stop()
    finally:
        web.drop_database(DB_NAME)
    goal = hub_matched == items and hub_mismatches == 0 and base_matched == items
    info = web.machine()
    lines = [
        "",
        f"## Payments reconciliation ({dt.date.today().isoformat()}, commit {web.git_commit()})",
        "",
        f"Machine: {info['cores']} cores, {info['memory']}, {info['cpu']}; PostgreSQL {version}. "
        f"Command: `{web.the_command(argv)}`. A generated month (October 2026) of {args.payments:,} settled "
        f"card payments and {args.refunds:,} refunds on the local GOV.UK Pay server, all known to "
        "Resident Hub. Baseline: the same searches matched by id and amount against one dictionary.",
        "",
        "| | seconds | items per second | matched | mismatches | ratio to baseline |",
        "|---|---|---|---|---|---|",
        f"| baseline (fetch + dict match) | {base_s:.2f} | {items / base_s:,.0f} | {base_matched:,} | "
        f"{base_missed:,} | 1.00 |",
        f"| Resident Hub (`reconcile` + finance CSV, 31 days) | {hub_s:.2f} | {items / hub_s:,.0f} | "
        f"{hub_matched:,} | {hub_mismatches:,} | {hub_s / base_s:.2f} |",
        "",
        f"Goal (every item matched, no mismatch listed): {'PASS' if goal else 'MISS'}.",
        "",
    ]
    print("\n".join(lines))
    if not args.no_record:
        with open(REPO / "docs" / "benchmarks.md", "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
