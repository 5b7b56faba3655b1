"""``hub identity dedupe|import|link|export``: the single resident view for data stewards."""

from __future__ import annotations

import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from residenthub.identity.sources import Mapping, SourceError


class Command(BaseCommand):
    help = "Single resident view: dedupe a file, import a source, run linkage, export persons."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        dedupe = sub.add_parser("dedupe", help="Dedupe one CSV/XLSX file into persons and households")
        dedupe.add_argument("input")
        dedupe.add_argument("--mapping", required=True)
        dedupe.add_argument("--out", required=True)
        dedupe.add_argument("--link-threshold", type=float, default=None)
        dedupe.add_argument("--review-threshold", type=float, default=None)
        dedupe.add_argument(
            "--strict",
            action="store_true",
            help="fail on any invalid value instead of blanking and reporting it",
        )
        dedupe.add_argument(
            "--backend", choices=["duckdb", "spark"], default=None, help="default: IDENTITY_BACKEND"
        )
        imp = sub.add_parser("import", help="Import a source extract (CSV, XLSX or SQL) into the database")
        imp.add_argument(
            "input", nargs="?", default=None, help="file; omit for a SQL source (url in mapping)"
        )
        imp.add_argument("--mapping", required=True)
        imp.add_argument("--team", default=None, help="slug of the team that owns a restricted source")
        link = sub.add_parser("link", help="Run linkage over every imported record")
        link.add_argument(
            "--backend", choices=["duckdb", "spark"], default=None, help="default: IDENTITY_BACKEND"
        )
        export = sub.add_parser("export", help="Write every record with its person and household")
        export.add_argument("--out", required=True)
        demo = sub.add_parser(
            "demo", help="Import the demo's five source extracts, run the linkage, check existing cases"
        )
        demo.add_argument(
            "--force", action="store_true", help="import and link again even if the demo is already loaded"
        )

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['subcommand']}")(options)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc

    def _dedupe(self, options):
        from residenthub.identity import actions, dedupe, linkage

        mapping = Mapping.load(options["mapping"])
        defaults = linkage.Thresholds()
        try:
            limits = linkage.Thresholds(
                link=options["link_threshold"] or defaults.link,
                review=options["review_threshold"] or defaults.review,
                attach=min(defaults.attach, options["link_threshold"] or defaults.attach),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        output = dedupe.dedupe(
            options["input"],
            mapping,
            thresholds=limits,
            invalid_values="fail" if options["strict"] else "blank",
            engine=actions.engine_for(options["backend"]),
        )
        dedupe.write_csv(output.rows, options["out"])
        for warning in output.warnings[:20]:
            self.stderr.write(f"blanked invalid value: {warning}")
        if len(output.warnings) > 20:
            self.stderr.write(f"... and {len(output.warnings) - 20} more invalid values blanked")
        persons = len({row[1] for row in output.rows})
        review = len(output.result.review_pairs(limits))
        self.stdout.write(
            f"{len(output.rows)} records, {persons} persons, {review} pairs for review -> {options['out']}"
        )

    def _import(self, options):
        from residenthub.accounts.models import Team
        from residenthub.identity import actions

        mapping = Mapping.load(options["mapping"])
        team = None
        if options["team"]:
            team = Team.objects.filter(slug=options["team"]).first()
            if team is None:
                raise CommandError(f"no team with slug '{options['team']}'")
        run = actions.import_source(mapping, options["input"], team=team)
        self.stdout.write(
            f"{mapping.source}: {run.added} added, {run.changed} changed, {run.unchanged} unchanged, "
            f"{run.removed} removed, {len(run.warnings)} warnings"
        )

    def _link(self, options):
        from residenthub.identity import actions

        run = actions.run_linkage(backend=options["backend"])
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in run.counts.items()))

    def _demo(self, options):
        from residenthub.identity import demo
        from residenthub.identity.models import ImportRun, LinkageRun

        slugs = {"council-tax", "housing", "benefits", "adult-social-care", "libraries"}
        imported = set(
            ImportRun.objects.filter(source__slug__in=slugs).values_list("source__slug", flat=True)
        )
        if (
            imported == slugs
            and LinkageRun.objects.filter(finished_at__isnull=False).exists()
            and not (options["force"])
        ):
            self.stdout.write("Identity demo already loaded.")
            return
        demo.load(log=self.stdout.write)
        person = demo.resident_person()
        if person is not None:
            self.stdout.write(
                f"Demo resident {demo.DEMO_RESIDENT['name']}: /staff/identity/person/{person.public_id}/"
            )

    def _export(self, options):
        from residenthub.identity.models import HouseholdMembership, PersonLink

        household = dict(
            HouseholdMembership.objects.filter(current=True).values_list("person_id", "household__public_id")
        )
        out = open(options["out"], "w", newline="", encoding="utf-8") if options["out"] != "-" else sys.stdout  # noqa: SIM115
        try:
            writer = csv.writer(out)
            writer.writerow(["source", "record_id", "person_id", "household_id", "match_probability"])
            for link in PersonLink.objects.filter(record__removed=False).select_related(
                "record__source", "person"
            ):
                writer.writerow(
                    [
                        link.record.source.slug,
                        link.record.source_key,
                        link.person.public_id,
                        household.get(link.person_id, ""),
                        "" if link.probability is None else f"{link.probability:.6f}",
                    ]
                )
        finally:
            if out is not sys.stdout:
                out.close()
