"""The GOV.UK service KPIs per service: cost per transaction, user satisfaction, completion rate and
digital take-up. Published as open data (no personal data, small cells suppressed)."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from residenthub.cases.models import Channel

from . import queries
from .filters import Filters
from .models import JourneyStart
from .panels import ONLINE, Names, Panel
from .suppression import SECONDARY, SUPPRESSED, THRESHOLD, rate, suppress

DEFAULT_UNIT_COSTS = Path(__file__).resolve().parent / "data" / "unit_costs.yaml"


class UnitCostError(ValueError):
    pass


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UnitCostError(f"cannot read the unit costs file {path}: {exc}") from exc
    costs = (data or {}).get("costs")
    if not isinstance(costs, dict):
        raise UnitCostError(f"{path}: needs a 'costs' mapping of channel to pounds")
    unknown = set(costs) - set(Channel.values)
    if unknown:
        raise UnitCostError(f"{path}: unknown channels {sorted(unknown)}; use {sorted(Channel.values)}")
    for channel, value in costs.items():
        if not isinstance(value, int | float) or value < 0:
            raise UnitCostError(f"{path}: the cost of '{channel}' must be a number of pounds, not {value!r}")
    default = data.get("default")
    if not isinstance(default, int | float) or default < 0:
        raise UnitCostError(
            f"{path}: 'default' (the cost of a channel not listed) must be a number of pounds"
        )
    missing = sorted(set(Channel.values) - set(costs))
    source = str(data.get("source", ""))
    if missing:
        source += f"; {', '.join(missing)}: the default £{default:.2f}"
    return {
        "costs": {**{k: float(v) for k, v in costs.items()}, **dict.fromkeys(missing, float(default))},
        "source": source,
    }


def unit_costs() -> dict:
    return _load(str(settings.INSIGHTS_UNIT_COSTS_FILE or DEFAULT_UNIT_COSTS))


def figures(filters: Filters) -> list[dict]:
    """One dict per service with its KPIs; counts already suppressed."""
    from residenthub.cases.models import Case

    from .rollup import _bounds

    costs = unit_costs()["costs"]
    names = Names()
    by_service: dict[int, Counter] = defaultdict(Counter)
    for row in queries.summed(
        filters.start, filters.end, filters.cell_q(days=False), ("service_id", "channel"), ("received",)
    ):
        by_service[row["service_id"]][row["channel"]] += row["received"]
    start, end = _bounds(filters.start, filters.end)
    service_codes = dict(_service_codes())
    started = dict(
        JourneyStart.objects.filter(started_on__gte=filters.start, started_on__lte=filters.end)
        .values_list("service_code")
        .annotate(n=Count("id"))
        .values_list("service_code", "n")
    )
    seen = Exists(JourneyStart.objects.filter(key=OuterRef("submission_key")))
    submitted = {
        row["service_id"]: row
        for row in Case.objects.filter(
            created_at__gte=start, created_at__lt=end, channel=Channel.WEB, submission_key__isnull=False
        )
        .values("service_id")
        .annotate(n=Count("id"), recorded=Count("id", filter=Q(seen)))
    }
    satisfaction = _satisfaction(start, end)
    out = []
    for service_id, channels in sorted(by_service.items(), key=lambda kv: names.label("service", kv[0])):
        total = sum(channels.values())
        online = sum(channels[c] for c in ONLINE)
        cost = sum(costs.get(c, 0.0) * n for c, n in channels.items())
        sub = submitted.get(service_id, {"n": 0, "recorded": 0})
        journeys = started.get(service_codes.get(service_id, ""), 0) + sub["n"] - sub["recorded"]
        sat = satisfaction.get(service_id, {"n": 0, "good": 0})
        out.append(
            {
                "service": service_codes.get(service_id, ""),
                "service_name": names.label("service", service_id),
                "period": filters.period,
                "transactions": suppress(total),
                "cost_per_transaction": round(cost / total, 2)
                if total >= THRESHOLD
                else (SUPPRESSED if total else ""),
                "digital_take_up": rate(online, total),
                "journeys_started": suppress(journeys),
                "journeys_completed": suppress(sub["n"]),
                # The rate gives the completed count back from the journeys started.
                "completion_rate": SECONDARY if 0 < sub["n"] < THRESHOLD else rate(sub["n"], journeys),
                "satisfaction_answers": suppress(sat["n"]),
                "user_satisfaction": rate(sat["good"], sat["n"]),
            }
        )
    return out


def _service_codes():
    from residenthub.services.models import Service

    return Service.objects.values_list("pk", "code")


def _satisfaction(start, end) -> dict:
    from django.apps import apps

    if not apps.is_installed("residenthub.feedback"):
        return {}
    from residenthub.feedback.models import FeedbackResponse

    return {
        row["service_id"]: row
        for row in FeedbackResponse.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("service_id")
        .annotate(n=Count("id"), good=Count("id", filter=Q(score__gte=4)))
    }


COLUMNS = [
    ("service_name", "Service"),
    ("transactions", "Transactions"),
    ("cost_per_transaction", "Cost per transaction (£)"),
    ("digital_take_up", "Digital take-up (%)"),
    ("journeys_started", "Online journeys started"),
    ("journeys_completed", "Online journeys completed"),
    ("completion_rate", "Completion rate (%)"),
    ("user_satisfaction", "User satisfaction (%)"),
]


def panel(filters: Filters) -> Panel:
    from . import charts

    rows_data = figures(filters)
    rows = [[r[k] for k, _ in COLUMNS] for r in rows_data]
    take_up = [r["digital_take_up"] for r in rows_data]
    source = unit_costs()["source"]
    return Panel(
        key="kpis",
        title="Service KPIs",
        caption="Cost per transaction, digital take-up, completion rate and user satisfaction by service",
        summary=(
            f"{sum(1 for t in take_up if isinstance(t, float) and t >= 50)} of {len(rows)} services "
            "had most of "
            "their transactions online."
        ),
        columns=[label for _, label in COLUMNS],
        rows=rows,
        chart=charts.bar("Digital take-up by service (%)", [r[0] for r in rows], take_up, unit="%"),
        notes=[
            f"Unit costs per channel: {source}.",
            "Completion rate: online journeys submitted out of those started (a form draft with at "
            "least one answer).",
            "User satisfaction: 'satisfied' or 'very satisfied' answers to 'How did we do?'.",
        ],
    )
