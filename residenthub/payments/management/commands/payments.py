"""``hub payments reconcile --date YYYY-MM-DD``: reconcile a day with GOV.UK Pay, write its finance CSV."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from residenthub.payments import govuk_pay
from residenthub.payments.jobs import reconcile_day


class Command(BaseCommand):
    help = "Payments: reconcile a day's settled GOV.UK Pay payments and refunds (and write the finance CSV)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        reconcile = sub.add_parser("reconcile", help="Reconcile one day (default: yesterday)")
        reconcile.add_argument("--date", help="YYYY-MM-DD; default yesterday")

    def handle(self, *args, **options):
        if options["command"] == "reconcile":
            text = options.get("date")
            if text:
                try:
                    day = dt.date.fromisoformat(text)
                except ValueError:
                    raise CommandError(f"--date must be YYYY-MM-DD, not {text!r}") from None
            else:
                day = timezone.localdate() - dt.timedelta(days=1)
            if not govuk_pay.configured():
                raise CommandError("GOV.UK Pay is not configured: set GOVUK_PAY_API_KEY")
            try:
                run = reconcile_day(day)
            except govuk_pay.PayError as exc:
                raise CommandError(f"GOV.UK Pay: {exc}") from exc
            self.stdout.write(
                f"{day}: {run.provider_payments} payments and {run.provider_refunds} refunds "
                "from GOV.UK Pay, "
                f"{run.matched} matched, {run.mismatches} mismatches"
            )
