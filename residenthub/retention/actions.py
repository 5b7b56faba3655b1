"""The only writers of retention data, and the only code that erases other apps' records on the
schedule's or a resident's behalf (through ``engine``, inside ``core.models.erasure_allowed``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.accounts import permissions
from residenthub.core import personal_data_registry as registry
from residenthub.core.actions import ActionError, Actor, after_commit, as_actor, atomic, audit
from residenthub.core.personal_data_registry import ANONYMISE, DELETE, WARD

from . import engine, queries
from .engine import Roots
from .models import ErasureRequest, LegalHold, ReplayEntry, SweepRun
from .schedule import Schedule, load

log = logging.getLogger(__name__)
MAX_REASON = 300


def _require_manager(by) -> None:
    actor = as_actor(by)
    if actor.staff is None:
        if actor.label.startswith("system"):
            return
        raise ActionError("Only the records manager can do this.")
    if not permissions.can_manage_retention(actor.staff):
        raise ActionError("Only the records manager can do this.")


# --- Legal holds ------------------------------------------------------------------------------------------


def place_hold(kind: str, reason: str, *, person=None, case=None, request=None, by) -> LegalHold:
    """A litigation hold or safeguarding flag on a person, a case or a request."""
    _require_manager(by)
    errors = {}
    if kind not in LegalHold.Kind.values:
        errors["kind"] = "Choose litigation hold or safeguarding flag"
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = "Enter why the records must be kept (shown wherever the hold blocks a deletion)"
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason must be {MAX_REASON} characters or fewer"
    if sum(x is not None for x in (person, case, request)) != 1:
        errors["target"] = "Enter one person, case or request reference the hold covers"
    if errors:
        raise HoldError(errors)
    with atomic():
        hold = LegalHold.objects.create(
            kind=kind, reason=reason, person=person, case=case, request=request, set_by=as_actor(by).staff
        )
        audit(by, "retention.hold.placed", hold, kind=kind)
    return hold


class HoldError(ActionError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def release_hold(hold: LegalHold, reason: str, *, by) -> LegalHold:
    _require_manager(by)
    reason = " ".join((reason or "").split())
    if not reason:
        raise HoldError({"release_reason": "Enter why the hold is released"})
    if len(reason) > MAX_REASON:
        raise HoldError({"release_reason": f"The reason must be {MAX_REASON} characters or fewer"})
    with atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at:
            raise ActionError("This hold was already released.")
        LegalHold.objects.filter(pk=hold.pk).update(
            released_at=timezone.now(), released_by=as_actor(by).staff, release_reason=reason
        )
        hold.refresh_from_db()
        audit(by, "retention.hold.released", hold, kind=hold.kind)
    return hold


# --- Sweeps ---------------------------------------------------------------------------------------------


def _self_kind(declaration) -> str | None:
    return next((kind for kind, paths in declaration.links.items() if "pk" in paths), None)


def _cutoff_value(declaration, field: str, cutoff):
    f = declaration.model._meta.get_field(field)
    return (
        cutoff.date()
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
        else cutoff
    )


def _service_groups(declaration, entry, now):
    """(period, a filter) per service rule of the class, then the class period for the rest."""
    names = {f.name for f in declaration.model._meta.get_fields()}
    if not entry.by_service or "service" not in names:
        return [(entry.period, models.Q(), "")]
    from residenthub.services.models import Service

    groups = []
    ruled: set[int] = set()
    for rule in entry.by_service:
        ids = set(
            Service.objects.filter(models.Q(lgsl_id__in=rule.lgsl) | models.Q(code__in=rule.services))
            .exclude(pk__in=ruled)
            .values_list("pk", flat=True)
        )
        ruled |= ids
        if ids:
            groups.append((rule.period, models.Q(service_id__in=ids), rule.note))
    groups.append((entry.period, ~models.Q(service_id__in=ruled) if ruled else models.Q(), ""))
    return groups


def _hold_filters(declaration) -> list[tuple[str, models.Q]]:
    """(reason, a filter of held rows) for a declared model, by its links."""
    found = []
    links = declaration.links
    if "case" in links:
        for reason, ids in queries.held_case_reasons():
            q = models.Q()
            for path in links["case"]:
                q |= models.Q(**{f"{path}__in": ids})
            found.append((reason, q))
    if "request" in links:
        for reason, ids in queries.held_request_reasons():
            q = models.Q()
            for path in links["request"]:
                q |= models.Q(**{f"{path}__in": ids})
            found.append((reason, q))
        if declaration.model._meta.label == "foi.InformationRequest":
            found.append(("Open request", models.Q(status__in=queries.open_request_statuses())))
    if "person" in links:
        for reason, ids in queries.held_person_reasons():
            q = models.Q()
            for path in links["person"]:
                q |= models.Q(**{f"{path}__in": ids})
            found.append((reason, q))
    if declaration.model._meta.label == "identity.SourceRecord":
        for reason, ids in queries.held_person_reasons():
            found.append((reason, models.Q(link__person_id__in=ids)))
    return found


def sweep(
    *,
    dry_run: bool = False,
    by=None,
    now=None,
    schedule: Schedule | None = None,
    classes: list[str] | None = None,
    batch_size: int | None = None,
) -> SweepRun:
    """Apply the schedule: per record class, find what is due (clock started before now minus the
    period), leave out what is held (counted by reason), and delete or anonymise the rest in batches
    of ``RETENTION_BATCH_SIZE`` rows, each its own transaction, with set-based SQL. A dry run only
    counts. The run's report is a ``SweepRun``."""
    _require_manager(by if by is not None else Actor.system("retention"))
    actor = as_actor(by) if by is not None else Actor.system("retention")
    schedule = schedule or load()
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    started = time.perf_counter()
    run = SweepRun.objects.create(dry_run=dry_run, started_by=str(actor)[:150], started_at=now)
    counts: dict[str, dict] = {}
    held_total: Counter = Counter()
    ward = None
    by_class = registry.by_class()
    try:
        for key, entry in schedule.classes.items():
            if classes and key not in classes:
                continue
            roots = [d for d in by_class.get(key, []) if entry.trigger in d.dates]
            report = {
                "title": entry.title,
                "action": entry.action,
                "period": str(entry.period),
                "due": 0,
                "done": 0,
                "held": 0,
                "models": {},
            }
            counts[key] = report
            if entry.period.permanent or not roots:
                continue
            for declaration in roots:
                field = declaration.dates[entry.trigger]
                for period, service_q, _note in _service_groups(declaration, entry, now):
                    cutoff = period.cutoff(now)
                    base = declaration.model._default_manager.filter(
                        service_q,
                        **{f"{field}__lt": _cutoff_value(declaration, field, cutoff)},
                        **declaration.eligible,
                    )
                    if entry.action == "anonymise":
                        base = base.filter(declaration.personal_q())
                    holds = _hold_filters(declaration)
                    held_q = models.Q()
                    for _reason, q in holds:
                        held_q |= q
                    due = base.exclude(held_q) if holds else base
                    # One scan counts what is due and what each hold keeps (not one scan each).
                    figures = base.order_by().aggregate(
                        due=models.Count("pk", filter=~held_q) if holds else models.Count("pk"),
                        **{f"held{i}": models.Count("pk", filter=q) for i, (_r, q) in enumerate(holds)},
                    )
                    for i, (reason, _q) in enumerate(holds):
                        n = figures[f"held{i}"]
                        if n:
                            held_total[reason] += n
                            report["held"] += n
                    n_due = figures["due"]
                    report["due"] += n_due
                    if dry_run or entry.action == "review" or not n_due:
                        continue
                    fields = ["pk"]
                    if entry.action == "anonymise" and registry.WARD in declaration.blank_values().values():
                        if ward is None:
                            ward = engine.WardPostcodes()
                        fields += ["uprn", "postcode"]
                    for rows in _pages(due, batch_size, fields):
                        done = _sweep_batch(key, declaration, rows, entry.action, by_class, ward)
                        report["done"] += done
                        report["models"][declaration.label] = (
                            report["models"].get(declaration.label, 0) + done
                        )
            if report["done"]:
                audit(
                    actor,
                    "retention.swept",
                    run,
                    record_class=key,
                    rows=report["done"],
                    schedule_action=entry.action,
                )
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"[:500]
        log.exception("retention sweep failed")
        raise
    finally:
        SweepRun.objects.filter(pk=run.pk).update(
            counts=counts,
            held=dict(held_total),
            finished_at=timezone.now(),
            seconds=time.perf_counter() - started,
            error=run.error,
        )
        run.refresh_from_db()
    return run


