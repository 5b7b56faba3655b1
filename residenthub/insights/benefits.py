"""The benefits tracker: the strategy's YAML read, checked and measured.

``check(data)`` returns every disagreement in the seed tables (a row that does not add up, a total
that differs from its parts, a figure stated twice with two values). The loader stores them and the
benefits page lists them: they are reported, never corrected (docs/adr/0084-benefits-register.md).

``measured(benefit, year)`` measures a benefit from the platform, and says how.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "benefits.yaml"
RAGS = ("red", "amber", "green")
MEASURES = ("channel_shift", "staff_time", "foi_time")


class BenefitsFileError(ValueError):
    """The file cannot be loaded at all; the message names the place."""


def benefits_file() -> Path:
    return Path(settings.INSIGHTS_BENEFITS_FILE or DEFAULT_FILE)


def read(path: Path | str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BenefitsFileError(f"cannot read {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise BenefitsFileError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise BenefitsFileError(f"{path}: expected a mapping with 'programmes', 'register' and 'benefits'")
    validate(data)
    return data


def _num(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BenefitsFileError(f"{where}: {value!r} is not a number")
    return value


def validate(data: dict) -> None:
    """Structure only: the figures' agreement is for ``check``."""
    years = data.get("years")
    if not isinstance(years, list) or not years:
        raise BenefitsFileError("'years' must list the financial years, e.g. ['2024/25', '2025/26']")
    slugs = set()
    for i, p in enumerate(data.get("programmes") or []):
        where = f"programmes[{i}]"
        for key in ("slug", "name", "budget"):
            if key not in p:
                raise BenefitsFileError(f"{where}: '{key}' is missing")
        slugs.add(p["slug"])
        for year, value in {**p["budget"], **(p.get("spend") or {})}.items():
            if year not in years:
                raise BenefitsFileError(f"{where} ({p['slug']}): '{year}' is not one of the years {years}")
            _num(value, f"{where} ({p['slug']}) {year}")
        for j, project in enumerate(p.get("projects") or []):
            for k, m in enumerate(project.get("milestones") or []):
                if not isinstance(m.get("due"), dt.date):
                    raise BenefitsFileError(
                        f"{where}.projects[{j}].milestones[{k}]: 'due' must be a date (YYYY-MM-DD)"
                    )
    if not slugs:
        raise BenefitsFileError("'programmes' is empty")
    register = data.get("register")
    if not isinstance(register, dict) or "total" not in register:
        raise BenefitsFileError("'register' (Table 3) with its 'total' by year is missing")
    seen = set()
    for i, b in enumerate(data.get("benefits") or []):
        where = f"benefits[{i}]"
        for key in ("slug", "name", "directorate", "owner", "rag", "rationale"):
            if not b.get(key):
                raise BenefitsFileError(f"{where}: '{key}' is missing")
        if b["slug"] in seen:
            raise BenefitsFileError(f"{where}: the slug '{b['slug']}' is used twice")
        seen.add(b["slug"])
        if b["rag"] not in RAGS:
            raise BenefitsFileError(
                f"{where} ({b['slug']}): rag must be red, amber or green, not {b['rag']!r}"
            )
        if b.get("programme") and b["programme"] not in slugs:
            raise BenefitsFileError(f"{where} ({b['slug']}): no programme '{b['programme']}'")
        for key in ("targets", "actuals"):
            for year, value in (b.get(key) or {}).items():
                if year not in years:
                    raise BenefitsFileError(f"{where} ({b['slug']}) {key}: '{year}' is not one of the years")
                _num(value, f"{where} ({b['slug']}) {key} {year}")
        measure = b.get("measure")
        if measure is not None and (not isinstance(measure, dict) or measure.get("kind") not in MEASURES):
            raise BenefitsFileError(f"{where} ({b['slug']}): measure.kind must be one of {list(MEASURES)}")


def _finding(where: str, message: str, expected=None, stated=None) -> dict:
    return {"where": where, "message": message, "expected": expected, "stated": stated}


