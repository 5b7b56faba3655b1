"""Insights pages. Thin: figures come from ``panels``, ``kpis`` and ``tracker``; changes go through
``actions``. Every staff page checks ``permissions.can_view_insights``."""

from __future__ import annotations

import json
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from residenthub.accounts.auth import staff_or_councillor_required
from residenthub.cases.models import Channel
from residenthub.core.actions import ActionError, Actor

from . import actions, exports, kpis, panels, tracker
from .filters import Filters
from .models import Benefit, ReportDefinition, ReportRun, RollupDay
from .permissions import can_edit_benefits, can_view_insights

FIELD_ORDER = ("period", "service", "team", "ward", "channel", "by")


def insights_required(view):
    @staff_or_councillor_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_view_insights(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _choices():
    from residenthub.accounts.models import Team
    from residenthub.services.models import Service

    return {
        "services": list(Service.objects.values_list("code", "name").order_by("name")),
        "teams": list(Team.objects.values_list("slug", "name").order_by("name")),
        "wards": panels.wards(),
        "channels": Channel.choices,
        "dimensions": Filters.DIMENSIONS,
    }


def _export(request, built, filters, title):
    fmt = request.GET.get("format")
    period = filters.period if filters else ""
    stem = f"insights-{title.lower().replace(' ', '-').replace('/', '-')}" + (
        f"-{period.replace('/', '-')}" if period else ""
    )
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(built, filters, title), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(built, filters, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    return None


def _page_context(request, filters, errors):
    return {
        "filters": filters,
        # The base template's error summary links each message to its field (format and panel,
        # which are not fields of the form, to the period).
        "errors": [
            (f"f-{f if f in FIELD_ORDER else 'period'}", errors[f])
            for f in (*FIELD_ORDER, "panel", "format")
            if f in errors
        ],
        "error_map": errors,
        "raw": {k: request.GET.get(k, "") for k in FIELD_ORDER} if "period" in errors else {},
        "export_query": filters.query(),
    }


@insights_required
def dashboard(request):
    filters, errors = Filters.from_query(request.GET)
    keys = panels.PANEL_KEYS
    wanted = request.GET.get("panel")
    if wanted:
        if wanted not in keys:
            errors["panel"] = f"There is no panel '{wanted}'."
        else:
            keys = (wanted,)
    if request.GET.get("format") and request.GET["format"] not in ("csv", "xlsx"):
        errors["format"] = "Downloads are CSV or XLSX."
    built = panels.build(filters, keys)
    if not errors and (response := _export(request, built, filters, "dashboard")):
        return response
    context = _page_context(request, filters, errors)
    context.update(
        panels=built,
        choices=_choices(),
        built=RollupDay.objects.filter(day__gte=filters.start, day__lte=filters.end).exists(),
    )
    return render(request, "insights/dashboard.html", context, status=400 if errors else 200)


@insights_required
def kpi_page(request):
    filters, errors = Filters.from_query(request.GET)
    panel = kpis.panel(filters)
    if not errors and (response := _export(request, [panel], filters, "kpis")):
        return response
    context = _page_context(request, filters, errors)
    context.update(panel=panel, unit_costs=kpis.unit_costs(), choices=_choices())
    return render(request, "insights/kpis.html", context, status=400 if errors else 200)


@insights_required
def benefits(request, errors=None, status=200):
    year = request.GET.get("year") or tracker.current_year()
    context = tracker.context(year if year in _years() else tracker.current_year())
    fmt = request.GET.get("format")
    if fmt and errors is None:
        if fmt not in ("csv", "xlsx"):
            errors, status = [("year", "Downloads are CSV or XLSX.")], 400
        else:
            return _export(request, tracker.tables(context), None, f"benefits {context['year']}")
    context.update(can_edit=can_edit_benefits(request.user), rags=Benefit.Rag.choices, errors=errors or [])
    return render(request, "insights/benefits.html", context, status=status)


def _years():
    from .models import BenefitsLoad

    load = BenefitsLoad.objects.first()
    return (load.register.get("years") if load else None) or [tracker.current_year()]


@require_http_methods(["POST"])
@insights_required
def set_rag(request, slug):
    benefit = get_object_or_404(Benefit, slug=slug)
    if not can_edit_benefits(request.user):
        raise PermissionDenied
    try:
        actions.set_rag(
            benefit,
            request.POST.get("rag", ""),
            request.POST.get("rationale", ""),
            by=Actor.from_request(request),
        )
    except ActionError as exc:
        return benefits(request, errors=[(f"rationale-{benefit.slug}", str(exc))], status=400)
    return redirect(f"{reverse('insights:benefits')}#b-{benefit.slug}")


@insights_required
def reports(request):
    return render(
        request,
        "insights/reports.html",
        {
            "definitions": ReportDefinition.objects.all(),
            "runs": ReportRun.objects.select_related("definition").defer("pdf", "csv")[:100],
        },
    )


@insights_required
def report_file(request, pk, kind):
    run = get_object_or_404(ReportRun.objects.select_related("definition"), pk=pk)
    stem = f"{run.definition.name}-{run.period.replace('/', '-')}"
    if kind == "pdf":
        response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{stem}.pdf"'
    else:
        response = HttpResponse(run.csv, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


# --- open data (public) ----------------------------------------------------------------------------


def _open_data(request):
    filters, errors = Filters.from_query({"period": request.GET.get("period", "")})
    return filters, errors


def kpis_csv(request):
    filters, errors = _open_data(request)
    if errors:
        return JsonResponse({"errors": [{"field": k, "message": v} for k, v in errors.items()]}, status=400)
    rows = kpis.figures(filters)
    import csv
    import io

    out = io.StringIO()
    fields = [
        "period",
        "service",
        "service_name",
        "transactions",
        "cost_per_transaction",
        "digital_take_up",
        "journeys_started",
        "journeys_completed",
        "completion_rate",
        "satisfaction_answers",
        "user_satisfaction",
    ]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: exports.safe(v) for k, v in row.items()})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="service-kpis-{filters.period.replace("/", "-")}.csv"'
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def kpis_json(request):
    filters, errors = _open_data(request)
    if errors:
        return JsonResponse({"errors": [{"field": k, "message": v} for k, v in errors.items()]}, status=400)
    body = {
        "title": "Service KPIs",
        "period": filters.period,
        "from": filters.start.isoformat(),
        "to": filters.end.isoformat(),
        "suppression": (
            "counts from 1 to 4 are given as '<5'; rates that would reveal them likewise; '[c]' marks a "
            "count withheld so that a '<5' cannot be worked out from a total"
        ),
        "unit_costs": kpis.unit_costs(),
        "licence": "Open Government Licence v3.0",
        "services": kpis.figures(filters),
    }
    response = HttpResponse(json.dumps(body, indent=1), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