MAX_WINDOW = 64  # a page's id window grows to at most this many batches' worth of ids


def _pages(due: models.QuerySet, batch_size: int, fields: list[str]):
    """The due rows in pages of at most ``batch_size`` (tuples of ``fields``, the pk first), walking
    the table by primary-key windows: ``pk > low AND pk <= low + span ORDER BY pk LIMIT batch``.
    Each page reads one bounded range of the primary key index; an open-ended ``pk > last ORDER BY
    pk LIMIT n`` let PostgreSQL choose a scan of the whole table and a sort for every page (it
    under-estimates how many rows are due), which made a sweep quadratic. Windows with few due rows
    double in span (up to ``MAX_WINDOW`` batches), so a sparse table takes few statements. Tables
    whose primary key is not an integer page by keyset alone (small tables: sessions)."""
    ordered = due.order_by("pk")
    if not isinstance(due.model._meta.pk, models.IntegerField):
        last = None
        while True:
            page = ordered if last is None else ordered.filter(pk__gt=last)
            rows = list(page.values_list(*fields)[:batch_size])
            if not rows:
                return
            last = rows[-1][0]
            yield rows
    bounds = due.model._default_manager.order_by().aggregate(low=models.Min("pk"), high=models.Max("pk"))
    if bounds["low"] is None:
        return
    low, high, span = bounds["low"] - 1, bounds["high"], batch_size
    while low < high:
        rows = list(ordered.filter(pk__gt=low, pk__lte=low + span).values_list(*fields)[:batch_size])
        if len(rows) == batch_size:
            low = rows[-1][0]  # the window held more: go on from the last row taken
        else:
            low += span
            if len(rows) < batch_size // 2:
                span = min(span * 2, batch_size * MAX_WINDOW)
        if rows:
            yield rows


