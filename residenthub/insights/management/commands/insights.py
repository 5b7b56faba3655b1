"""`hub insights rollup|load-benefits|load-reports|journeys|export|demo`."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from residenthub.core.actions import ActionError


class Command(BaseCommand):
    help = "Insights: rollup, load-benefits, load-reports, journeys, export, demo (see each --help)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        r = sub.add_parser("rollup", help="build the daily roll-ups (default: catch up to today)")
        r.add_argument("--from", dest="first", type=dt.date.fromisoformat)
        r.add_argument("--to", dest="last", type=dt.date.fromisoformat)
        b = sub.add_parser("load-benefits", help="load the programmes and benefits register YAML")
        b.add_argument("path", nargs="?")
        rp = sub.add_parser("load-reports", help="load the report definitions YAML")
        rp.add_argument("path", nargs="?")
        sub.add_parser("journeys", help="record form journeys in progress from live sessions")
        e = sub.add_parser(
            "export", help="write Parquet files of the roll-ups for analysts (DuckDB, pandas...)"
        )
        e.add_argument("--out", default=str(settings.INSIGHTS_EXPORT_DIR))
        sub.add_parser("demo", help="demo history, roll-ups, register and reports (demo data only)")

    def handle(self, *args, sub, **options):
        from residenthub.insights import actions, benefits, export, jobs, rollup

        if sub == "rollup":
            if options["first"]:
                last = options["last"] or dt.date.today()
                count = rollup.build_days(options["first"], last)
                self.stdout.write(f"Built {options['first']} to {last}: {count:,} requests received.")
            else:
                built = rollup.catch_up()
                self.stdout.write(f"Built {built[0]} to {built[1]}." if built else "No cases yet.")
        elif sub == "load-benefits":
            try:
                load = actions.load_benefits(options.get("path"))
            except benefits.BenefitsFileError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Loaded {load.source}. {len(load.findings)} disagreements in the figures:")
            for f in load.findings:
                self.stdout.write(f"  - {f['where']}: {f['message']}")
        elif sub == "load-reports":
            try:
                loaded = actions.load_reports(options.get("path"))
            except ActionError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Loaded {len(loaded)} report definitions.")
        elif sub == "journeys":
            self.stdout.write(f"Recorded {jobs.scan_journeys()} new journeys.")
        elif sub == "export":
            written = export.write_parquet(Path(options["out"]))
            for path, rows in written:
                self.stdout.write(f"{path}: {rows:,} rows")
        elif sub == "demo":
            from residenthub.insights import demo

            self.stdout.write(demo.load())