def check(data: dict) -> list[dict]:
    """Every disagreement between the figures of the file (and so of the seed report)."""
    years = data["years"]
    found: list[dict] = []
    programmes = data.get("programmes") or []
    for p in programmes:
        total = sum(p["budget"].get(y, 0) for y in years)
        if "stated_total" in p and total != p["stated_total"]:
            found.append(
                _finding(
                    f"Table 1, {p['name']}",
                    f"the years add up to {total:,}, the row says {p['stated_total']:,}",
                    total,
                    p["stated_total"],
                )
            )
        if "headline" in p and p["headline"] != p.get("stated_total", total):
            found.append(
                _finding(
                    f"Paragraph 11, {p['name']}",
                    f"headline £{p['headline']:,}k differs from Table 1's {total:,}",
                    total,
                    p["headline"],
                )
            )
    stated = data.get("programme_totals_stated") or {}
    for y in years:
        total = sum(p["budget"].get(y, 0) for p in programmes)
        if y in stated and stated[y] != total:
            found.append(
                _finding(
                    f"Table 1, Total {y}",
                    f"the programmes add up to {total:,}, the total says {stated[y]:,}",
                    total,
                    stated[y],
                )
            )
    grand = sum(sum(p["budget"].get(y, 0) for y in years) for p in programmes)
    if "total" in stated and stated["total"] != grand:
        found.append(
            _finding(
                "Table 1, Total",
                f"the programmes add up to {grand:,}, the total says {stated['total']:,}",
                grand,
                stated["total"],
            )
        )
    if data.get("headline_investment") and data["headline_investment"] != grand:
        found.append(
            _finding(
                "Headline investment",
                f"£{data['headline_investment']:,}k stated, Table 1 adds up to {grand:,}",
                grand,
                data["headline_investment"],
            )
        )

    capital = data.get("capital_budget")
    if capital:
        n_strategy = len(years)
        summed = [0] * len(capital["years"])
        for row in capital["rows"]:
            values = row["values"]
            summed = [a + b for a, b in zip(summed, values, strict=False)]
            period, total = sum(values[:n_strategy]), sum(values)
            if period != row.get("stated_strategy_period", period):
                found.append(
                    _finding(
                        f"Table 2, {row['name']}",
                        f"strategy years add up to {period:,}, the row says "
                        f"{row['stated_strategy_period']:,}",
                        period,
                        row["stated_strategy_period"],
                    )
                )
            if total != row.get("stated_total", total):
                found.append(
                    _finding(
                        f"Table 2, {row['name']}",
                        f"the years add up to {total:,}, the row says {row['stated_total']:,}",
                        total,
                        row["stated_total"],
                    )
                )
        total_row = capital.get("stated_total_row")
        if total_row:
            for year, a, b in zip(capital["years"], summed, total_row["values"], strict=False):
                if a != b:
                    found.append(
                        _finding(
                            f"Table 2, Total {year}", f"the rows add up to {a:,}, the total says {b:,}", a, b
                        )
                    )
            if sum(summed) != total_row.get("stated_total", sum(summed)):
                found.append(
                    _finding(
                        "Table 2, Total",
                        f"the rows add up to {sum(summed):,}, the total says {total_row['stated_total']:,}",
                        sum(summed),
                        total_row["stated_total"],
                    )
                )
            remaining = capital.get("stated_remaining") or {}
            released = capital.get("released_to_date", 0)
            period_left = sum(total_row["values"][:n_strategy]) - released
            if "strategy_period" in remaining and remaining["strategy_period"] != period_left:
                found.append(
                    _finding(
                        "Table 2, Remaining (strategy period)",
                        f"{period_left:,} by subtraction, {remaining['strategy_period']:,} stated",
                        period_left,
                        remaining["strategy_period"],
                    )
                )
            if period_left < grand:
                found.append(
                    _finding(
                        "Table 2 against Table 1",
                        f"the remaining budget for the strategy period ({period_left:,}) is "
                        f"{grand - period_left:,} short of the programme spend ({grand:,})",
                        grand,
                        period_left,
                    )
                )

    register = data["register"]
    total_by_year = register["total"]
    reg_total = sum(total_by_year.get(y, 0) for y in years)
    if register.get("stated_total") not in (None, reg_total):
        found.append(
            _finding(
                "Table 3",
                f"the years add up to {reg_total:,}, the total says {register['stated_total']:,}",
                reg_total,
                register["stated_total"],
            )
        )
    directorates = register.get("directorates") or []
    for d in directorates:
        total = sum(d["years"].get(y, 0) for y in years)
        if "stated_total" in d and total != d["stated_total"]:
            found.append(
                _finding(
                    f"Table 3 by directorate, {d['name']}",
                    f"the years add up to {total:,}, the row says {d['stated_total']:,}",
                    total,
                    d["stated_total"],
                )
            )
    if directorates:
        for y in years:
            total = sum(d["years"].get(y, 0) for d in directorates)
            if total != total_by_year.get(y):
                found.append(
                    _finding(
                        f"Table 3 by directorate, {y}",
                        f"the directorates add up to {total:,}, Table 3 says {total_by_year.get(y):,}",
                        total,
                        total_by_year.get(y),
                    )
                )
        stated_rows = sum(d.get("stated_total", 0) for d in directorates)
        if stated_rows != reg_total:
            found.append(
                _finding(
                    "Table 3 by directorate, Strategy Period",
                    f"the rows' printed totals add up to {stated_rows:,}, Table 3 says {reg_total:,}",
                    reg_total,
                    stated_rows,
                )
            )

    for fact in data.get("facts") or []:
        exact = [s for s in fact["statements"] if not s.get("rounded")]
        values = {s["value"] for s in exact}
        if len(values) > 1:
            said = "; ".join(f"{s['value']:,} ({s['where']})" for s in exact)
            found.append(_finding(fact["fact"], f"stated with different values: {said}"))
        for s in fact["statements"]:
            if s.get("rounded") and exact and abs(s["value"] - exact[0]["value"]) > 0.05 * exact[0]["value"]:
                found.append(
                    _finding(
                        fact["fact"],
                        f"{s['value']:,} ({s['where']}) is more than rounding away from "
                        f"{exact[0]['value']:,}",
                    )
                )

    benefits = data.get("benefits") or []
    for d in directorates:
        for y in years:
            planned = sum(
                (b.get("targets") or {}).get(y, 0) for b in benefits if b["directorate"] == d["name"]
            )
            if planned != d["years"].get(y, 0):
                found.append(
                    _finding(
                        f"Benefits register, {d['name']} {y}",
                        f"the benefits' targets add up to {planned:,}, Table 3 says {d['years'].get(y, 0):,}",
                        d["years"].get(y, 0),
                        planned,
                    )
                )
    return found


