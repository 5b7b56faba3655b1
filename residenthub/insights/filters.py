"""The dashboard's filters: period, service, team, ward, channel. Parsed from a query string with
specific errors, and printed on every page, export and report."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from residenthub.cases.models import Channel

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
MAX_DAYS = 3 * 366


def last_month(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2026-10`` (a month), ``2025/26`` (a financial year, April to March) or ``2026-09-01..2026-10-31``."""
    text = (text or "").strip()
    if m := MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a month: use YYYY-MM, for example 2026-10.")
        start = dt.date(year, month, 1)
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return start, end
    if m := FINANCIAL_YEAR.match(text):
        year = int(m[1])
        if (year + 1) % 100 != int(m[2]):
            raise ValueError(f"'{text}' is not a financial year: use for example 2025/26.")
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    if ".." in text:
        left, right = text.split("..", 1)
        try:
            start, end = dt.date.fromisoformat(left), dt.date.fromisoformat(right)
        except ValueError:
            raise ValueError(f"'{text}' is not a date range: use YYYY-MM-DD..YYYY-MM-DD.") from None
        if end < start:
            raise ValueError("The end of the period is before its start.")
        if (end - start).days > MAX_DAYS:
            raise ValueError("Choose a period of three years or less.")
        return start, end
    raise ValueError(
        f"'{text}' is not a period: use a month (2026-10), a financial year (2025/26) "
        "or a date range (2026-09-01..2026-10-31)."
    )


@dataclass
class Filters:
    period: str
    start: dt.date
    end: dt.date
    service_id: int | None = None
    team_id: int | None = None
    ward: str = ""
    channel: str = ""
    by: str = "service"
    names: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)

    DIMENSIONS = (("service", "Service"), ("team", "Team"), ("ward", "Ward"), ("channel", "Channel"))

    @classmethod
    def from_query(cls, params, *, defaults: dict | None = None) -> tuple[Filters, dict[str, str]]:
        """Filters from GET parameters (or a report's filters); ``errors`` maps field to message."""
        from residenthub.accounts.models import Team
        from residenthub.services.models import Service

        data = dict(defaults or {})
        data.update(
            {
                k: params.get(k)
                for k in ("period", "service", "team", "ward", "channel", "by")
                if params.get(k)
            }
        )
        errors: dict[str, str] = {}
        period = data.get("period") or last_month()
        try:
            start, end = parse_period(period)
        except ValueError as exc:
            errors["period"] = str(exc)
            period = last_month()
            start, end = parse_period(period)
        filters = cls(period=period, start=start, end=end)
        service = data.get("service") or ""
        if service:
            found = Service.objects.filter(code=service).values_list("pk", "name").first()
            if found:
                filters.service_id, filters.names["service"] = found
            else:
                errors["service"] = f"There is no service '{service}' in the catalogue."
        team = data.get("team") or ""
        if team:
            found = Team.objects.filter(slug=team).values_list("pk", "name").first()
            if found:
                filters.team_id, filters.names["team"] = found
            else:
                errors["team"] = f"There is no team '{team}'."
        ward = (data.get("ward") or "").strip()
        if len(ward) > 100:
            errors["ward"] = "A ward name is at most 100 characters."
        else:
            filters.ward = ward
        channel = data.get("channel") or ""
        if channel and channel not in Channel.values:
            errors["channel"] = f"'{channel}' is not a channel; choose one from the list."
        else:
            filters.channel = channel
        by = data.get("by") or "service"
        if by not in dict(cls.DIMENSIONS):
            errors["by"] = "Choose service, team, ward or channel."
        else:
            filters.by = by
        filters.codes = {
            "service": service if filters.service_id else "",
            "team": team if filters.team_id else "",
        }
        return filters, errors

    def cell_q(self, *, days: bool = True) -> Q:
        """A filter on the roll-up tables."""
        q = Q(day__gte=self.start, day__lte=self.end) if days else Q()
        if self.service_id:
            q &= Q(service_id=self.service_id)
        if self.team_id:
            q &= Q(team_id=self.team_id)
        if self.ward:
            q &= Q(ward=self.ward)
        if self.channel:
            q &= Q(channel=self.channel)
        return q

    def described(self) -> list[tuple[str, str]]:
        """The filters in words, printed on pages, exports and reports."""
        return [
            ("Period", f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y} ({self.period})"),
            ("Service", self.names.get("service", "All services")),
            ("Team", self.names.get("team", "All teams")),
            ("Ward", self.ward or "All wards"),
            ("Channel", Channel(self.channel).label if self.channel else "All channels"),
        ]

    def query(self, **override) -> str:
        from urllib.parse import urlencode

        values = {
            "period": self.period,
            "service": self.codes.get("service", ""),
            "team": self.codes.get("team", ""),
            "ward": self.ward,
            "channel": self.channel,
            "by": self.by,
        }
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v})
