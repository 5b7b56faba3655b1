"""Render a report: HTML from a template, then a paginated PDF with WeasyPrint (table headers repeat
on every page, the filters are printed, pages are numbered) and a CSV of the same figures."""

from __future__ import annotations

import csv
import io
import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import exports, kpis, panels, tracker
from .filters import Filters
from .models import ReportDefinition


class ReportError(ValueError):
    pass


def _period_filters(definition: ReportDefinition, period: str) -> Filters:
    filters, errors = Filters.from_query({}, defaults={**definition.filters, "period": period})
    if errors:
        raise ReportError("; ".join(f"{k}: {v}" for k, v in errors.items()))
    return filters


def render(
    definition: ReportDefinition, period: str, *, timings: dict | None = None
) -> tuple[bytes, str, int, float]:
    """(pdf, csv, pages, seconds) for ``definition`` over ``period``; ``timings`` (if given) gets the
    seconds spent on the figures, the HTML, the layout and writing the PDF (for the benchmark)."""
    from weasyprint import HTML

    started = time.perf_counter()
    timings = {} if timings is None else timings
    generated = timezone.localtime()
    if definition.kind == "cabinet":
        try:
            from .filters import FINANCIAL_YEAR

            if not FINANCIAL_YEAR.match(period):
                raise ValueError
            panels_period = Filters.from_query({}, defaults={"period": period})[0]
        except ValueError:
            raise ReportError(f"'{period}' is not a financial year: use for example 2025/26.") from None
        ctx = tracker.context(period)
        ctx.update(
            definition=definition, period=period, generated=generated, council=settings.COUNCIL_NAME, pdf=True
        )
        ctx["panels"] = panels.build(panels_period, ("channel_shift", "front_door", "information_requests"))
        timings["figures"] = time.perf_counter() - started
        html = render_to_string("insights/report_cabinet.html", ctx)
        csv_text = _cabinet_csv(ctx)
    else:
        filters = _period_filters(definition, period)
        keys = [k for k in definition.panels if k != "kpis"]
        built = panels.build(filters, keys)
        if "kpis" in definition.panels:
            built.append(kpis.panel(filters))
        timings["figures"] = time.perf_counter() - started
        html = render_to_string(
            "insights/report_services.html",
            {
                "definition": definition,
                "filters": filters,
                "panels": built,
                "generated": generated,
                "council": settings.COUNCIL_NAME,
            },
        )
        csv_text = exports.to_csv(built, filters, title=definition.title)
    mark = time.perf_counter()
    timings["html"] = mark - started - timings["figures"]
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    timings["layout"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pdf = document.write_pdf()
    timings["pdf"] = time.perf_counter() - mark
    return pdf, csv_text, len(document.pages), time.perf_counter() - started


def _cabinet_csv(ctx: dict) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    years = ctx["years"]
    w.writerow(["Digital Strategy annual progress report", ctx["period"]])
    w.writerow([])
    w.writerow(["Programme", *[f"Budget {y}" for y in years], *[f"Spend {y}" for y in years], "Status"])
    for p in ctx["programmes"]:
        w.writerow(
            [
                p["programme"].name,
                *p["budget_by_year"],
                *[v if v is not None else "" for v in p["spend_by_year"]],
                p["status"],
            ]
        )
    w.writerow([])
    w.writerow(["Directorate", *[f"Table 3 {y}" for y in years], *[f"Reported {y}" for y in years]])
    for r in ctx["table3"]:
        w.writerow([r["name"], *r["planned"], *[v if v is not None else "" for v in r["reported"]]])
    w.writerow([])
    w.writerow(["Measured benefit", f"£'000 in {ctx['period']}", "Method"])
    for r in ctx["measured"]:
        w.writerow([r["benefit"].name, r["measured"].value, r["measured"].method])
    w.writerow([])
    w.writerow(["Inconsistency in the seed tables", "Detail"])
    for f in ctx["findings"]:
        w.writerow([exports.safe(f["where"]), exports.safe(f["message"])])
    return out.getvalue()