def _sweep_batch(key, declaration, rows, action, by_class, ward) -> int:
    """One batch of one class, in one transaction: the rows and what hangs from them in the class.
    ``rows`` are (pk, ...) tuples from ``_pages``, with the ward fields where the class needs them."""
    from residenthub.core.models import erasure_allowed

    ids = [row[0] for row in rows]
    roots = Roots()
    kind = _self_kind(declaration)
    if kind:
        roots.add(kind, ids)
    dependents = []
    if kind:
        dependents = [
            d for d in by_class.get(key, []) if d is not declaration and engine._q_for(d, roots) is not None
        ]
    if declaration.model._meta.label == "cases.Case":
        # The case's own copy in the single resident view (the "cases" source) goes with it.
        from residenthub.identity.actions import CASES_SOURCE
        from residenthub.identity.models import CaseLink

        roots.add(
            "record",
            CaseLink.objects.filter(engine.keys_q("case_id", ids), record__source__slug=CASES_SOURCE)
            .order_by()
            .values_list("record_id", flat=True),
        )
        dependents += [d for d in by_class.get("identity-record", []) if engine._q_for(d, roots) is not None]
    with erasure_allowed():
        for dep in sorted(dependents, key=lambda d: d.erase == registry.DELETE):
            if dep.erase == registry.KEEP:
                continue
            qs = dep.model._default_manager.filter(engine._q_for(dep, roots))
            if dep.erase == registry.ANONYMISE:
                values = dep.blank_values()
                if values:
                    qs.filter(dep.personal_q()).update(**values)
            else:
                if dep.files:
                    engine._delete_files(dep, list(qs.order_by().values_list("pk", flat=True)))
                qs.delete()
        if action == "delete":
            engine._delete_files(declaration, ids)
            _total, per_model = declaration.model._default_manager.filter(engine.keys_q("pk", ids)).delete()
            return per_model.get(declaration.label, 0)
        return _erase_rows(declaration, ids, ward=ward, rows=rows if len(rows[0]) == 3 else None)


