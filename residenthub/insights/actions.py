"""The only writers of insights' own tables. Each action validates, writes in one transaction and
records an audit entry (core.actions); the roll-up writers (``store_rollups``, ``rebuild_months``)
write derived figures only and are not audited (the job's log says what it built)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import timezone

from residenthub.core.actions import ActionError, atomic, audit

from . import benefits as benefits_file
from .models import (
    Benefit,
    BenefitsLoad,
    DailyBacklog,
    DailyCaseStat,
    DailyCloseTime,
    JourneyStart,
    Milestone,
    MonthlyCaseStat,
    MonthlyCloseTime,
    Programme,
    Project,
    RagChange,
    ReportDefinition,
    ReportRun,
    RollupDay,
)

DEFAULT_REPORTS = Path(__file__).resolve().parent / "data" / "reports.yaml"


def load_benefits(path: Path | str | None = None, *, by=None) -> BenefitsLoad:
    """Load the programmes and the benefits register from YAML; store and return what ``check`` found.

    Owners' RAG statuses already set through ``set_rag`` are kept: the file sets a benefit's RAG only
    when the benefit is new. Raises ``BenefitsFileError`` (nothing saved) when the file is unusable.
    """
    path = Path(path or benefits_file.benefits_file())
    data = benefits_file.read(path)
    findings = benefits_file.check(data)
    with atomic():
        for position, p in enumerate(data["programmes"]):
            programme, _ = Programme.objects.update_or_create(
                slug=p["slug"],
                defaults={
                    "name": p["name"],
                    "budget": p["budget"],
                    "spend": p.get("spend") or {},
                    "position": position,
                },
            )
            for proj in p.get("projects") or []:
                project, _ = Project.objects.update_or_create(
                    slug=proj["slug"],
                    defaults={"programme": programme, "name": proj["name"], "status": proj.get("status", "")},
                )
                project.milestones.all().delete()
                Milestone.objects.bulk_create(
                    Milestone(project=project, name=m["name"], due=m["due"], done_on=m.get("done_on"))
                    for m in proj.get("milestones") or []
                )
        programmes = dict(Programme.objects.values_list("slug", "pk"))
        for b in data.get("benefits") or []:
            fields = {
                "name": b["name"],
                "programme_id": programmes.get(b.get("programme")),
                "directorate": b["directorate"],
                "owner": b["owner"],
                "cashable": bool(b.get("cashable", True)),
                "baseline": b.get("baseline", 0) or 0,
                "targets": b.get("targets") or {},
                "actuals": b.get("actuals") or {},
                "measure": b.get("measure") or {},
            }
            benefit, created = Benefit.objects.update_or_create(
                slug=b["slug"],
                defaults=fields,
                create_defaults={**fields, "rag": b["rag"], "rag_rationale": b["rationale"]},
            )
            if created:
                RagChange.objects.create(
                    benefit=benefit,
                    to_rag=b["rag"],
                    rationale=b["rationale"],
                    by_label="loaded from the register",
                )
        load = BenefitsLoad.objects.create(
            source=str(path),
            register={
                "years": data["years"],
                "register": data["register"],
                "contingency": data.get("contingency", 0),
                "programme_totals_stated": data.get("programme_totals_stated", {}),
                "facts": data.get("facts", []),
            },
            findings=findings,
        )
        audit(by, "insights.benefits_loaded", load, findings=len(findings))
    return load


def set_rag(benefit: Benefit, rag: str, rationale: str, *, by) -> Benefit:
    """Change a benefit's RAG status. A rationale is required; the change joins the history."""
    from .permissions import can_edit_benefits

    user = getattr(by, "user", by)
    if user is not None and getattr(user, "is_authenticated", False) and not can_edit_benefits(user):
        raise ActionError("Only team leaders, service managers and administrators can change a RAG status.")
    rationale = (rationale or "").strip()
    if rag not in Benefit.Rag.values:
        raise ActionError("Choose red, amber or green.")
    if not rationale:
        raise ActionError("Give the reason for this RAG status.")
    if len(rationale) > 2000:
        raise ActionError("Keep the reason to 2,000 characters or fewer.")
    with atomic():
        benefit = Benefit.objects.select_for_update().get(pk=benefit.pk)
        previous = benefit.rag
        now = timezone.now()
        Benefit.objects.filter(pk=benefit.pk).update(rag=rag, rag_rationale=rationale, rag_changed_at=now)
        staff = (
            getattr(by, "staff", None)
            if hasattr(by, "staff")
            else (by if getattr(by, "is_authenticated", False) else None)
        )
        RagChange.objects.create(
            benefit=benefit,
            at=now,
            by=staff,
            by_label="" if staff else str(by or "system"),
            from_rag=previous,
            to_rag=rag,
            rationale=rationale,
        )
        audit(by, "insights.rag_changed", benefit, **{"from": previous, "to": rag})
    benefit.refresh_from_db()
    return benefit