# --- measured benefits -----------------------------------------------------------------------------


@dataclass
class Measurement:
    value: Decimal  # £'000 in the year
    method: str  # how, with the figures used
    inputs: dict


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    from .filters import parse_period

    return parse_period(year)


def measured(benefit, year: str) -> Measurement | None:
    """The platform's measurement of a benefit with a ``measure`` in ``year`` (e.g. "2025/26")."""
    spec = benefit.measure or {}
    kind = spec.get("kind")
    if not kind:
        return None
    start, end = year_bounds(year)
    return {"channel_shift": _channel_shift, "staff_time": _staff_time, "foi_time": _foi_time}[kind](
        spec, start, end
    )


def _k(pounds: float) -> Decimal:
    return Decimal(str(round(pounds / 1000.0, 1)))


def _channel_shift(spec, start, end) -> Measurement:
    from django.db.models import Sum

    from .kpis import unit_costs
    from .models import DailyCaseStat
    from .panels import ONLINE

    costs = unit_costs()["costs"]
    rows = dict(
        DailyCaseStat.objects.filter(day__gte=start, day__lte=end)
        .values_list("channel")
        .annotate(n=Sum("received"))
        .values_list("channel", "n")
    )
    total = sum(rows.values())
    online = sum(n for c, n in rows.items() if c in ONLINE)
    offline = {c: n for c, n in rows.items() if c not in ONLINE}
    offline_n = sum(offline.values())
    offline_cost = (
        (sum(costs[c] * n for c, n in offline.items()) / offline_n) if offline_n else costs["phone"]
    )
    baseline = float(spec.get("baseline_online_share", 0.0))
    moved = max(0.0, online - baseline * total)
    saving = moved * (offline_cost - costs["web"])
    method = (
        f"{online:,} of {total:,} requests came online; at the baseline share of {baseline:.0%} it "
        "would have been "
        f"{baseline * total:,.0f}, so {moved:,.0f} contacts moved online, each saving "
        f"£{offline_cost - costs['web']:.2f} "
        f"(average offline unit cost £{offline_cost:.2f} less £{costs['web']:.2f} online)."
    )
    return Measurement(_k(saving), method, {"online": online, "total": total, "moved": round(moved)})


def _staff_time(spec, start, end) -> Measurement:
    from residenthub.cases.models import CaseEvent
    from residenthub.triage.models import TriageRecord

    from .rollup import _bounds

    s, e = _bounds(start, end)
    answered = (
        TriageRecord.objects.filter(
            created_at__gte=s, created_at__lt=e, case__isnull=True, answer__found=True
        )
        .exclude(needs_human=True)
        .count()
    )
    automatic = CaseEvent.objects.filter(
        at__gte=s, at__lt=e, kind=CaseEvent.Kind.STATUS_CHANGED, actor__isnull=True
    ).count()
    per_answer = float(spec.get("minutes_per_answer", 6))
    per_step = float(spec.get("minutes_per_automatic_step", 3))
    rate = float(spec.get("pounds_per_hour", 32))
    hours = (answered * per_answer + automatic * per_step) / 60.0
    method = (
        f"{answered:,} front-door questions settled by an answer from our pages × {per_answer:g} "
        "minutes of an "
        f"adviser's time, plus {automatic:,} workflow steps taken automatically × {per_step:g} minutes = "
        f"{hours:,.0f} staff hours at £{rate:g} an hour."
    )
    return Measurement(
        _k(hours * rate), method, {"answered": answered, "automatic": automatic, "hours": round(hours)}
    )


def _foi_time(spec, start, end) -> Measurement:
    from residenthub.foi.models import Document, InformationRequest

    from .rollup import _bounds

    s, e = _bounds(start, end)
    redacted = Document.objects.filter(redacted_at__gte=s, redacted_at__lt=e).count()
    answered = InformationRequest.objects.filter(responded_on__gte=start, responded_on__lte=end).count()
    per_doc = float(spec.get("hours_per_redacted_document", 1.5))
    per_request = float(spec.get("hours_per_answered_request", 0.5))
    rate = float(spec.get("pounds_per_hour", 32))
    hours = redacted * per_doc + answered * per_request
    method = (
        f"{redacted:,} documents redacted with the tool × {per_doc:g} hours saved, plus {answered:,} "
        "requests "
        f"answered on the platform's clocks and templates × {per_request:g} hours = {hours:,.1f} "
        f"hours at £{rate:g} an hour."
    )
    return Measurement(_k(hours * rate), method, {"redacted": redacted, "answered": answered, "hours": hours})