# --- Erasure requests -----------------------------------------------------------------------------------


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        reference = "ERA-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if not ErasureRequest.objects.filter(reference=reference).exists():
            return reference


def open_erasure(person, grounds: str, *, by, received_on=None) -> ErasureRequest:
    _require_manager(by)
    if grounds not in ErasureRequest.Grounds.values:
        raise HoldError({"grounds": "Choose why the records are to be erased"})
    if received_on and received_on > timezone.localdate():
        raise HoldError({"received_on": "The date the request was received must be today or in the past"})
    with atomic():
        existing = ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.OPEN).first()
        if existing:
            return existing
        erasure = ErasureRequest.objects.create(
            reference=_new_reference(),
            person=person,
            person_public_id=person.public_id,
            grounds=grounds,
            received_on=received_on or timezone.localdate(),
            created_by=as_actor(by).staff,
        )
        audit(by, "retention.erasure.opened", erasure, grounds=grounds)
    return erasure


def cancel_erasure(erasure: ErasureRequest, *, by) -> ErasureRequest:
    _require_manager(by)
    if erasure.status != ErasureRequest.Status.OPEN:
        raise ActionError("Only an open request can be cancelled.")
    with atomic():
        ErasureRequest.objects.filter(pk=erasure.pk).update(status=ErasureRequest.Status.CANCELLED)
        audit(by, "retention.erasure.cancelled", erasure)
    erasure.refresh_from_db()
    return erasure


def _hmac(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.strip().lower().encode(), hashlib.sha256).hexdigest()[
        :32
    ]


def _replay_keys(roots: Roots, held: Roots) -> dict[str, list[str]]:
    """Keyed hashes of what was erased (never of what was kept)."""
    from residenthub.cases.models import Case
    from residenthub.foi.models import InformationRequest
    from residenthub.identity.models import SourceRecord
    from residenthub.voice.models import Call

    def erased(kind):
        return set(roots.ids[kind]) - set(held.ids[kind])

    keys = {
        "case": [
            _hmac(r) for r in Case.objects.filter(pk__in=erased("case")).values_list("reference", flat=True)
        ],
        "record": [
            _hmac(f"{slug}:{key}")
            for slug, key in SourceRecord.objects.filter(pk__in=erased("record")).values_list(
                "source__slug", "source_key"
            )
        ],
        "request": [
            _hmac(r)
            for r in InformationRequest.objects.filter(pk__in=erased("request")).values_list(
                "reference", flat=True
            )
        ],
        "call": [
            _hmac(str(t)) for t in Call.objects.filter(pk__in=erased("call")).values_list("token", flat=True)
        ],
        "email": [] if held.ids["person"] else [_hmac(e) for e in sorted(roots.emails)],
        "phone": [] if held.ids["person"] else [_hmac(p) for p in sorted(roots.phones)],
    }
    return {k: sorted(v) for k, v in keys.items() if v}