def reports_file() -> Path:
    return Path(settings.INSIGHTS_REPORTS_FILE or DEFAULT_REPORTS)


def load_reports(path: Path | str | None = None, *, by=None) -> list[ReportDefinition]:
    """Report definitions from YAML. Every mistake is named; nothing is saved unless all are valid."""
    from .panels import PANEL_KEYS

    path = Path(path or reports_file())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ActionError(f"cannot read the reports file {path}: {exc}") from exc
    reports = data.get("reports")
    if not isinstance(reports, list) or not reports:
        raise ActionError(f"{path}: expected a list under 'reports'")
    errors, clean = [], []
    for i, r in enumerate(reports):
        where = f"reports[{i}] ({r.get('name', '?')})"
        if not r.get("name") or not r.get("title"):
            errors.append(f"{where}: 'name' and 'title' are required")
            continue
        kind = r.get("kind", "services")
        if kind not in ("services", "cabinet"):
            errors.append(f"{where}: kind must be 'services' or 'cabinet'")
        panels = r.get("panels") or ([] if kind == "cabinet" else list(PANEL_KEYS))
        unknown = [p for p in panels if p not in PANEL_KEYS and p != "kpis"]
        if unknown:
            errors.append(f"{where}: unknown panels {unknown}; choose from {[*PANEL_KEYS, 'kpis']}")
        frequency = r.get("frequency", "monthly")
        if frequency not in ReportDefinition.Frequency.values:
            errors.append(f"{where}: frequency must be monthly, weekly or annual")
        recipients = r.get("recipients") or []
        bad = [x for x in recipients if not isinstance(x, str) or "@" not in x]
        if bad:
            errors.append(f"{where}: these recipients are not email addresses: {bad}")
        filters = r.get("filters") or {}
        if not isinstance(filters, dict) or set(filters) - {"service", "team", "ward", "channel", "by"}:
            errors.append(f"{where}: filters may set service, team, ward, channel and by")
        clean.append(
            {
                "name": r["name"],
                "title": r["title"],
                "kind": kind,
                "panels": panels,
                "filters": filters,
                "recipients": recipients,
                "frequency": frequency,
                "active": bool(r.get("active", True)),
            }
        )
    if errors:
        raise ActionError("; ".join(errors))
    with atomic():
        out = []
        for r in clean:
            definition, _ = ReportDefinition.objects.update_or_create(name=r.pop("name"), defaults=r)
            out.append(definition)
        audit(by, "insights.reports_loaded", out[0], count=len(out))
    return out


def archive_run(
    definition: ReportDefinition,
    period: str,
    pdf: bytes,
    csv_text: str,
    *,
    pages: int,
    seconds: float,
    by=None,
) -> ReportRun:
    with atomic():
        run = ReportRun.objects.create(
            definition=definition,
            period=period,
            pdf=pdf,
            csv=csv_text,
            pages=pages,
            seconds=seconds,
            created_by=str(by or "system"),
        )
        audit(by, "insights.report_run", run, report=definition.name, period=period)
    return run


def send_run(run: ReportRun, *, by=None) -> list[str]:
    """Email the report's recipients through the outbox: a summary and a link to the archive (staff
    sign in to read it), never the figures themselves in an email."""
    from residenthub.core.outbox import queue_email

    recipients = list(run.definition.recipients)
    if not recipients:
        return []
    link = f"{settings.SITE_URL}/staff/insights/reports/{run.pk}/pdf"
    body = (
        f"{run.definition.title} for {run.period} is ready ({run.pages} pages).\n\n"
        f"Read it here (staff sign-in): {link}\n\n{settings.COUNCIL_NAME}"
    )
    with atomic():
        for address in recipients:
            queue_email(address, f"{run.definition.title}: {run.period}", body)
        ReportRun.objects.filter(pk=run.pk).update(sent_to=recipients)
        audit(by, "insights.report_sent", run, recipients=len(recipients))
    return recipients


