"""What personal data each model holds, declared by its own app in ``personal_data.py``.

Each app that has models writes a ``personal_data.py`` declaring, per model, its record class (a key
of the retention schedule, data/schedule.yaml) and its personal fields, or that the model holds no
personal data and why. Retention autodiscovers the modules at start-up, like the admin does, so no
app's ``models.py`` has to know about retention. ``tests/retention/test_declarations.py`` fails the
suite when a concrete model is declared neither way.

A declaration also says how a person's rows are found (``links``: a path from the model to a case,
an identity record, a person, an information request, a call, a triage message or a resident
account, or fields holding the person's email address or phone number) and what erasure does to a
row (``erase``: blank the personal fields, delete the row, or keep it). The erasure and the sweeps
are one engine (``retention.engine``) reading these declarations.

The registry lives in ``core`` (the bottom layer) so that every app may declare to it without
importing the retention app above it (import-linter layers, docs/architecture.md).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

ANONYMISE = "anonymise"
DELETE = "delete"
KEEP = "keep"
ERASE_MODES = {ANONYMISE, DELETE, KEEP}
# Root kinds: what a person's rows are found from.
ROOTS = ("case", "case_reference", "record", "person", "request", "call", "triage", "account")
MATCHES = ("email", "phone")


class _Ward:
    """Anonymised value of a case's postcode: its ward's reference postcode (insights keep the ward)."""

    def __repr__(self) -> str:
        return "WARD"


WARD = _Ward()


class DeclarationError(Exception):
    """A personal_data.py that names a field or link the model does not have."""


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    record_class: str
    fields: tuple[str, ...]
    erase: str = ANONYMISE
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)  # root kind -> ORM paths to its pk
    match: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "email"/"phone" -> fields
    dates: dict[str, str] = field(default_factory=dict)  # schedule trigger -> date field
    eligible: dict[str, Any] = field(default_factory=dict)  # filter rows a sweep may touch
    append_only: bool = False
    files: tuple = ()  # FileField names, or (field, folder) for a path under folder() (a callable)
    blank: dict[str, Any] = field(default_factory=dict)  # field -> anonymised value (default by type)
    note: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label

    def blank_values(self) -> dict[str, Any]:
        """What anonymisation writes: an empty value of each personal field's type."""
        values = {}
        for name in self.fields:
            if name in self.blank:
                values[name] = self.blank[name]
                continue
            f = self.model._meta.get_field(name)
            values[name] = empty_value(f)
        return values

    def personal_q(self) -> models.Q:
        """Rows that still hold something in a personal field (so anonymised rows are not redone)."""
        q = models.Q()
        for name, value in self.blank_values().items():
            if value is WARD:
                continue
            f = self.model._meta.get_field(name)
            if value is None:
                q |= models.Q(**{f"{name}__isnull": False})
            elif isinstance(f, models.JSONField):
                q |= ~models.Q(**{name: value}) & models.Q(**{f"{name}__isnull": False})
            else:
                q |= ~models.Q(**{name: value})
        return q


@dataclass(frozen=True)
class NoPersonalData:
    model: type[models.Model]
    why: str

    @property
    def label(self) -> str:
        return self.model._meta.label


def empty_value(f: models.Field) -> Any:
    if isinstance(f, models.JSONField):
        default = f.get_default()
        return default if default is not None else None
    if isinstance(f, models.BinaryField):
        return None if f.null else b""
    if isinstance(f, models.FileField):
        return ""
    if f.null:
        return None
    if isinstance(f, (models.CharField, models.TextField)):
        return ""
    raise DeclarationError(f"{f.model._meta.label}.{f.name}: say what anonymisation writes (blank=...)")


_declared: dict[str, Declaration] = {}
_none: dict[str, NoPersonalData] = {}


def declare(
    model,
    *,
    record_class: str,
    fields: list[str] | tuple[str, ...],
    erase: str = ANONYMISE,
    links: dict[str, str | list[str]] | None = None,
    match: dict[str, list[str] | tuple[str, ...]] | None = None,
    dates: dict[str, str] | None = None,
    eligible: dict[str, Any] | None = None,
    append_only: bool = False,
    files: list | tuple = (),
    blank: dict[str, Any] | None = None,
    note: str = "",
) -> Declaration:
    if erase not in ERASE_MODES:
        raise DeclarationError(
            f"{model._meta.label}: erase must be one of {sorted(ERASE_MODES)}, not {erase!r}"
        )
    names = {f.name for f in model._meta.get_fields()}
    for name in [*fields, *(file_field(f) for f in files or ()), *(dates or {}).values()]:
        if name not in names:
            raise DeclarationError(f"{model._meta.label} has no field {name!r}")
    for kind in links or {}:
        if kind not in ROOTS:
            raise DeclarationError(f"{model._meta.label}: unknown link {kind!r} (one of {', '.join(ROOTS)})")
    for kind in match or {}:
        if kind not in MATCHES:
            raise DeclarationError(f"{model._meta.label}: unknown match {kind!r} (email or phone)")
    declaration = Declaration(
        model=model,
        record_class=record_class,
        fields=tuple(fields),
        erase=erase,
        links={k: (v,) if isinstance(v, str) else tuple(v) for k, v in (links or {}).items()},
        match={k: tuple(v) for k, v in (match or {}).items()},
        dates=dict(dates or {}),
        eligible=dict(eligible or {}),
        append_only=append_only,
        files=tuple(files),
        blank=dict(blank or {}),
        note=note,
    )
    if erase == ANONYMISE:
        declaration.blank_values()  # fail now on a field whose empty value is unknown
    _declared[model._meta.label] = declaration
    _none.pop(model._meta.label, None)
    return declaration


def no_personal_data(model, why: str) -> NoPersonalData:
    if not why.strip():
        raise DeclarationError(f"{model._meta.label}: say why it holds no personal data")
    entry = NoPersonalData(model, why)
    _none[model._meta.label] = entry
    return entry


def autodiscover() -> None:
    """Import ``personal_data`` from every installed app that has one (and retention's own, which
    declares the framework's models: users, sessions, sign-in attempts)."""
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.personal_data":
                raise


def declarations() -> list[Declaration]:
    return sorted(_declared.values(), key=lambda d: d.label)


def declaration_for(model) -> Declaration | None:
    return _declared.get(model._meta.label)


def undeclared() -> list[str]:
    """Concrete models declared neither way (the suite fails on any)."""
    missing = []
    for model in apps.get_models():
        meta = model._meta
        if meta.abstract or meta.proxy or meta.auto_created:
            continue
        if meta.label not in _declared and meta.label not in _none:
            missing.append(meta.label)
    return sorted(missing)


def by_class() -> dict[str, list[Declaration]]:
    result: dict[str, list[Declaration]] = {}
    for d in declarations():
        result.setdefault(d.record_class, []).append(d)
    return result


def file_field(spec) -> str:
    """The model field of a ``files`` entry: a FileField name, or ``(field, folder)``."""
    return spec if isinstance(spec, str) else spec[0]
