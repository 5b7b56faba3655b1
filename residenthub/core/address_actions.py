"""The writers of the council's address list (the gazetteer), for the loading commands (ADR 0060).

Not audited: the address list is the council's published reference data, loaded whole from a file
the operator chose; the command's output says what changed.
"""

from __future__ import annotations

from typing import Any

from .models import Address


def upsert_address(uprn: str, **fields: Any) -> Address:
    """The address with this UPRN, created or brought up to date with ``fields``."""
    address, _created = Address.objects.update_or_create(uprn=uprn, defaults=fields)
    return address


def set_wards(by_postcode: dict[str, str], by_uprn: dict[str, str]) -> int:
    """Set the electoral ward of every address at a postcode, then of single UPRNs (which win).
    Returns how many address rows were written."""
    updated = 0
    for postcode, ward in by_postcode.items():
        updated += Address.objects.filter(postcode=postcode).update(ward=ward)
    for uprn, ward in by_uprn.items():
        updated += Address.objects.filter(uprn=uprn).update(ward=ward)
    return updated