def erase(erasure: ErasureRequest, *, include: list[str] | tuple[str, ...] = (), by) -> ErasureRequest:
    """Erase or anonymise every record of the person's cluster that nothing holds, through the
    declarations; keep what is held or kept by law and say why; tell the owning teams and connected
    systems (``person.erased``); issue the certificate; log the erasure for replay after a restore."""
    _require_manager(by)
    if erasure.status != ErasureRequest.Status.OPEN:
        raise ActionError("This request is not open: it was already carried out or cancelled.")
    if erasure.person is None:
        raise ActionError("The person of this request no longer exists.")
    from residenthub.identity.actions import realtime_cache

    schedule = load()
    plan = queries.erasure_plan(erasure.person, include=include)
    selection = engine.select(plan.roots, plan.held, schedule)
    teams = _teams_to_tell(plan)
    keys = _replay_keys(plan.roots, plan.held)
    case_refs = sorted(set(plan.roots.ids["case_reference"]) - set(plan.held.ids["case_reference"]))
    with atomic():
        counts, files = _apply_selection(selection)
        result = {
            "erased": dict(sorted(counts.items())),
            "kept": {
                label: {"rows": len(pks), "why": selection.keep_reason.get(label, "")}
                for label, pks in sorted(selection.keep.items())
            },
            "items": {
                "records": len(plan.records),
                "sources": len(plan.sources),
                "erased": Counter(i.kind for i in plan.erasable),
                "kept": [{"kind": i.kind, "label": i.label, "why": i.reason} for i in plan.kept],
                "review_left": len(plan.review),
            },
            "files_removed": len(files),
        }
        ErasureRequest.objects.filter(pk=erasure.pk).update(
            status=ErasureRequest.Status.DONE,
            completed_at=timezone.now(),
            completed_by=as_actor(by).staff,
            result=json.loads(json.dumps(result)),
            teams_told=[t["slug"] for t in teams],
        )
        erasure.refresh_from_db()
        entry = ReplayEntry.objects.create(erasure=erasure, keys=keys)
        from residenthub.identity.models import Person

        Person.objects.filter(pk=erasure.person_id).update(archived=True)
        _tell_teams(erasure, teams)
        _webhook(erasure, case_refs)
        pdf = certificate(erasure)
        ErasureRequest.objects.filter(pk=erasure.pk).update(certificate=pdf)
        erasure.certificate = pdf
        audit(by, "retention.erasure.done", erasure, rows=sum(counts.values()), kept=len(selection.keep))
        after_commit(lambda: _append_replay_log(erasure, entry))
        after_commit(realtime_cache.clear)
    return erasure


def _teams_to_tell(plan) -> list[dict]:
    from residenthub.cases.models import Case
    from residenthub.identity.models import SourceRecord

    teams: dict[int, dict] = {}
    for record in SourceRecord.objects.filter(pk__in=plan.roots.ids["record"]).select_related("source__team"):
        team = record.source.team
        if team is None or record.source.slug == "cases":
            continue
        entry = teams.setdefault(
            team.pk, {"slug": team.slug, "email": team.email, "name": team.name, "keys": []}
        )
        entry["keys"].append(f"{record.source.name} {record.source_key}")
    for case in Case.objects.filter(pk__in=plan.roots.ids["case"]).select_related("team"):
        entry = teams.setdefault(
            case.team.pk,
            {"slug": case.team.slug, "email": case.team.email, "name": case.team.name, "keys": []},
        )
        entry["keys"].append(f"case {case.reference}")
    return sorted(teams.values(), key=lambda t: t["slug"])


def _tell_teams(erasure: ErasureRequest, teams: list[dict]) -> None:
    """An email to each team whose records or cases held the person (no names: the keys in their
    own systems, so they can act under their own schedules)."""
    from residenthub.core.outbox import queue_email

    for team in teams:
        if not team["email"]:
            continue
        body = (
            f"Erasure {erasure.reference} ({erasure.get_grounds_display()}) was carried out on "
            f"{timezone.localdate():%d %B %Y}.\n\nResident Hub no longer holds the person's details in these "
            "records of yours:\n"
            + "\n".join(f"- {k}" for k in sorted(team["keys"]))
            + "\n\nPlease erase or restrict "
            "them in your own system too, or record why they must be kept.\n"
        )
        queue_email(team["email"], f"Erasure {erasure.reference}: records to erase", body)


def _webhook(erasure: ErasureRequest, case_refs: list[str]) -> None:
    """``person.erased`` to each connected system subscribed to it: the case references it may hold
    copies of (a reference identifies nobody once the case is anonymised)."""
    from residenthub.api.models import WebhookDelivery, WebhookSubscription
    from residenthub.api.webhooks import deliver

    payload = {
        "event": "person.erased",
        "erasure": erasure.reference,
        "at": timezone.localtime(erasure.completed_at or timezone.now()).isoformat(timespec="seconds"),
        "person": erasure.person_public_id,
        "cases": case_refs,
    }
    for subscription in WebhookSubscription.objects.filter(active=True):
        if subscription.wants("person.erased"):
            delivery = WebhookDelivery.objects.create(
                subscription=subscription, event="person.erased", payload=payload
            )
            after_commit(lambda pk=delivery.pk: deliver.delay(pk))