def record_journeys(drafts: list[tuple[str, str]], day: dt.date | None = None) -> int:
    """Remember form journeys seen in progress: (draft key, service code) pairs. Returns new ones."""
    day = day or timezone.localdate()
    keys = {k for k, _ in drafts}
    known = set(JourneyStart.objects.filter(key__in=keys).values_list("key", flat=True))
    new = [
        JourneyStart(key=k, service_code=c, started_on=day) for k, c in dict(drafts).items() if k not in known
    ]
    JourneyStart.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- roll-ups (counted by ``rollup.build_days``) ------------------------------------------------------

CELL = ("service_id", "team_id", "ward", "channel")


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def store_rollups(first: dt.date, last: dt.date, stats, close_times, backlog_rows, per_day) -> None:
    """Replace the roll-ups of the days ``first`` to ``last`` with the figures counted, and rebuild the
    months they fall in, in one transaction: a reader never sees a month that disagrees with its days.

    ``stats``: {(day, service, team, ward, channel): [received, closed, in time, reopened, duplicates]};
    ``close_times``: {(day, service, team, ward, channel, working days): count}; ``backlog_rows``:
    unsaved ``DailyBacklog``; ``per_day``: {day: cases received}."""
    with atomic():
        for model in (DailyCaseStat, DailyCloseTime, DailyBacklog):
            model.objects.filter(day__gte=first, day__lte=last).delete()
        RollupDay.objects.filter(day__gte=first, day__lte=last).delete()
        DailyCaseStat.objects.bulk_create(
            (
                DailyCaseStat(
                    day=d,
                    service_id=s,
                    team_id=t,
                    ward=w,
                    channel=c,
                    received=r[0],
                    closed=r[1],
                    closed_in_time=r[2],
                    reopened=r[3],
                    duplicates=r[4],
                )
                for (d, s, t, w, c), r in stats.items()
            ),
            batch_size=5000,
        )
        DailyCloseTime.objects.bulk_create(
            (
                DailyCloseTime(day=d, service_id=s, team_id=t, ward=w, channel=c, working_days=n, count=k)
                for (d, s, t, w, c, n), k in close_times.items()
            ),
            batch_size=5000,
        )
        DailyBacklog.objects.bulk_create(backlog_rows, batch_size=5000)
        now = timezone.now()
        RollupDay.objects.bulk_create(
            RollupDay(day=first + dt.timedelta(n), built_at=now, cases=per_day[first + dt.timedelta(n)])
            for n in range((last - first).days + 1)
        )
        rebuild_months(_months(first, last))


def rebuild_months(months: list[dt.date]) -> int:
    """Rewrite the monthly rows of ``months`` (first days) as the sums of their daily rows."""
    from django.db.models import Sum

    if not months:
        return 0
    written = 0
    with atomic():
        for month in months:
            last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            days = {"day__gte": month, "day__lte": last}
            MonthlyCaseStat.objects.filter(month=month).delete()
            MonthlyCloseTime.objects.filter(month=month).delete()
            written += len(
                MonthlyCaseStat.objects.bulk_create(
                    (
                        MonthlyCaseStat(month=month, **row)
                        for row in DailyCaseStat.objects.filter(**days)
                        .values(*CELL)
                        .annotate(
                            received=Sum("received"),
                            closed=Sum("closed"),
                            closed_in_time=Sum("closed_in_time"),
                            reopened=Sum("reopened"),
                            duplicates=Sum("duplicates"),
                        )
                        .order_by()
                    ),
                    batch_size=5000,
                )
            )
            MonthlyCloseTime.objects.bulk_create(
                (
                    MonthlyCloseTime(month=month, **row)
                    for row in DailyCloseTime.objects.filter(**days)
                    .values(*CELL, "working_days")
                    .annotate(count=Sum("count"))
                    .order_by()
                ),
                batch_size=5000,
            )
    return written
