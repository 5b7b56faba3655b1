"""Read helpers: holds, the erasure plan for a person, the scan for what is left of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from residenthub.core import personal_data_registry as registry

from .engine import Roots, phone_variants
from .models import LegalHold

# --- Holds ----------------------------------------------------------------------------------------------


def open_request_statuses() -> list[str]:
    from residenthub.foi.models import OPEN_STATUSES

    return [str(s) for s in OPEN_STATUSES]


def held_case_reasons() -> list[tuple[str, models.QuerySet]]:
    """(reason, a queryset of case ids) for every kind of hold on cases: what sweeps leave alone."""
    from residenthub.foi.models import InformationRequest, Kind
    from residenthub.identity.models import CaseLink
    from residenthub.residents.models import PersonFlag

    held_people = LegalHold.objects.filter(released_at__isnull=True, person__isnull=False).values("person_id")
    flagged = PersonFlag.objects.filter(
        cleared_at__isnull=True, kind__in=settings.RETENTION_SAFEGUARDING_FLAGS
    ).values("person_id")
    open_requests = InformationRequest.objects.filter(status__in=open_request_statuses(), case__isnull=False)
    return [
        (
            "Litigation hold",
            LegalHold.objects.filter(released_at__isnull=True, kind="litigation", case__isnull=False).values(
                "case_id"
            ),
        ),
        (
            "Safeguarding flag",
            LegalHold.objects.filter(
                released_at__isnull=True, kind="safeguarding", case__isnull=False
            ).values("case_id"),
        ),
        ("Legal hold on the person", CaseLink.objects.filter(person_id__in=held_people).values("case_id")),
        ("Safeguarding flag on the person", CaseLink.objects.filter(person_id__in=flagged).values("case_id")),
        ("Open complaint", open_requests.filter(kind=Kind.COMPLAINT).values("case_id")),
        ("Open subject access request", open_requests.filter(kind=Kind.SAR).values("case_id")),
        (
            "Open FOI or EIR request",
            open_requests.exclude(kind__in=[Kind.COMPLAINT, Kind.SAR]).values("case_id"),
        ),
    ]


def held_request_reasons() -> list[tuple[str, models.QuerySet]]:
    from residenthub.foi.models import InformationRequest

    return [
        (
            "Litigation hold",
            LegalHold.objects.filter(released_at__isnull=True, request__isnull=False).values("request_id"),
        ),
        (
            "Case under a legal hold",
            InformationRequest.objects.filter(
                case__in=LegalHold.objects.filter(released_at__isnull=True, case__isnull=False).values(
                    "case_id"
                )
            ).values("pk"),
        ),
    ]


def held_person_reasons() -> list[tuple[str, models.QuerySet]]:
    from residenthub.residents.models import PersonFlag

    return [
        (
            "Legal hold on the person",
            LegalHold.objects.filter(released_at__isnull=True, person__isnull=False).values("person_id"),
        ),
        (
            "Safeguarding flag on the person",
            PersonFlag.objects.filter(
                cleared_at__isnull=True, kind__in=settings.RETENTION_SAFEGUARDING_FLAGS
            ).values("person_id"),
        ),
    ]


def active_holds():
    return LegalHold.objects.filter(released_at__isnull=True).select_related(
        "person", "case", "request", "set_by"
    )


# --- The erasure plan -------------------------------------------------------------------------------------


@dataclass
class Item:
    kind: str  # "record", "case", "request", "call", "triage", "account"
    key: str  # what staff see: source record uid, case reference, request reference...
    label: str  # the source or service
    decision: str  # "erase", "anonymise", "keep", "review"
    reason: str = ""
    pk: object = None
    probability: float | None = None
    source: str = ""  # the identity source's slug, for records


@dataclass
class Plan:
    person: object
    items: list[Item] = field(default_factory=list)
    review: list[Item] = field(default_factory=list)  # below the match threshold: staff decide
    roots: Roots = field(default_factory=Roots)
    held: Roots = field(default_factory=Roots)
    hold_everything: str = ""
    identifiers: dict = field(default_factory=dict)

    @property
    def records(self) -> list[Item]:
        """Records from council systems (a case's own copy in the "cases" source is shown as the case)."""
        return [i for i in self.items if i.kind == "record" and i.source != "cases"]

    @property
    def sources(self) -> list[str]:
        return sorted({i.label for i in self.records})

    @property
    def erasable(self) -> list[Item]:
        return [i for i in self.items if i.decision != "keep"]

    @property
    def kept(self) -> list[Item]:
        return [i for i in self.items if i.decision == "keep"]

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


def _emails_phones(records_standard: list[dict], cases: list[tuple]) -> tuple[set[str], set[str]]:
    emails, phones = set(), set()
    for s in records_standard:
        if s.get("email"):
            emails.add(s["email"].lower())
        if s.get("phone"):
            phones |= phone_variants(s["phone"])
    for email, phone in cases:
        if email:
            emails.add(email.lower())
        if phone:
            phones |= phone_variants(phone)
    return emails, phones


def erasure_plan(person, *, include: list[str] | tuple[str, ...] = ()) -> Plan:
    """Every record of ``person``'s cluster above the match threshold, what may be erased and what
    is kept and why; records below the threshold (and cases with their email but no link) are listed
    for review and join the plan only when ``include`` names them ("record:<pk>", "case:<pk>")."""
    from residenthub.cases.models import Case
    from residenthub.foi.models import InformationRequest, Kind
    from residenthub.identity.actions import thresholds
    from residenthub.identity.models import CaseLink, PersonLink, ReviewPair
    from residenthub.residents.models import ResidentAccount
    from residenthub.triage.models import TriageRecord
    from residenthub.voice.models import Call

    from .schedule import load

    schedule = load()
    limits = thresholds()
    plan = Plan(person=person)
    include = set(include)
    links = list(
        PersonLink.objects.filter(person=person)
        .select_related("record__source")
        .order_by("record__source__name", "record__source_key")
    )
    record_ids = set()
    for link in links:
        record = link.record
        item = Item(
            "record",
            record.uid,
            record.source.name,
            "erase",
            pk=record.pk,
            probability=link.probability,
            source=record.source.slug,
        )
        below = link.probability is not None and link.probability < limits.link and not link.locked
        if below and f"record:{record.pk}" not in include:
            item.decision = "review"
            item.reason = f"Linked at {link.probability:.0%}, below the match threshold ({limits.link:.0%})"
            plan.review.append(item)
            continue
        record_ids.add(record.pk)
        plan.items.append(item)
    # Pairs sent to clerical review: records that may be this person but were not linked.
    for pair in (
        ReviewPair.objects.filter(status=ReviewPair.Status.PENDING)
        .filter(models.Q(record_l_id__in=record_ids) | models.Q(record_r_id__in=record_ids))
        .select_related("record_l__source", "record_r__source")
    ):
        other = pair.record_r if pair.record_l_id in record_ids else pair.record_l
        if other.pk in record_ids or any(i.pk == other.pk and i.kind == "record" for i in plan.review):
            continue
        item = Item(
            "record",
            other.uid,
            other.source.name,
            "review",
            pk=other.pk,
            probability=pair.probability,
            source=other.source.slug,
        )
        item.reason = f"A possible match ({pair.probability:.0%}) waiting for clerical review"
        if f"record:{other.pk}" in include:
            item.decision = "erase"
            item.reason = ""
            record_ids.add(other.pk)
            plan.items.append(item)
        else:
            plan.review.append(item)
    case_ids = set(
        CaseLink.objects.filter(models.Q(person=person) | models.Q(record_id__in=record_ids)).values_list(
            "case_id", flat=True
        )
    )
    standards = list(registry_records(record_ids))
    emails, phones = _emails_phones(
        standards, list(Case.objects.filter(pk__in=case_ids).values_list("contact_email", "contact_phone"))
    )
    # Cases with the person's email that no link ties to them: for review.
    for case in (
        Case.objects.filter(contact_email__in=sorted(emails))
        .exclude(pk__in=case_ids)
        .select_related("service")
    ):
        key = f"case:{case.pk}"
        if key in include:
            case_ids.add(case.pk)
        else:
            plan.review.append(
                Item(
                    "case",
                    case.reference,
                    case.service.name,
                    "review",
                    "Same email address, not linked to this person",
                    pk=case.pk,
                )
            )
    roots = Roots()
    roots.add("person", [person.pk])
    roots.add("record", record_ids)
    roots.add("case", case_ids)
    roots.add("case_reference", Case.objects.filter(pk__in=case_ids).values_list("reference", flat=True))
    roots.emails, roots.phones = emails, phones
    requests = InformationRequest.objects.filter(
        models.Q(case_id__in=case_ids) | models.Q(requester_email__in=sorted(emails))
    )
    roots.add("request", requests.values_list("pk", flat=True))
    roots.add(
        "call",
        Call.objects.filter(models.Q(case_id__in=case_ids) | models.Q(caller__in=sorted(phones))).values_list(
            "pk", flat=True
        ),
    )
    roots.add(
        "triage",
        TriageRecord.objects.filter(
            models.Q(case_id__in=case_ids)
            | models.Q(contact_email__in=sorted(emails))
            | models.Q(contact_phone__in=sorted(phones))
        ).values_list("pk", flat=True),
    )
    roots.add(
        "account",
        ResidentAccount.objects.filter(
            models.Q(person=person) | models.Q(email__in=sorted(emails))
        ).values_list("pk", flat=True),
    )
    plan.roots = roots

    # Holds: on the whole person first, then per case and request.
    held = Roots()
    everything = ""
    for reason, ids in held_person_reasons():
        if ids.filter(person_id=person.pk).exists():
            hold = LegalHold.objects.filter(released_at__isnull=True, person=person).first()
            everything = f"{reason}: {hold.reason}" if hold and reason.startswith("Legal") else reason
            break
    open_sar = InformationRequest.objects.filter(
        pk__in=roots.ids["request"], kind=Kind.SAR, status__in=open_request_statuses()
    ).first()
    if not everything and open_sar:
        everything = (
            f"Open subject access request {open_sar.reference}: the data must be supplied before it is erased"
        )
    case_reason: dict = {}
    request_reason: dict = {}
    cases = {c.pk: c for c in Case.objects.filter(pk__in=case_ids).select_related("service")}
    for req in requests.select_related("case"):
        if req.is_open:
            why = (
                f"Open {req.get_kind_display().lower()} {req.reference}: kept until it is closed (legal hold)"
            )
            request_reason[req.pk] = why
            if req.case_id:
                case_reason[req.case_id] = why
    for hold in LegalHold.objects.filter(released_at__isnull=True).filter(
        models.Q(case_id__in=case_ids) | models.Q(request_id__in=roots.ids["request"])
    ):
        why = f"{hold.get_kind_display()}: {hold.reason}"
        if hold.case_id:
            case_reason[hold.case_id] = why
        if hold.request_id:
            request_reason[hold.request_id] = why
    for pk, case in cases.items():
        if pk not in case_reason and case.is_open:
            case_reason[pk] = "Case still open: public task until it is closed"
    if everything:
        plan.hold_everything = everything
        for kind, values in roots.ids.items():
            held.add(kind, values)
    held.add("case", case_reason)
    held.add("request", request_reason)
    held.add("case_reference", [cases[pk].reference for pk in case_reason if pk in cases])
    plan.held = held

    # Items staff see: cases, requests, calls, triage messages, accounts.
    for item in plan.items:
        if everything:
            item.decision, item.reason = "keep", everything
    for pk, case in sorted(cases.items(), key=lambda kv: kv[1].created_at):
        why = everything or case_reason.get(pk, "")
        entry = schedule.get("case")
        plan.items.append(
            Item(
                "case",
                case.reference,
                case.service.name,
                "keep" if why else "anonymise",
                why or (entry.basis if entry else ""),
                pk=pk,
            )
        )
    for req in requests:
        why = everything or request_reason.get(req.pk, "")
        plan.items.append(
            Item(
                "request",
                req.reference,
                req.get_kind_display(),
                "keep" if why else "anonymise",
                why,
                pk=req.pk,
            )
        )
    for call in Call.objects.filter(pk__in=roots.ids["call"]):
        why = everything or case_reason.get(call.case_id, "")
        plan.items.append(
            Item(
                "call",
                f"Call {call.created_at:%d %b %Y %H:%M}",
                "Phone",
                "keep" if why else "anonymise",
                why,
                pk=call.pk,
            )
        )
    for tr in TriageRecord.objects.filter(pk__in=roots.ids["triage"]):
        why = everything or case_reason.get(tr.case_id, "")
        plan.items.append(
            Item(
                "triage",
                f"Message {tr.created_at:%d %b %Y %H:%M}",
                "Front door",
                "keep" if why else "erase",
                why,
                pk=tr.pk,
            )
        )
    for account in ResidentAccount.objects.filter(pk__in=roots.ids["account"]):
        plan.items.append(
            Item(
                "account",
                f"Account {account.pk}",
                "Resident account",
                "keep" if everything else "erase",
                everything,
                pk=account.pk,
            )
        )
    # Records the schedule keeps whatever an erasure asks (financial records, committee records).
    for declaration in registry.declarations():
        entry = schedule.get(declaration.record_class)
        if declaration.erase != registry.KEEP and not (entry and entry.erasure == "keep"):
            continue
        from .engine import _q_for

        q = _q_for(declaration, roots)
        if q is None:
            continue
        n = declaration.model._default_manager.filter(q).count()
        if n:
            basis = (entry.basis if entry else "") or declaration.note
            plan.items.append(
                Item(
                    "kept",
                    f"{n} {declaration.model._meta.verbose_name_plural}",
                    entry.title if entry else declaration.record_class,
                    "keep",
                    basis,
                )
            )
    plan.identifiers = identifiers_of(standards, roots)
    return plan


def registry_records(record_ids):
    from residenthub.identity.models import SourceRecord

    return SourceRecord.objects.filter(pk__in=list(record_ids)).values_list("standard", flat=True)


# --- The scan -----------------------------------------------------------------------------------------------


def _raw_names(record_ids) -> tuple[set[str], set[str]]:
    from residenthub.identity.models import SourceRecord

    firsts, lasts = set(), set()
    for data, standard in SourceRecord.objects.filter(pk__in=list(record_ids)).values_list(
        "data", "standard"
    ):
        for d in (data or {}, standard or {}):
            for key in ("first_name", "forename", "given_name", "first_name_canon"):
                if d.get(key):
                    firsts.add(str(d[key]).split()[0])
            for key in ("last_name", "surname", "family_name"):
                if d.get(key):
                    lasts.add(str(d[key]))
            if d.get("name") and len(str(d["name"]).split()) >= 2:
                parts = str(d["name"]).replace(",", " ").split()
                firsts.add(parts[0])
                lasts.add(parts[-1])
    return firsts, lasts


def identifiers_of(standards, roots: Roots) -> dict:
    """What identifies the person: emails, phone numbers, national ids, and name pairs (a row is a
    hit for a name only when it holds a first name and a surname of theirs)."""
    from residenthub.cases.models import Case

    strong = set(roots.emails) | {p for p in roots.phones if len(re.sub(r"\D", "", p)) >= 10}
    for s in standards:
        for key in ("ni_number", "nhs_number"):
            if s.get(key):
                strong.add(s[key])
    firsts, lasts = _raw_names(roots.ids["record"])
    for name in Case.objects.filter(pk__in=list(roots.ids["case"])).values_list("contact_name", flat=True):
        parts = name.replace(",", " ").split()
        if len(parts) >= 2:
            firsts.add(parts[0])
            lasts.add(parts[-1])
    lasts |= {re.sub(r"[^A-Za-z-]", "", last) for last in lasts}
    firsts = {f for f in firsts if len(f) >= 3}
    lasts = {last for last in lasts if len(last) >= 3}
    return {"strong": sorted(strong), "firsts": sorted(firsts), "lasts": sorted(lasts)}


@dataclass
class Finding:
    where: str  # "table:model label" or "file:path"
    pk: object
    what: str  # "email", "phone", "name"...


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def scan(
    identifiers: dict, *, exclude: dict[str, set] | None = None, dirs: list[str] | None = None
) -> list[Finding]:
    """Every row of every model, and every file under ``RETENTION_SCAN_DIRS``, that still holds an
    identifier: a strong one (email, phone, NI or NHS number) or a first name with a surname.
    ``exclude`` leaves out rows kept on purpose ({model label: pks})."""
    from django.apps import apps

    strong = [s for s in identifiers.get("strong", []) if len(s) >= 5]
    firsts, lasts = identifiers.get("firsts", []), identifiers.get("lasts", [])
    findings: list[Finding] = []
    exclude = exclude or {}
    for model in apps.get_models():
        meta = model._meta
        if meta.abstract or meta.proxy:
            continue
        fields = [f for f in meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        # A flat OR in SQL finds candidate rows (any field holding a strong identifier or a first
        # name); Python then checks each candidate row as a whole (a first name and a surname).
        q = models.Q()
        for f in fields:
            column = f"_scan_{f.attname}" if isinstance(f, models.JSONField) else f.attname
            for needle in [*strong, *firsts]:
                q |= models.Q(**{f"{column}__icontains": needle})
        if not q:
            continue
        qs = model._default_manager.all()
        json_fields = [f for f in fields if isinstance(f, models.JSONField)]
        if json_fields:
            qs = qs.annotate(
                **{f"_scan_{f.attname}": Cast(f.attname, models.TextField()) for f in json_fields}
            )
        if meta.label in exclude:
            qs = qs.exclude(pk__in=list(exclude[meta.label]))
        names = [f"_scan_{f.attname}" if isinstance(f, models.JSONField) else f.attname for f in fields]
        for row in qs.filter(q).values_list("pk", *names).iterator(chunk_size=500):
            text = "\n".join(str(v) for v in row[1:] if v is not None)
            hit = _hit(text, strong, firsts, lasts)
            if hit:
                findings.append(Finding(f"table:{meta.label}", row[0], hit))
        binaries = [f for f in meta.concrete_fields if isinstance(f, models.BinaryField)]
        for f in binaries:
            rows = model._default_manager.exclude(**{f"{f.attname}__isnull": True})
            if meta.label in exclude:
                rows = rows.exclude(pk__in=list(exclude[meta.label]))
            for pk, data in rows.values_list("pk", f.attname).iterator(chunk_size=200):
                text = _binary_text(bytes(data or b""))
                if _hit(text, strong, firsts, lasts):
                    findings.append(
                        Finding(f"table:{meta.label}.{f.name}", pk, _hit(text, strong, firsts, lasts))
                    )
    for folder in dirs if dirs is not None else settings.RETENTION_SCAN_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if not path.is_file() or path.stat().st_size > 50 * 1024 * 1024:
                continue
            data = path.read_bytes()
            textual = path.suffix.lower() in {
                ".csv",
                ".txt",
                ".json",
                ".jsonl",
                ".html",
                ".md",
                ".eml",
                ".xml",
            }
            text = data.decode("utf-8", "replace") if textual else _binary_text(data)
            hit = _hit(text + "\n" + path.name, strong, firsts if textual else [], lasts if textual else [])
            if hit:
                findings.append(Finding(f"file:{path}", None, hit))
    return findings


def _kind(value: str) -> str:
    if "@" in value:
        return "email"
    if re.fullmatch(r"[+\d ]+", value):
        return "phone"
    return "national id"


def _hit(text: str, strong, firsts, lasts) -> str:
    lowered = text.lower()
    for s in strong:
        if s.lower() in lowered:
            return _kind(s)
    for first in firsts:
        if first.lower() in lowered and any(last.lower() in lowered for last in lasts):
            return "name"
    return ""


def _binary_text(data: bytes) -> str:
    """Text inside a stored file: a PDF's text layer, else the bytes read as Latin-1."""
    if data[:5] == b"%PDF-":
        try:
            import io

            from pypdf import PdfReader

            return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        except Exception:  # noqa: BLE001,S110 - a broken PDF is scanned as bytes
            pass
    return data.decode("latin-1")


def now():
    return timezone.now()
