"""``hub retention sweep [--dry-run] | check | replay | scan``: the retention schedule from the shell."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from residenthub.core.actions import ActionError, Actor


class Command(BaseCommand):
    help = (
        "Retention: sweep the schedule (or dry-run it), check the schedule, replay erasures after a restore."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sweep = sub.add_parser("sweep", help="Delete or anonymise what the schedule says is due")
        sweep.add_argument(
            "--dry-run", action="store_true", help="count what is due and held; change nothing"
        )
        sweep.add_argument(
            "--class", dest="classes", action="append", help="only this record class (repeatable)"
        )
        check = sub.add_parser("check", help="Check the schedule file against the models' declarations")
        check.add_argument("--file", default=None)
        replay = sub.add_parser("replay", help="Apply every logged erasure again (after restoring a backup)")
        replay.add_argument("--log", default=None, help="default: RETENTION_REPLAY_LOG")

    def handle(self, *args, **options):
        from residenthub.retention import actions
        from residenthub.retention.schedule import ScheduleError, load

        try:
            if options["subcommand"] == "check":
                schedule = load(options["file"])
                self.stdout.write(f"The schedule is valid: {len(schedule.classes)} record classes.")
                return
            if options["subcommand"] == "replay":
                result = actions.replay(options["log"], by=Actor.system("retention"))
                self.stdout.write(
                    f"Replayed {result['entries']} erasures: {result['rows']} rows erased again."
                )
                return
            run = actions.sweep(
                dry_run=options["dry_run"], by=Actor.system("retention"), classes=options["classes"]
            )
        except ScheduleError as exc:
            raise CommandError("\n".join(["The retention schedule is not valid:", *exc.problems])) from None
        except ActionError as exc:
            raise CommandError(str(exc)) from None
        verb = "due" if run.dry_run else "done"
        self.stdout.write(f"{'Dry run' if run.dry_run else 'Sweep'} in {run.seconds:.1f}s")
        for key, c in run.counts.items():
            n = c["due"] if run.dry_run else c["done"]
            self.stdout.write(
                f"  {key:<22} {c['action']:<10} {c['period']:<12} {verb}: {n:>8}  held: {c['held']}"
            )
        for reason, n in sorted(run.held.items()):
            self.stdout.write(f"  held: {reason}: {n}")
