import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from residenthub.core.address_actions import upsert_address
from residenthub.core.validators import normalise_postcode

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_addresses.csv"


class Command(BaseCommand):
    help = "Load the council's addresses (CSV: uprn,line1,line2,town,postcode,latitude,longitude[,ward])."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEMO_FILE))

    @transaction.atomic
    def handle(self, *args, path, **options):
        try:
            handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        with handle:
            reader = csv.DictReader(handle)
            missing = {"uprn", "line1", "town", "postcode"} - set(reader.fieldnames or [])
            if missing:
                raise CommandError(f"{path}: missing columns {sorted(missing)}")
            count = 0
            for line, row in enumerate(reader, start=2):
                postcode = normalise_postcode(row["postcode"])
                if not postcode or not row["uprn"].strip().isdigit():
                    raise CommandError(f"{path} line {line}: invalid postcode or UPRN; nothing was loaded")
                upsert_address(
                    row["uprn"].strip(),
                    line1=row["line1"].strip(),
                    line2=(row.get("line2") or "").strip(),
                    town=row["town"].strip(),
                    postcode=postcode,
                    latitude=row.get("latitude") or None,
                    longitude=row.get("longitude") or None,
                    **({"ward": row["ward"].strip()} if row.get("ward") is not None else {}),
                )
                count += 1
        self.stdout.write(f"Loaded {count} addresses.")
