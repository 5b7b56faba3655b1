"""The retention schedule as data: ``data/schedule.yaml`` (or ``RETENTION_SCHEDULE_FILE``), checked
when loaded so a records manager's typo is a clear message naming the class and field, never a sweep
that deletes the wrong things."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

DEFAULT_FILE = Path(__file__).parent / "data" / "schedule.yaml"
TRIGGERS = {
    "case_closed": "the case was closed",
    "created": "the record was made",
    "last_contact": "the resident's last contact",
    "request_answered": "the request was answered or closed",
    "tenancy_ended": "the tenancy ended",
    "call_ended": "the call ended",
    "removed_from_source": "the source system no longer holds the record",
    "expired": "it expired",
}
ACTIONS = {"delete", "anonymise", "review"}
ERASURE = {"erase", "keep"}
PERIOD = re.compile(r"^\s*(\d+)\s*(day|week|month|year)s?\s*$", re.IGNORECASE)


class ScheduleError(ValueError):
    """The schedule file is wrong; ``problems`` lists each mistake where it is."""

    def __init__(self, problems: list[str], path: Path | str = ""):
        self.problems = problems
        where = f" in {path}" if path else ""
        super().__init__(
            f"The retention schedule has {len(problems)} problem(s){where}: " + "; ".join(problems)
        )


@dataclass(frozen=True)
class Period:
    count: int
    unit: str  # day, week, month, year; count 0 and unit "permanent" = never

    @property
    def permanent(self) -> bool:
        return self.unit == "permanent"

    def cutoff(self, now: dt.datetime) -> dt.datetime | None:
        """Records whose clock started before this are due (None: never)."""
        if self.permanent:
            return None
        if self.unit in {"day", "week"}:
            return now - dt.timedelta(days=self.count * (7 if self.unit == "week" else 1))
        months = self.count * (12 if self.unit == "year" else 1)
        year, month = divmod(now.month - 1 - months, 12)
        year += now.year
        month += 1
        day = min(now.day, _days_in(year, month))
        return now.replace(year=year, month=month, day=day)

    def __str__(self) -> str:
        if self.permanent:
            return "permanent"
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


def _days_in(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


@dataclass(frozen=True)
class ServiceRule:
    lgsl: tuple[int, ...]
    services: tuple[str, ...]
    period: Period
    note: str = ""


@dataclass(frozen=True)
class RecordClass:
    key: str
    title: str
    period: Period
    trigger: str
    action: str
    basis: str = ""
    erasure: str = "erase"
    by_service: tuple[ServiceRule, ...] = field(default_factory=tuple)

    @property
    def trigger_label(self) -> str:
        return TRIGGERS[self.trigger]


@dataclass(frozen=True)
class Schedule:
    classes: dict[str, RecordClass]
    path: str = ""

    def __getitem__(self, key: str) -> RecordClass:
        return self.classes[key]

    def get(self, key: str) -> RecordClass | None:
        return self.classes.get(key)


def parse_period(value, where: str, problems: list[str]) -> Period | None:
    if isinstance(value, str) and value.strip().lower() == "permanent":
        return Period(0, "permanent")
    match = (
        PERIOD.match(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    )
    if not match:
        problems.append(
            f"{where}: {value!r} is not a period (write e.g. '90 days', '6 months', '6 years' or 'permanent')"
        )
        return None
    return Period(int(match.group(1)), match.group(2).lower())


def parse(data, path: str = "") -> Schedule:
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("classes"), dict) or not data["classes"]:
        raise ScheduleError(["the file must have a 'classes:' mapping of record classes"], path)
    if data.get("version", 1) != 1:
        problems.append(f"version: {data.get('version')!r} is not supported (1)")
    classes: dict[str, RecordClass] = {}
    for key, entry in data["classes"].items():
        where = f"classes.{key}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping with period, trigger and action")
            continue
        unknown = set(entry) - {"title", "period", "trigger", "action", "basis", "erasure", "by_service"}
        for name in sorted(unknown):
            problems.append(
                f"{where}.{name}: unknown field (title, period, trigger, action, basis, erasure, by_service)"
            )
        for required in ("period", "trigger", "action"):
            if required not in entry:
                problems.append(f"{where}: '{required}' is missing")
        period = parse_period(entry.get("period"), f"{where}.period", problems) if "period" in entry else None
        trigger = entry.get("trigger")
        if trigger is not None and trigger not in TRIGGERS:
            problems.append(f"{where}.trigger: {trigger!r} is not a trigger ({', '.join(sorted(TRIGGERS))})")
        action = entry.get("action")
        if action is not None and action not in ACTIONS:
            problems.append(f"{where}.action: {action!r} is not an action ({', '.join(sorted(ACTIONS))})")
        erasure = entry.get("erasure", "erase")
        if erasure not in ERASURE:
            problems.append(f"{where}.erasure: {erasure!r} must be 'erase' or 'keep'")
        if erasure == "keep" and not str(entry.get("basis", "")).strip():
            problems.append(
                f"{where}.basis: say why records kept from erasure are kept (legal obligation, public task)"
            )
        rules = []
        for i, rule in enumerate(entry.get("by_service") or []):
            rwhere = f"{where}.by_service[{i}]"
            if (
                not isinstance(rule, dict)
                or "period" not in rule
                or not (rule.get("lgsl") or rule.get("services"))
            ):
                problems.append(f"{rwhere}: needs a period and 'lgsl' codes or 'services'")
                continue
            rperiod = parse_period(rule["period"], f"{rwhere}.period", problems)
            try:
                lgsl = tuple(int(c) for c in rule.get("lgsl") or [])
            except (TypeError, ValueError):
                problems.append(f"{rwhere}.lgsl: LGSL codes are whole numbers")
                continue
            if rperiod:
                rules.append(
                    ServiceRule(
                        lgsl,
                        tuple(str(s) for s in rule.get("services") or []),
                        rperiod,
                        str(rule.get("note", "")),
                    )
                )
        if period and trigger in TRIGGERS and action in ACTIONS and erasure in ERASURE:
            classes[str(key)] = RecordClass(
                key=str(key),
                title=str(entry.get("title") or key),
                period=period,
                trigger=trigger,
                action=action,
                basis=str(entry.get("basis", "")),
                erasure=erasure,
                by_service=tuple(rules),
            )
    if problems:
        raise ScheduleError(problems, path)
    return Schedule(classes, path)


def load(path: str | Path | None = None) -> Schedule:
    """The schedule from ``path`` (default ``RETENTION_SCHEDULE_FILE``), checked against the model
    declarations too: every declared record class must be in it, with a trigger its models have."""
    path = Path(path or settings.RETENTION_SCHEDULE_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScheduleError([f"cannot read the file: {exc.strerror}"], path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise ScheduleError([f"{line}not valid YAML ({getattr(exc, 'problem', exc)})"], path) from None
    schedule = parse(data, str(path))
    check_against_declarations(schedule)
    return schedule


def check_against_declarations(schedule: Schedule) -> None:
    from residenthub.core import personal_data_registry as registry

    problems = []
    for key, declarations in registry.by_class().items():
        entry = schedule.get(key)
        if entry is None:
            models = ", ".join(d.label for d in declarations)
            problems.append(f"classes.{key}: missing (declared by {models})")
            continue
        roots = [d for d in declarations if d.dates]
        if roots and not entry.period.permanent and not any(entry.trigger in d.dates for d in roots):
            offered = sorted({t for d in roots for t in d.dates})
            problems.append(
                f"classes.{key}.trigger: {entry.trigger!r} does not apply to these records "
                f"({', '.join(offered)})"
            )
    if problems:
        raise ScheduleError(problems, schedule.path)
