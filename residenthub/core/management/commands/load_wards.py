"""Load the council's ward lookup (by UPRN or by postcode) onto its address list."""

import csv

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from residenthub.core.address_actions import set_wards
from residenthub.core.models import Address
from residenthub.core.validators import normalise_postcode


class Command(BaseCommand):
    help = (
        "Set the ward of the council's addresses from a CSV with a 'ward' column and either a 'uprn' "
        "or a 'postcode' column (UPRN wins where a row has both). Nothing is saved if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    @transaction.atomic
    def handle(self, *args, path, **options):
        try:
            handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        by_uprn: dict[str, str] = {}
        by_postcode: dict[str, str] = {}
        with handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or [])
            if "ward" not in columns or not columns & {"uprn", "postcode"}:
                raise CommandError(f"{path}: needs a 'ward' column and a 'uprn' or 'postcode' column")
            for line, row in enumerate(reader, start=2):
                ward = (row.get("ward") or "").strip()
                if not ward or len(ward) > 100:
                    raise CommandError(f"{path} line {line}: empty or too long ward; nothing was loaded")
                uprn = (row.get("uprn") or "").strip()
                if uprn:
                    if not uprn.isdigit():
                        raise CommandError(f"{path} line {line}: '{uprn}' is not a UPRN; nothing was loaded")
                    by_uprn[uprn] = ward
                    continue
                postcode = normalise_postcode(row.get("postcode") or "")
                if not postcode:
                    raise CommandError(f"{path} line {line}: no valid UPRN or postcode; nothing was loaded")
                by_postcode[postcode] = ward
        updated = set_wards(by_postcode, by_uprn)
        unknown = len(by_uprn) - Address.objects.filter(uprn__in=list(by_uprn)).count()
        self.stdout.write(
            f"Set the ward of {updated} addresses from {len(by_postcode)} postcodes and {len(by_uprn)} UPRNs"
            + (f"; {unknown} UPRNs are not in the address list." if unknown else ".")
        )
