"""What the benefits page and the Cabinet report show: programmes (budget, spend, projects,
milestones), Table 3 beside the reported and measured actuals, and the loader's findings."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from . import charts
from .benefits import measured
from .models import Benefit, BenefitsLoad, Programme


def current_year(today=None) -> str:
    today = today or timezone.localdate()
    start = today.year if today.month >= 4 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _d(value) -> Decimal:
    return Decimal(str(value or 0))


def context(year: str | None = None) -> dict:
    year = year or current_year()
    load = BenefitsLoad.objects.first()
    years = (load.register.get("years") if load else None) or [year]
    programmes = []
    for p in Programme.objects.prefetch_related("projects__milestones"):
        budget = sum(_d(v) for v in p.budget.values())
        spend = sum(_d(v) for v in p.spend.values())
        milestones = [m for proj in p.projects.all() for m in proj.milestones.all()]
        late = [m for m in milestones if not m.done_on and m.due < timezone.localdate()]
        programmes.append(
            {
                "programme": p,
                "budget_by_year": [_d(p.budget.get(y)) for y in years],
                "spend_by_year": [_d(p.spend.get(y)) if y in p.spend else None for y in years],
                "budget": budget,
                "spend": spend,
                "spend_share": round(100 * spend / budget, 1) if budget else None,
                "milestones_done": sum(1 for m in milestones if m.done_on),
                "milestones": len(milestones),
                "late": late,
                "status": "Behind" if late else "On track",
            }
        )
    benefits = list(Benefit.objects.select_related("programme").prefetch_related("rag_history"))
    rows = []
    measured_rows = []
    for b in benefits:
        row = {
            "benefit": b,
            "targets": [_d(b.targets.get(y)) if y in b.targets else None for y in years],
            "actuals": [_d(b.actuals.get(y)) if y in b.actuals else None for y in years],
        }
        if b.measure:
            m = measured(b, year)
            row["measured"] = m
            measured_rows.append(row)
        rows.append(row)
    register = (load.register.get("register") if load else {}) or {}
    table3 = []
    actual_by_dir = defaultdict(lambda: defaultdict(Decimal))
    for b in benefits:
        for y, v in b.actuals.items():
            actual_by_dir[b.directorate][y] += _d(v)
    for d in register.get("directorates", []):
        table3.append(
            {
                "name": d["name"],
                "planned": [_d(d["years"].get(y)) for y in years],
                "reported": [actual_by_dir[d["name"]].get(y) for y in years],
                "stated_total": d.get("stated_total"),
            }
        )
    planned_total = [_d(register.get("total", {}).get(y)) for y in years]
    # None, not 0, for a year nobody has reported yet: a chart must not draw "nothing delivered".
    reported_total = [
        sum((r["reported"][i] for r in table3 if r["reported"][i] is not None), Decimal(0))
        if any(r["reported"][i] is not None for r in table3)
        else None
        for i in range(len(years))
    ]
    measured_total = sum((r["measured"].value for r in measured_rows), Decimal(0))
    chart_years = [str(y) for y in years]
    spend_chart = charts.grouped(
        "Programme spend against budget (£'000)",
        [p["programme"].name for p in programmes],
        {
            "Budget": [float(p["budget"]) for p in programmes],
            "Spent": [float(p["spend"]) for p in programmes],
        },
    )
    benefits_chart = charts.lines(
        "Benefits: Table 3 against reported (£'000)",
        chart_years,
        {
            "Table 3": [float(v) for v in planned_total],
            "Reported": [None if v is None else float(v) for v in reported_total],
        },
    )
    return {
        "year": year,
        "years": years,
        "load": load,
        "findings": load.findings if load else [],
        "programmes": programmes,
        "budget_total": sum((p["budget"] for p in programmes), Decimal(0)),
        "spend_total": sum((p["spend"] for p in programmes), Decimal(0)),
        "contingency": (load.register.get("contingency") if load else 0),
        "benefits": rows,
        "measured": measured_rows,
        "measured_total": measured_total,
        "table3": table3,
        "planned_total": planned_total,
        "reported_total": reported_total,
        "spend_chart": spend_chart,
        "benefits_chart": benefits_chart,
        "spend_chart_uri": charts.data_uri(spend_chart),
        "benefits_chart_uri": charts.data_uri(benefits_chart),
    }


def tables(ctx: dict) -> list:
    """The benefits page's figures as panels, for its CSV and XLSX downloads (no charts)."""
    from .panels import Panel

    years = [str(y) for y in ctx["years"]]

    def num(v):
        return "" if v is None else float(v)

    programmes = Panel(
        key="programmes",
        title="Programmes: budget, spend and milestones (£'000)",
        caption="",
        summary="",
        columns=[
            "Programme",
            *(f"{k} {y}" for y in years for k in ("Budget", "Spent")),
            "Spent of budget (%)",
            "Milestones done",
            "Milestones",
            "Status",
        ],
        rows=[
            [
                p["programme"].name,
                *(
                    v
                    for b, s in zip(p["budget_by_year"], p["spend_by_year"], strict=True)
                    for v in (num(b), "not reported" if s is None else num(s))
                ),
                "" if p["spend_share"] is None else p["spend_share"],
                p["milestones_done"],
                p["milestones"],
                p["status"],
            ]
            for p in ctx["programmes"]
        ],
    )
    table3 = Panel(
        key="table3",
        title="Benefits: Table 3 against reported actuals by directorate (£'000)",
        caption="",
        summary="",
        columns=["Directorate", *(f"{k} {y}" for y in years for k in ("Table 3", "Reported"))],
        rows=[
            [
                r["name"],
                *(
                    v
                    for p, a in zip(r["planned"], r["reported"], strict=True)
                    for v in (num(p), "none yet" if a is None else num(a))
                ),
            ]
            for r in ctx["table3"]
        ]
        + [
            [
                "Total",
                *(
                    v
                    for p, a in zip(ctx["planned_total"], ctx["reported_total"], strict=True)
                    for v in (num(p), "none yet" if a is None else num(a))
                ),
            ]
        ],
    )
    register = Panel(
        key="register",
        title="Benefits register",
        caption="",
        summary="",
        columns=[
            "Benefit",
            "Directorate",
            "Owner",
            "Cashable",
            "Baseline",
            *(f"{k} {y}" for y in years for k in ("Target", "Actual")),
            f"Measured {ctx['year']}",
            "Method",
            "RAG",
            "Rationale",
        ],
        rows=[
            [
                r["benefit"].name,
                r["benefit"].directorate,
                r["benefit"].owner,
                "Yes" if r["benefit"].cashable else "No",
                float(r["benefit"].baseline),
                *(
                    v
                    for t, a in zip(r["targets"], r["actuals"], strict=True)
                    for v in ("" if t is None else num(t), "not reported" if a is None else num(a))
                ),
                num(r["measured"].value) if r.get("measured") else "",
                r["measured"].method if r.get("measured") else "",
                r["benefit"].get_rag_display(),
                r["benefit"].rag_rationale,
            ]
            for r in ctx["benefits"]
        ],
    )
    findings = Panel(
        key="findings",
        title="Where the seed tables disagree",
        caption="",
        summary="",
        columns=["Where", "Finding"],
        rows=[[f["where"], f["message"]] for f in ctx["findings"]],
    )
    return [programmes, table3, register, findings]
