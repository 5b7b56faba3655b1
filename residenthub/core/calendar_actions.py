"""The writers of the council's calendar: closure days (ADR 0060).

A change sends ``core.signals.calendar_changed`` after commit (through the model's signals), and the
apps with clocks (cases, foi) recalculate every open due date on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .actions import ActionError, atomic, audit, require_staff
from .models import ClosureDay


@atomic
def add_closure_day(date: dt.date, reason: str, *, by: Any) -> ClosureDay:
    """Close the council on ``date`` (besides bank holidays); open due dates move on commit."""
    require_staff(by, "Only signed-in staff can change the council's calendar.")
    reason = reason.strip()
    if not reason:
        raise ActionError("Say why the council is closed on that day.")
    if ClosureDay.objects.filter(date=date).exists():
        raise ActionError(f"{date:%-d %B %Y} is already a closure day.")
    day = ClosureDay.objects.create(date=date, reason=reason[:200])
    audit(by, "core.closure_day.added", day, date=date.isoformat())
    return day


@atomic
def remove_closure_day(day: ClosureDay, *, by: Any) -> None:
    """Open the council again on ``day``; open due dates move on commit."""
    require_staff(by, "Only signed-in staff can change the council's calendar.")
    audit(by, "core.closure_day.removed", day, date=day.date.isoformat())
    day.delete()


@atomic
def save_closure_day(day: ClosureDay, *, by: Any) -> ClosureDay:
    """Add or change ``day`` as the admin form built it (its date or its reason)."""
    require_staff(by, "Only signed-in staff can change the council's calendar.")
    created = day.pk is None
    day.save()
    audit(
        by,
        "core.closure_day.added" if created else "core.closure_day.changed",
        day,
        date=day.date.isoformat(),
    )
    return day