def _append_replay_log(erasure: ErasureRequest, entry: ReplayEntry) -> None:
    path = Path(settings.RETENTION_REPLAY_LOG)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {"erasure": erasure.reference, "at": entry.at.isoformat(), "keys": entry.keys}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, sort_keys=True) + "\n")


def certificate(erasure: ErasureRequest) -> bytes:
    """The certificate of erasure (fpdf2): what was erased, what was kept and why, and the backups."""
    from fpdf import FPDF

    def text(value) -> str:
        return str(value).encode("latin-1", "replace").decode("latin-1")

    result = erasure.result or {}
    pdf = FPDF(format="A4")
    pdf.set_title(f"Certificate of erasure {erasure.reference}")
    pdf.set_author(text(settings.COUNCIL_NAME))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, "Certificate of erasure", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    lines = [
        f"Council: {settings.COUNCIL_NAME}",
        f"Reference: {erasure.reference}",
        f"Person (Resident Hub id): {erasure.person_public_id}",
        f"Grounds: {erasure.get_grounds_display()}",
        f"Request received: {erasure.received_on:%d %B %Y}",
        f"Carried out: {timezone.localtime(erasure.completed_at):%d %B %Y %H:%M}"
        if erasure.completed_at
        else "",
    ]
    for line in filter(None, lines):
        pdf.multi_cell(0, 7, text(line), new_x="LMARGIN", new_y="NEXT")
    items = result.get("items", {})
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 9, "Erased or anonymised", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        7,
        text(
            f"{items.get('records', 0)} records in {items.get('sources', 0)} sources were found "
            "for the person."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for label, rows in sorted(result.get("erased", {}).items()):
        pdf.multi_cell(0, 6, text(f"- {_model_title(label)}: {rows}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 9, "Kept, and why", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    kept = items.get("kept", [])
    if not kept:
        pdf.multi_cell(0, 6, "Nothing.", new_x="LMARGIN", new_y="NEXT")
    for item in kept:
        pdf.multi_cell(0, 6, text(f"- {item['label']}: {item['why']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 9, "Backups", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "Copies in backups cannot be altered. They are put beyond use: no one may restore or read them "
        "except to recover the service, and after any restore this erasure is applied again from the "
        "replay log before "
        "the service reopens. Backups expire on the council's backup schedule.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _model_title(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name_plural).capitalize()
    except LookupError:
        return label


# --- Replay after a restore --------------------------------------------------------------------------------


def replay(path: str | Path | None = None, *, by=None) -> dict:
    """Apply every logged erasure again (after a backup restore): find rows whose keys hash to a
    logged key and erase them through the same engine. Idempotent: run it as often as you like."""
    from residenthub.cases.models import Case
    from residenthub.foi.models import InformationRequest
    from residenthub.identity.models import SourceRecord
    from residenthub.voice.models import Call

    actor = as_actor(by) if by is not None else Actor.system("retention")
    _require_manager(actor)
    path = Path(path or settings.RETENTION_REPLAY_LOG)
    if not path.exists():
        return {"entries": 0, "rows": 0}
    wanted: dict[str, set] = {}
    entries = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            raise ActionError(
                f"Line {number} of {path} is not valid JSON: the replay log is damaged"
            ) from None
        entries += 1
        for kind, values in data.get("keys", {}).items():
            wanted.setdefault(kind, set()).update(values)
    roots = Roots()

    def match(kind, rows):
        hashes = wanted.get(kind, set())
        return [pk for pk, value in rows if _hmac(str(value)) in hashes] if hashes else []

    roots.add("case", match("case", Case.objects.values_list("pk", "reference").iterator()))
    roots.add(
        "case_reference", Case.objects.filter(pk__in=roots.ids["case"]).values_list("reference", flat=True)
    )
    roots.add(
        "record",
        [
            pk
            for pk, slug, key in SourceRecord.objects.values_list(
                "pk", "source__slug", "source_key"
            ).iterator()
            if _hmac(f"{slug}:{key}") in wanted.get("record", set())
        ],
    )
    roots.add(
        "request", match("request", InformationRequest.objects.values_list("pk", "reference").iterator())
    )
    roots.add("call", match("call", Call.objects.values_list("pk", "token").iterator()))
    for kind in ("email", "phone"):
        hashes = wanted.get(kind, set())
        if not hashes:
            continue
        values = set()
        for declaration in registry.declarations():
            for name in declaration.match.get(kind, ()):
                for value in (
                    declaration.model._default_manager.exclude(**{name: ""})
                    .values_list(name, flat=True)
                    .distinct()
                    .iterator()
                ):
                    if value and _hmac(str(value)) in hashes:
                        values.add(value)
        (roots.emails if kind == "email" else roots.phones).update(values)
    if not roots:
        return {"entries": entries, "rows": 0}
    selection = engine.select(roots, Roots(), load())
    with atomic():
        counts, _files = _apply_selection(selection)
        audit(actor, "retention.replayed", _ReplayTarget(), entries=entries, rows=sum(counts.values()))
    return {"entries": entries, "rows": sum(counts.values()), "models": dict(counts)}


class _ReplayTarget:
    """The audit entry's object for a replay (there is no row to point at)."""

    pk = "replay"

    class _meta:  # noqa: N801 - mimics a model's _meta for the audit trail
        label_lower = "retention.replay"
        model_name = "replay"
        app_label = "retention"


# --- Writing other apps' rows (set-based, inside erasure_allowed) ---------------------------------


def _erase_rows(
    declaration: registry.Declaration,
    pks: list,
    *,
    ward: engine.WardPostcodes | None,
    rows: list[tuple] | None = None,
) -> int:
    """Delete or blank the rows ``pks`` of one declared model: one statement, or for cases one per
    ward (the anonymised postcode is the ward's reference postcode). ``rows``: (pk, uprn, postcode)
    of ``pks`` when the caller has read them already (a sweep's page)."""
    manager = declaration.model._default_manager
    qs = manager.filter(engine.keys_q("pk", pks))
    if declaration.erase == DELETE:
        count = 0
        # The collector's per-model counts include cascades; report the rows of this model only.
        _total, per_model = qs.delete()
        count = per_model.get(declaration.label, 0)
        return count
    values = declaration.blank_values()
    if WARD in values.values():
        ward_fields = [k for k, v in values.items() if v is WARD]
        plain = {k: v for k, v in values.items() if v is not WARD}
        ward = ward or engine.WardPostcodes()
        groups: dict[str, list] = defaultdict(list)
        if rows is None:
            rows = list(qs.order_by().values_list("pk", "uprn", "postcode"))
        for pk, uprn, postcode in rows:
            groups[ward(uprn, postcode)].append(pk)
        count = 0
        for new_postcode, ids in groups.items():
            count += manager.filter(engine.keys_q("pk", ids)).update(
                **plain, **dict.fromkeys(ward_fields, new_postcode)
            )
        return count
    return qs.update(**values) if values else 0


def _apply_selection(
    selection: engine.Selection, *, ward: engine.WardPostcodes | None = None
) -> tuple[Counter, list[str]]:
    """Erase what ``selection`` says, inside ``erasure_allowed`` (append-only rows may be blanked).
    Files go first (a file whose row is gone could never be found again). Returns rows per model
    and the file paths removed."""
    from residenthub.core.models import erasure_allowed

    counts: Counter = Counter()
    files: list[str] = []
    by_label = {d.label: d for d in registry.declarations()}
    for label, pks in selection.erase.items():
        files += engine._delete_files(by_label[label], pks)
    # Anonymise before deleting: a delete can cascade to rows we were about to blank.
    order = sorted(selection.erase, key=lambda label: by_label[label].erase == DELETE)
    with erasure_allowed():
        for label in order:
            declaration = by_label[label]
            pks = selection.erase[label]
            if declaration.erase == ANONYMISE:
                pks = list(
                    declaration.model._default_manager.filter(engine.keys_q("pk", pks))
                    .order_by()
                    .values_list("pk", flat=True)
                )
            if pks:
                counts[label] += _erase_rows(declaration, pks, ward=ward)
    return counts, files
