"""Statutory clocks for information requests and complaints. Pure functions of dates.

- FOI Act s.10(1) and (6): 20 working days; day one is the first working day after receipt; a
  working day is any day but a Saturday, a Sunday, Christmas Day or a bank holiday in ANY part of the
  United Kingdom. A public-interest extension adds up to 20 more working days (ICO guidance).
- EIR reg. 5(2) and 7(1): the same 20 working days (same definition of working day, reg. 2(1)),
  extendable to 40 for complex and voluminous requests.
- UK GDPR Art. 12(3) (subject access): one calendar month from the day of receipt (the day itself
  counts as day one), to the corresponding date in the next month; with no corresponding date, the last
  day of that month; a date on a weekend or bank holiday moves to the next working day. Extendable by two
  further months, counted from receipt.
- Complaints and councillor enquiries: working days per stage from ``settings.FOI_COMPLAINT_STAGES`` and
  ``settings.FOI_COUNCILLOR_ENQUIRY_DAYS`` (English bank holidays and council closure days).

Council closure days (``core.ClosureDay``) never count as working days.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from residenthub.core.calendar import (
    UK_REGIONS,
    add_working_days,
    council_closure_days,
    is_working_day,
    working_days_between,
)

FOI = "foi"
EIR = "eir"
SAR = "sar"
COMPLAINT = "complaint"
COUNCILLOR = "councillor"

FOI_DAYS = 20
FOI_PIT_MAX_EXTRA_DAYS = 20
EIR_DAYS = 20
EIR_MAX_DAYS = 40
SAR_MONTHS = 1
SAR_MAX_EXTRA_MONTHS = 2
INTERNAL_REVIEW_DAYS = 20  # FOI code of practice (s.45): 20 working days, 40 at most


class ClockError(ValueError):
    """A clock cannot be set as asked (e.g. an extension beyond the statutory maximum)."""


def regions_for(kind: str) -> tuple[str, ...]:
    """FOI and EIR exclude bank holidays anywhere in the UK; the rest use the council's regions."""
    if kind in (FOI, EIR):
        return UK_REGIONS
    return tuple(settings.FOI_LOCAL_REGIONS)


def complaint_stages() -> list[dict]:
    return list(settings.FOI_COMPLAINT_STAGES)


def complaint_stage_days(stage: int) -> int:
    for item in complaint_stages():
        if int(item["stage"]) == int(stage):
            return int(item["working_days"])
    raise ClockError(f"There is no complaint stage {stage} in FOI_COMPLAINT_STAGES.")


def next_working_day_on_or_after(
    day: dt.date, regions: tuple[str, ...], closures: Iterable[dt.date] = ()
) -> dt.date:
    closures = frozenset(closures)
    while not is_working_day(day, regions, closures):
        day += dt.timedelta(days=1)
    return day


def add_calendar_months(day: dt.date, months: int) -> dt.date:
    """The corresponding date ``months`` later, or the last day of that month if it has none."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def sar_due(
    received: dt.date,
    months: int = SAR_MONTHS,
    regions: tuple[str, ...] | None = None,
    closures: frozenset[dt.date] | None = None,
) -> dt.date:
    """ICO rule: corresponding date (or last day of the month), then the next working day."""
    regions = regions or regions_for(SAR)
    if closures is None:
        closures = council_closure_days()
    return next_working_day_on_or_after(add_calendar_months(received, months), regions, closures)


@dataclass(frozen=True)
class ClockInputs:
    """Everything a due date depends on; the model builds one of these."""

    kind: str
    clock_start: dt.date  # day of receipt, or the day the clock restarted (clarification reply...)
    extra_working_days: int = 0  # FOI public-interest / EIR extension
    extra_months: int = 0  # SAR extension
    paused_working_days: int = 0  # pauses that stop rather than restart the clock (FOI fees)
    paused_calendar_days: int = 0  # SAR clarification pauses
    stage: int = 1  # complaints


def base_days(kind: str, stage: int = 1) -> int:
    if kind == FOI:
        return FOI_DAYS
    if kind == EIR:
        return EIR_DAYS
    if kind == COMPLAINT:
        return complaint_stage_days(stage)
    if kind == COUNCILLOR:
        return int(settings.FOI_COUNCILLOR_ENQUIRY_DAYS)
    raise ClockError(f"No working-day target for {kind!r}")


def check_extension(kind: str, extra_working_days: int = 0, extra_months: int = 0) -> None:
    if extra_working_days < 0 or extra_months < 0:
        raise ClockError("An extension cannot be negative.")
    if kind == FOI and extra_working_days > FOI_PIT_MAX_EXTRA_DAYS:
        raise ClockError("A public-interest extension is at most 20 further working days.")
    if kind == EIR and EIR_DAYS + extra_working_days > EIR_MAX_DAYS:
        raise ClockError("An EIR request can be extended to 40 working days at most.")
    if kind == SAR and extra_months > SAR_MAX_EXTRA_MONTHS:
        raise ClockError("A subject access request can be extended by two further months at most.")
    if kind in (COMPLAINT, COUNCILLOR, SAR) and extra_working_days:
        raise ClockError("This kind of request cannot be extended by working days.")
    if kind != SAR and extra_months:
        raise ClockError("Only a subject access request can be extended by months.")


def due_date(inputs: ClockInputs, closures: frozenset[dt.date] | None = None) -> dt.date:
    if closures is None:
        closures = council_closure_days()
    regions = regions_for(inputs.kind)
    if inputs.kind == SAR:
        due = add_calendar_months(inputs.clock_start, SAR_MONTHS + inputs.extra_months)
        due += dt.timedelta(days=inputs.paused_calendar_days)
        return next_working_day_on_or_after(due, regions, closures)
    days = base_days(inputs.kind, inputs.stage) + inputs.extra_working_days + inputs.paused_working_days
    return add_working_days(inputs.clock_start, days, regions, closures)


def working_days_paused(
    kind: str, start: dt.date, end: dt.date, closures: frozenset[dt.date] | None = None
) -> int:
    """Working days from the day after ``start`` up to and including ``end`` (a pause's length)."""
    return max(0, working_days_between(start, end, regions_for(kind), closures))


def internal_review_due(requested: dt.date, closures: frozenset[dt.date] | None = None) -> dt.date:
    return add_working_days(requested, INTERNAL_REVIEW_DAYS, UK_REGIONS, closures)
