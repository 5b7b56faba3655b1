from django.core.management.base import BaseCommand, CommandError

from residenthub.services.actions import load_catalogue
from residenthub.services.definitions import DefinitionError


class Command(BaseCommand):
    help = "Validate and load the service catalogue YAML (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="catalogue file (default: CATALOGUE_FILE setting)")

    def handle(self, *args, path=None, **options):
        try:
            counts = load_catalogue(path)
        except DefinitionError as exc:
            raise CommandError("The catalogue was not loaded:\n  " + "\n  ".join(exc.problems)) from exc
        self.stdout.write(
            f"Loaded {counts['services']} services in {counts['teams']} teams ({counts['retired']} retired)."
        )
