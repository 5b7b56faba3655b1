"""`hub report run NAME --period 2026-10 --out FILE.pdf`: render a report to PDF (and CSV beside it)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from residenthub.core.actions import ActionError


class Command(BaseCommand):
    help = "Reports: run NAME --period P --out FILE.pdf [--csv FILE.csv] [--send] [--no-archive]; list"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        run = sub.add_parser("run", help="render a report")
        run.add_argument("name")
        run.add_argument("--period", required=True, help="2026-10, 2025/26 or 2026-09-01..2026-10-31")
        run.add_argument("--out", required=True, help="the PDF to write")
        run.add_argument("--csv", help="the CSV to write (default: beside the PDF)")
        run.add_argument("--send", action="store_true", help="email it to its recipients through the outbox")
        run.add_argument("--no-archive", action="store_true", help="do not keep it in the report archive")
        sub.add_parser("list", help="list the report definitions")

    def handle(self, *args, sub, **options):
        from residenthub.insights import actions, reports
        from residenthub.insights.models import ReportDefinition

        if not ReportDefinition.objects.exists():
            try:
                actions.load_reports()
            except ActionError as exc:
                raise CommandError(str(exc)) from exc
        if sub == "list":
            for d in ReportDefinition.objects.all():
                self.stdout.write(f"{d.name}\t{d.frequency}\t{d.title}")
            return
        name = options["name"]
        definition = ReportDefinition.objects.filter(name=name).first()
        if definition is None:
            names = ", ".join(ReportDefinition.objects.values_list("name", flat=True))
            raise CommandError(f"There is no report '{name}'. Reports: {names}")
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"The folder {out.parent} does not exist.")
        try:
            pdf, csv_text, pages, seconds = reports.render(definition, options["period"])
        except reports.ReportError as exc:
            raise CommandError(str(exc)) from exc
        out.write_bytes(pdf)
        csv_path = Path(options["csv"]) if options.get("csv") else out.with_suffix(".csv")
        csv_path.write_text(csv_text, encoding="utf-8")
        if not options["no_archive"]:
            run = actions.archive_run(
                definition, options["period"], pdf, csv_text, pages=pages, seconds=seconds
            )
            if options["send"]:
                actions.send_run(run)
        self.stdout.write(f"Wrote {out} ({pages} pages, {seconds:.1f} s) and {csv_path}.")
