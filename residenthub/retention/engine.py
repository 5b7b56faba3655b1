"""One engine for sweeps and erasure, driven by the apps' declarations (``registry``).

Rows are found from *roots*: sets of case, identity record, person, request, call, triage message and
resident account keys (and the person's email addresses and phone numbers). Every declaration says,
with ``links``, which roots its rows hang from, so erasing a person and sweeping a batch of old cases
are the same walk: collect the rows of every declared model, leave out what is held or kept, then
delete or blank them with set-based SQL (``UPDATE ... WHERE pk IN``, ``DELETE``) in one transaction
per batch. Writes happen only through ``retention.actions`` (which calls ``apply``).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import models

from residenthub.core import personal_data_registry as registry
from residenthub.core.personal_data_registry import KEEP, Declaration

ROOT_KINDS = registry.ROOTS
# Past this many integer keys, a filter sends them as one parameter (``AnyKey``), not an IN list.
MANY_KEYS = 50


class AnyKey(models.Lookup):
    """``path__retention_any=[1, 2, ...]``: the keys as ONE parameter, ``= ANY(%s::bigint[])`` on
    PostgreSQL and ``IN (SELECT value FROM json_each(%s))`` on SQLite. A 5,000-key ``IN (%s, ...)``
    costs about 70 ms a statement to build in Django, bind and plan, and a sweep batch sends a dozen
    of them (docs/adr/0125-sweep-batches-by-id-window.md); with one array parameter PostgreSQL plans
    an index scan on the keys in about a millisecond."""

    lookup_name = "retention_any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [[int(v) for v in value]])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        keys = rhs_params[0]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, keys]
        # lhs is the compiled column; the keys are a parameter.
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(keys)]  # noqa: S608


# Foreign keys look their lookups up on ForeignObject and its subclasses only, not on Field.
models.Field.register_lookup(AnyKey)
models.ForeignObject.register_lookup(AnyKey)


def keys_q(path: str, values: Iterable) -> models.Q:
    """``path IN values``; many integer keys go as one parameter (``AnyKey``)."""
    values = list(values)
    if len(values) > MANY_KEYS and all(type(v) is int for v in values):
        return models.Q(**{f"{path}__retention_any": values})
    return models.Q(**{f"{path}__in": values})


@dataclass
class Roots:
    """The keys a person's (or a batch's) rows hang from."""

    ids: dict[str, set] = field(default_factory=lambda: {k: set() for k in ROOT_KINDS})
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)

    def add(self, kind: str, values: Iterable) -> None:
        self.ids[kind].update(v for v in values if v not in (None, ""))

    def __bool__(self) -> bool:
        return any(self.ids.values()) or bool(self.emails or self.phones)


def phone_variants(phone: str) -> set[str]:
    """The ways one UK number is written in council systems: +44..., 0..., with and without spaces."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 10:
        return set()
    national = "0" + digits[2:] if digits.startswith("44") else digits
    if not national.startswith("0"):
        return {phone, "+" + digits, digits}
    intl = "+44" + national[1:]
    return {
        phone,
        national,
        intl,
        intl[1:],
        f"{national[:5]} {national[5:]}",
        f"{national[:4]} {national[4:7]} {national[7:]}",
    }


def _q_for(declaration: Declaration, roots: Roots) -> models.Q | None:
    q = models.Q()
    found = False
    for kind, paths in declaration.links.items():
        values = roots.ids.get(kind)
        if values:
            for path in paths:
                q |= keys_q(path, values)
                found = True
    if roots.emails:
        for name in declaration.match.get("email", ()):
            q |= models.Q(**{f"{name}__in": sorted(roots.emails)})
            found = True
    if roots.phones:
        for name in declaration.match.get("phone", ()):
            q |= models.Q(**{f"{name}__in": sorted(roots.phones)})
            found = True
    return q if found else None


def _held_q(declaration: Declaration, held: Roots) -> models.Q | None:
    q = models.Q()
    found = False
    for kind, paths in declaration.links.items():
        values = held.ids.get(kind)
        if values:
            for path in paths:
                q |= keys_q(path, values)
                found = True
    return q if found else None


@dataclass
class Selection:
    """Per declaration, the primary keys to erase and to keep (with why)."""

    erase: dict[str, list] = field(default_factory=dict)  # model label -> pks
    keep: dict[str, list] = field(default_factory=dict)
    keep_reason: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        labels = sorted(set(self.erase) | set(self.keep))
        return {
            label: {"erase": len(self.erase.get(label, [])), "keep": len(self.keep.get(label, []))}
            for label in labels
        }


def select(roots: Roots, held: Roots, schedule, *, only: Iterable[Declaration] | None = None) -> Selection:
    """Which rows of each declared model hang from ``roots``; rows hanging from ``held`` roots, and
    models whose class the schedule keeps from erasure, are kept."""
    selection = Selection()
    for declaration in only or registry.declarations():
        q = _q_for(declaration, roots)
        if q is None:
            continue
        label = declaration.label
        rows = set(declaration.model._default_manager.filter(q).values_list("pk", flat=True))
        if not rows:
            continue
        entry = schedule.get(declaration.record_class)
        if declaration.erase == KEEP or (entry is not None and entry.erasure == "keep"):
            selection.keep[label] = sorted(rows)
            selection.keep_reason[label] = entry.basis if entry is not None else declaration.note
            continue
        hq = _held_q(declaration, held)
        kept = (
            set(
                declaration.model._default_manager.filter(hq, keys_q("pk", rows)).values_list("pk", flat=True)
            )
            if hq is not None
            else set()
        )
        if kept:
            selection.keep[label] = sorted(kept)
            selection.keep_reason[label] = "held"
        if rows - kept:
            selection.erase[label] = sorted(rows - kept)
    return selection


# --- Writing ------------------------------------------------------------------------------------------


class WardPostcodes:
    """A case's anonymised postcode: the reference postcode of its ward, so insights (which read the
    ward from the UPRN or postcode) count it in the same ward, while the address is gone."""

    def __init__(self):
        from residenthub.insights.rollup import WardLookup

        self.lookup = WardLookup()
        reference: dict[str, str] = {}
        for postcode, ward in sorted(self.lookup.by_postcode.items()):
            reference.setdefault(ward, postcode)
        self.reference = reference

    def __call__(self, uprn: str, postcode: str) -> str:
        ward = self.lookup(uprn, postcode)
        return self.reference.get(ward, "")


def _delete_files(declaration: Declaration, pks: list) -> list[str]:
    """Remove the files of rows about to be erased; the paths removed (for the scan)."""
    removed = []
    if not declaration.files:
        return removed
    names = [registry.file_field(f) for f in declaration.files]
    for row in declaration.model._default_manager.filter(keys_q("pk", pks)).order_by().values(*names):
        for spec in declaration.files:
            name, folder = (spec, None) if isinstance(spec, str) else spec
            value = row.get(name)
            if not value:
                continue
            if folder is not None:
                path = Path(folder()) / str(value)
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
                removed.append(str(path))
            else:
                with contextlib.suppress(OSError):
                    default_storage.delete(str(value))
                removed.append(str(value))
    return removed
