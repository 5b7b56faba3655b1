"""The only writers of identity data: imports, linkage runs, decisions, merges, splits, case links."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from residenthub.accounts import permissions
from residenthub.core.actions import ActionError, as_actor
from residenthub.core.actions import audit as record_action
from residenthub.core.audit import record as audit

from . import engines, linkage, realtime
from .dedupe import household_key
from .models import (
    CandidateKey,
    CaseLink,
    Household,
    HouseholdMembership,
    ImportRun,
    LinkageRun,
    Person,
    PersonEvent,
    PersonLink,
    ReviewPair,
    Source,
    SourceRecord,
    SourceRecordVersion,
)
from .sources import Mapping, Standardised, build_record, load_input

CASES_SOURCE = "cases"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_public_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def new_person() -> Person:
    while True:
        public_id = _new_public_id("P")
        if not Person.objects.filter(public_id=public_id).exists():
            return Person.objects.create(public_id=public_id)


def thresholds() -> linkage.Thresholds:
    values = settings.IDENTITY_THRESHOLDS
    return linkage.Thresholds(**values)


def _fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


# --- imports -----------------------------------------------------------------------------------


def import_source(mapping: Mapping, location: str | Path | None = None, *, team: Any = None) -> ImportRun:
    """Import one extract. Raises ``SourceError`` (naming rows and columns) and changes nothing on failure.

    Incremental: unchanged rows are only marked seen; changed rows get a new version in their history;
    rows missing from the extract are marked removed (kept, never deleted).
    """
    data = load_input(mapping, location)
    return _store_import(mapping, data, str(location or mapping.url), team=team)


@transaction.atomic
def _store_import(mapping: Mapping, data: Standardised, location: str, *, team=None) -> ImportRun:
    source, _ = Source.objects.get_or_create(
        slug=mapping.source, defaults={"name": mapping.name, "restricted": mapping.restricted, "team": team}
    )
    changed_fields = {"name": mapping.name, "restricted": mapping.restricted, "mapping": mapping.__dict__}
    if team is not None:
        changed_fields["team"] = team
    Source.objects.filter(pk=source.pk).update(**changed_fields)
    run = ImportRun.objects.create(
        source=source, location=location[:500], warnings=[str(w) for w in data.warnings][:1000]
    )
    now = timezone.now()
    existing = {r.source_key: r for r in SourceRecord.objects.filter(source=source)}
    standard_by_key = {r["unique_id"]: r for r in data.records}
    new_records, versions, changed = [], [], []
    for key, raw in data.raw.items():
        standard = dict(standard_by_key[key], unique_id=f"{source.slug}:{key}", source=source.slug)
        fingerprint = _fingerprint(raw)
        record = existing.get(key)
        if record is None:
            new_records.append(
                SourceRecord(
                    source=source,
                    source_key=key,
                    data=raw,
                    standard=standard,
                    fingerprint=fingerprint,
                    first_seen=now,
                    last_seen=now,
                )
            )
        elif record.fingerprint != fingerprint or record.removed:
            record.data, record.standard, record.fingerprint = raw, standard, fingerprint
            record.last_seen, record.removed = now, False
            changed.append(record)
        else:
            run.unchanged += 1
    SourceRecord.objects.bulk_create(new_records, batch_size=1000)
    SourceRecord.objects.bulk_update(
        changed, ["data", "standard", "fingerprint", "last_seen", "removed"], batch_size=1000
    )
    SourceRecord.objects.filter(source=source, source_key__in=list(data.raw)).update(last_seen=now)
    created = list(
        SourceRecord.objects.filter(source=source, source_key__in=[r.source_key for r in new_records])
    )
    for record in created + changed:
        versions.append(
            SourceRecordVersion(
                record=record, import_run=run, data=record.data, fingerprint=record.fingerprint
            )
        )
    SourceRecordVersion.objects.bulk_create(versions, batch_size=1000)
    gone = SourceRecord.objects.filter(source=source, removed=False).exclude(source_key__in=list(data.raw))
    run.removed = gone.update(removed=True)
    _index(created + changed)
    run.added, run.changed = len(created), len(changed)
    run.save()
    audit("identity.source.imported", run, actor_label="system", detail={"source": source.slug})
    return run


def _index(records: list[SourceRecord]) -> None:
    CandidateKey.objects.filter(record__in=[r.pk for r in records]).delete()
    CandidateKey.objects.bulk_create(
        [CandidateKey(key=key, record=r) for r in records for key in realtime.candidate_keys(r.standard)],
        batch_size=2000,
    )


# --- linkage runs ------------------------------------------------------------------------------


def constraints() -> linkage.Constraints:
    """Human decisions as constraints for the next run."""
    result = linkage.Constraints()
    decided = ReviewPair.objects.filter(
        status__in=[ReviewPair.Status.ACCEPTED, ReviewPair.Status.REJECTED]
    ).select_related("record_l__source", "record_r__source")
    for pair in decided:
        key = (pair.record_l.uid, pair.record_r.uid)
        (result.must_link if pair.status == ReviewPair.Status.ACCEPTED else result.cannot_link).add(key)
    return result


def engine_for(backend: str | None = None):
    """The linkage engine the settings ask for (``IDENTITY_BACKEND`` and its options)."""
    backend = backend or settings.IDENTITY_BACKEND
    if backend == "spark":
        return engines.make_engine(
            "spark", master=settings.IDENTITY_SPARK_MASTER, conf=settings.IDENTITY_SPARK_CONF
        )
    return engines.make_engine(backend, memory_limit=settings.IDENTITY_DUCKDB_MEMORY_LIMIT)


def run_linkage(*, backend: str | None = None) -> LinkageRun:
    """Link every current record; keep person ids stable; never override a human decision."""
    backend = backend or settings.IDENTITY_BACKEND
    limits = thresholds()
    records = list(SourceRecord.objects.filter(removed=False).select_related("source"))
    by_uid = {r.uid: r for r in records}
    standard = [dict(r.standard, unique_id=r.uid) for r in records]
    compare_cols = sorted({k for r in standard for k in r if k.startswith(("c_", "id_"))})
    table = linkage.records_table(standard, compare_cols)
    started = timezone.now()
    result = linkage.link(table, thresholds=limits, constraints=constraints(), engine=engine_for(backend))
    with transaction.atomic():
        run = LinkageRun.objects.create(
            started_at=started,
            backend=backend,
            thresholds=limits.__dict__,
            model=result.model,
            tf_tables=result.tf_tables,
            timings=result.timings,
        )
        moves = _assign_persons(run, result, by_uid)
        _follow_case_links()
        reviews = _store_reviews(run, result, by_uid, limits)
        households = rebuild_households()
        run.finished_at = timezone.now()
        run.counts = {
            "records": len(records),
            "persons": len(set(result.clusters.values())),
            "review": reviews,
            "moved": moves,
            "households": households,
        }
        run.save()
        audit("identity.linkage.run", run, actor_label="system", detail=run.counts)
    realtime_cache.clear()
    return run


def _assign_persons(run: LinkageRun, result: linkage.LinkageResult, by_uid: dict[str, SourceRecord]) -> int:
    """Map clusters to existing person ids (largest overlap wins), record merges and splits."""
    links = {link.record_id: link for link in PersonLink.objects.filter(record__in=by_uid.values())}
    members: dict[str, list[SourceRecord]] = defaultdict(list)
    for uid, cluster_id in result.clusters.items():
        members[cluster_id].append(by_uid[uid])
    # Biggest clusters choose first, so a split leaves the id with the larger part.
    order = sorted(members, key=lambda c: (-len(members[c]), min(r.uid for r in members[c])))
    taken: set[int] = set()
    moved = 0
    new_links, changed_links = [], []
    for cluster_id in order:
        recs = [r for r in members[cluster_id] if not (r.pk in links and links[r.pk].locked)]
        if not recs:
            continue
        votes = Counter(links[r.pk].person_id for r in recs if r.pk in links)
        locked_votes = Counter(
            links[r.pk].person_id for r in members[cluster_id] if r.pk in links and links[r.pk].locked
        )
        candidates = [p for p, _ in (locked_votes + votes).most_common() if p not in taken]
        created = not candidates
        if candidates:
            person = Person.objects.get(pk=candidates[0])
        else:
            person = new_person()
            PersonEvent.objects.create(kind=PersonEvent.Kind.CREATED, person=person, run=run)
        taken.add(person.pk)
        event_moves = []
        for record in recs:
            probability = result.best.get(record.uid)
            link = links.get(record.pk)
            if link is None:
                new_links.append(PersonLink(record=record, person=person, probability=probability, run=run))
            else:
                if link.person_id != person.pk:
                    event_moves.append([record.pk, link.person_id, person.pk])
                link.person, link.probability, link.run = person, probability, run
                changed_links.append(link)
        for from_person in {m[1] for m in event_moves}:
            these = [m for m in event_moves if m[1] == from_person]
            kind = PersonEvent.Kind.SPLIT if created else PersonEvent.Kind.MERGE
            PersonEvent.objects.create(kind=kind, person=person, other_id=from_person, moves=these, run=run)
        moved += len(event_moves)
    PersonLink.objects.bulk_create(new_links, batch_size=1000)
    PersonLink.objects.bulk_update(changed_links, ["person", "probability", "run"], batch_size=1000)
    emptied = Person.objects.filter(archived=False).exclude(links__isnull=False)
    emptied.update(archived=True)
    return moved


def _follow_case_links() -> None:
    """A case belongs to the person its record now belongs to; a case checked before the records it
    matches were imported (a new person then) is linked once a run puts its record with them."""
    person_of = dict(
        PersonLink.objects.filter(record__source__slug=CASES_SOURCE).values_list("record_id", "person_id")
    )
    sizes = Counter(
        PersonLink.objects.filter(person_id__in=set(person_of.values())).values_list("person_id", flat=True)
    )
    changed = []
    for link in CaseLink.objects.filter(record__isnull=False):
        person = person_of.get(link.record_id)
        if person is None:
            continue
        status = link.status
        if status != CaseLink.Status.LINKED and sizes[person] > 1:
            status = CaseLink.Status.LINKED
        if (person, status) != (link.person_id, link.status):
            link.person_id, link.status, link.decided_by = person, status, "linkage"
            changed.append(link)
    CaseLink.objects.bulk_update(changed, ["person", "status", "decided_by"], batch_size=1000)


def _store_reviews(run, result, by_uid, limits) -> int:
    decided = {
        (p.record_l_id, p.record_r_id)
        for p in ReviewPair.objects.exclude(status=ReviewPair.Status.PENDING).only("record_l", "record_r")
    }
    ReviewPair.objects.filter(status__in=[ReviewPair.Status.PENDING, ReviewPair.Status.SKIPPED]).delete()
    person_of = dict(PersonLink.objects.values_list("record_id", "person_id"))
    pairs = []
    for left, right, probability, weight in result.review_pairs(limits):
        a, b = by_uid[left], by_uid[right]
        if a.pk > b.pk:
            a, b = b, a
        if (a.pk, b.pk) in decided or person_of.get(a.pk) == person_of.get(b.pk):
            continue
        explanation = result.explanations.get(linkage.pair_key(left, right), {})
        pairs.append(
            ReviewPair(
                record_l=a,
                record_r=b,
                probability=probability,
                match_weight=weight,
                explanation=explanation,
                run=run,
            )
        )
    ReviewPair.objects.bulk_create(pairs, batch_size=1000, ignore_conflicts=True)
    return len(pairs)


def new_household_id() -> str:
    """Random, not derived from the address: knowing an address must not give its household's page."""
    while True:
        candidate = f"H{secrets.token_hex(5).upper()}"
        if not Household.objects.filter(public_id=candidate).exists():
            return candidate


def rebuild_households() -> int:
    """Persons grouped by UPRN where known, else normalised address; past addresses kept as past."""
    rows = list(
        PersonLink.objects.filter(record__removed=False, person__archived=False).values_list(
            "person_id", "record__standard", "record__source_id"
        )
    )
    addresses: dict[int, dict[str, tuple[str, str, str]]] = defaultdict(dict)
    sources: dict[tuple[int, str], set[int]] = defaultdict(set)  # (person, household key) -> sources
    for person_id, standard, source_id in rows:
        key = household_key(standard)
        if not key:
            continue
        sources[(person_id, key)].add(source_id)
        when = standard.get("record_date") or ""
        label = ", ".join(
            x
            for x in [
                standard.get("flat") and f"Flat {standard['flat']}",
                standard.get("number"),
                standard.get("street"),
                standard.get("postcode"),
            ]
            if x
        )
        first, last, _ = addresses[person_id].get(key, (when, when, label))
        addresses[person_id][key] = (min(first, when) if first else when, max(last, when), label)
    existing = {h.key: h for h in Household.objects.all()}
    # A record without a UPRN at an address another record gives a UPRN for is in that UPRN's household.
    uprn_of = {
        s["address_key"]: f"uprn:{s['uprn']}" for _, s, _ in rows if s.get("uprn") and s.get("address_key")
    }
    for person_id, by_key in addresses.items():
        for key in [k for k in by_key if k.startswith("addr:") and k[5:] in uprn_of]:
            first, last, label = by_key.pop(key)
            target = uprn_of[key[5:]]
            sources[(person_id, target)] |= sources.pop((person_id, key), set())
            if target in by_key:
                f2, l2, label2 = by_key[target]
                by_key[target] = (
                    min(x for x in (first, f2) if x) if first or f2 else "",
                    max(last, l2),
                    label2,
                )
            else:
                by_key[target] = (first, last, label)
    HouseholdMembership.objects.all().delete()
    memberships = []
    for person_id, by_key in addresses.items():
        ordered = sorted(by_key.items(), key=lambda item: item[1][1])
        for index, (key, (since, _until, label)) in enumerate(ordered):
            household = existing.get(key)
            if household is None:
                household = Household.objects.create(
                    public_id=new_household_id(), key=key, label=label.upper()
                )
                existing[key] = household
            current = index == len(ordered) - 1
            memberships.append(
                HouseholdMembership(
                    household=household,
                    person_id=person_id,
                    since=since,
                    until="" if current else ordered[index + 1][1][0],
                    current=current,
                    source_ids=sorted(sources[(person_id, key)]),
                )
            )
    HouseholdMembership.objects.bulk_create(memberships, batch_size=1000)
    return len({m.household_id for m in memberships})


# --- human decisions ---------------------------------------------------------------------------


@transaction.atomic
def decide(pair: ReviewPair, decision: str, *, by: Any, ip: str | None = None) -> ReviewPair:
    """Accept (same person), reject (different people) or skip a review pair. Audited.

    Accepting merges the two persons now and locks both links; rejecting splits the right-hand record
    off when the two share a person. Both are fed back as constraints into every later run.
    """
    if decision not in {"accepted", "rejected", "skipped"}:
        raise ActionError("Choose same person, different people or skip.")
    actor = as_actor(by, ip)
    pair = ReviewPair.objects.select_for_update().get(pk=pair.pk)
    pair.status, pair.decided_by, pair.decided_at = decision, actor.staff, timezone.now()
    pair.save()
    left, right = PersonLink.objects.get(record=pair.record_l), PersonLink.objects.get(record=pair.record_r)
    if decision == "accepted" and left.person_id != right.person_id:
        merge_persons(left.person, right.person, by=actor, lock=True)
        PersonLink.objects.filter(pk__in=[left.pk, right.pk]).update(locked=True)
    elif decision == "rejected":
        PersonLink.objects.filter(pk__in=[left.pk, right.pk]).update(locked=True)
        if left.person_id == right.person_id:
            split_records([pair.record_r], by=actor)
    record_action(actor, f"identity.review.{decision}", pair, probability=pair.probability)
    return pair


@transaction.atomic
def merge_persons(
    keep: Person, other: Person, *, by: Any = None, ip: str | None = None, lock: bool = True
) -> PersonEvent:
    """Move every record of ``other`` to ``keep``; reversible with ``undo``."""
    if keep.pk == other.pk:
        raise ActionError("A person cannot be merged with themselves.")
    actor = as_actor(by, ip)
    links = list(PersonLink.objects.filter(person=other))
    moves = [[link.record_id, other.pk, keep.pk] for link in links]
    PersonLink.objects.filter(person=other).update(person=keep, locked=lock)
    Person.objects.filter(pk=other.pk).update(archived=True, merged_into=keep)
    CaseLink.objects.filter(person=other).update(person=keep)
    event = PersonEvent.objects.create(
        kind=PersonEvent.Kind.MANUAL_MERGE, person=keep, other=other, moves=moves, actor=actor.staff
    )
    record_action(actor, "identity.person.merged", keep, other=other.public_id)
    rebuild_households()
    return event


@transaction.atomic
def split_records(records: list[SourceRecord], *, by: Any = None, ip: str | None = None) -> PersonEvent:
    """Move the given records to a new person (locked, so later runs keep it); reversible."""
    links = list(PersonLink.objects.filter(record__in=records).select_related("person"))
    if not links:
        raise ActionError("These records are not linked to a person.")
    actor = as_actor(by, ip)
    old = links[0].person
    person = new_person()
    moves = [[link.record_id, link.person_id, person.pk] for link in links]
    PersonLink.objects.filter(pk__in=[link.pk for link in links]).update(person=person, locked=True)
    event = PersonEvent.objects.create(
        kind=PersonEvent.Kind.MANUAL_SPLIT, person=person, other=old, moves=moves, actor=actor.staff
    )
    record_action(actor, "identity.person.split", old, new=person.public_id)
    _follow_case_links()
    rebuild_households()
    return event


@transaction.atomic
def undo(event: PersonEvent, *, by: Any = None, ip: str | None = None) -> PersonEvent:
    """Reverse a merge or split: every moved record goes back to its earlier person."""
    if event.is_reversed:
        raise ActionError("This change has already been undone.")
    actor = as_actor(by, ip)
    back = []
    for record_id, from_person, to_person in event.moves:
        PersonLink.objects.filter(record_id=record_id, person_id=to_person).update(
            person_id=from_person, locked=True
        )
        back.append([record_id, to_person, from_person])
    restored = {m[1] for m in event.moves}
    Person.objects.filter(pk__in=restored).update(archived=False, merged_into=None)
    Person.objects.filter(archived=False).exclude(links__isnull=False).update(archived=True)
    reverse = PersonEvent.objects.create(
        kind=PersonEvent.Kind.UNDO,
        person=event.person,
        other=event.other,
        moves=back,
        actor=actor.staff,
        reverses=event,
    )
    record_action(actor, "identity.person.undo", event.person, event=event.pk)
    _follow_case_links()
    rebuild_households()
    return reverse


# --- point of entry ----------------------------------------------------------------------------


class _RealtimeCache:
    """The latest run's scorer, built once per process and dropped after each run."""

    def __init__(self):
        self._scorer: tuple[int, realtime.Scorer] | None = None

    def scorer(self) -> realtime.Scorer | None:
        run = LinkageRun.objects.filter(finished_at__isnull=False).only("pk").first()
        if run is None or not run.model:
            return None
        if self._scorer is None or self._scorer[0] != run.pk:
            run = LinkageRun.objects.get(pk=run.pk)
            self._scorer = (run.pk, realtime.Scorer(run.model, run.tf_tables))
        return self._scorer[1]

    def clear(self):
        self._scorer = None


realtime_cache = _RealtimeCache()


def find_candidates(
    standard: dict, *, exclude_record: int | None = None, user: Any = None
) -> list[tuple[Person, float, int]]:
    """(person, probability, best record pk), best first, for a standard record.

    With ``user``, only records from sources that user may see are matched, so a match endpoint
    cannot reveal that social care knows someone. Without it (the system linking a new case) all are.
    """
    scorer = realtime_cache.scorer()
    keys = realtime.candidate_keys(standard)
    if scorer is None or not keys:
        return []
    record_ids = list(
        CandidateKey.objects.filter(key__in=keys)
        .exclude(record_id=exclude_record)
        .values_list("record_id", flat=True)
        .distinct()[: realtime.MAX_CANDIDATES]
    )
    records = SourceRecord.objects.filter(pk__in=record_ids, removed=False, link__isnull=False)
    if user is not None:
        records = records.filter(source__in=Source.objects.filter(permissions.visible_sources(user)))
    candidates = list(records.values_list("pk", "standard", "link__person_id"))
    scored = scorer.score(standard, [dict(s, unique_id=str(pk)) for pk, s, _ in candidates])
    person_of = {str(pk): person for pk, _, person in candidates}
    best: dict[int, tuple[float, int]] = {}
    for uid, probability in scored:
        person_id = person_of[uid]
        if person_id not in best or probability > best[person_id][0]:
            best[person_id] = (probability, int(uid))
    persons = Person.objects.in_bulk(best)
    return sorted(((persons[p], prob, rec) for p, (prob, rec) in best.items()), key=lambda x: -x[1])


class ContactError(ValueError):
    """A contact's values cannot be read; ``errors`` maps each field to why (no value in it)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))


MATCH_FIELDS = ("name", "dob", "email", "phone", "postcode")


def match_contact(contact: dict, *, user: Any, limit: int = 10) -> list[dict]:
    """The point-of-entry check for a contact ({name, dob, email, phone, postcode}), as the staff JSON
    endpoint and the REST API answer it: candidate persons, best first, each with a decision."""
    from . import standardise as std

    unknown = sorted(set(contact) - set(MATCH_FIELDS))
    errors = {name: f"unknown field (known: {', '.join(MATCH_FIELDS)})" for name in unknown}
    errors |= {n: "must be a string" for n in MATCH_FIELDS if not isinstance(contact.get(n, ""), str)}
    if errors:
        raise ContactError(errors)
    first, middle, last = std.split_full_name(contact.get("name", ""))
    clean = {}
    for name, func in (
        ("dob", std.parse_dob),
        ("email", std.normalise_email),
        ("phone", std.normalise_phone),
        ("postcode", std.normalise_postcode),
    ):
        try:
            clean[name] = func(contact.get(name, ""))
        except std.InvalidValue as exc:
            errors[name] = str(exc)
    if errors:
        raise ContactError(errors)
    if not (first or last) and not any(clean.values()):
        raise ContactError({"name": "give a name, or at least one of dob, email, phone, postcode"})
    record = build_record(
        "query", "query", {"first_name": first, "middle_name": middle, "last_name": last}, clean, []
    )
    limits = thresholds()
    return [
        {
            "person_id": person.public_id,
            "match_probability": round(probability, 6),
            "decision": "link"
            if probability >= limits.link
            else "review"
            if probability >= limits.review
            else "no match",
        }
        for person, probability, _ in find_candidates(record, user=user)[:limit]
    ]


def case_standard_record(case: Any) -> dict:
    from . import standardise as std

    first, middle, last = std.split_full_name(case.contact_name)
    mapped = {"first_name": first, "middle_name": middle, "last_name": last}
    clean = {}
    for name, value, func in (
        ("email", case.contact_email, std.normalise_email),
        ("phone", case.contact_phone, std.normalise_phone),
        ("postcode", case.postcode, std.normalise_postcode),
        ("uprn", case.uprn, std.uprn),
    ):
        try:
            clean[name] = func(value)
        except std.InvalidValue:
            clean[name] = ""
    clean["record_date"] = case.created_at.date().isoformat()
    return build_record(case.reference, CASES_SOURCE, mapped, clean, [])


@transaction.atomic
def check_case(case: Any) -> CaseLink:
    """The point-of-entry duplicate check for a new case: link, send to review, or a new person."""
    start = time.perf_counter()
    existing = CaseLink.objects.filter(case=case).first()
    if existing:
        return existing
    source, _ = Source.objects.get_or_create(slug=CASES_SOURCE, defaults={"name": "Cases (this system)"})
    standard = case_standard_record(case)
    standard["unique_id"] = f"{CASES_SOURCE}:{case.reference}"
    raw = {
        "name": case.contact_name,
        "email": case.contact_email,
        "phone": case.contact_phone,
        "postcode": case.postcode,
        "uprn": case.uprn,
    }
    record = SourceRecord.objects.create(
        source=source, source_key=case.reference, data=raw, standard=standard, fingerprint=_fingerprint(raw)
    )
    SourceRecordVersion.objects.create(record=record, data=raw, fingerprint=record.fingerprint)
    candidates = find_candidates(standard, exclude_record=record.pk)
    limits = thresholds()
    best = candidates[0] if candidates else None
    if best and best[1] >= limits.link:
        person, probability, status = best[0], best[1], CaseLink.Status.LINKED
    else:
        person, probability = new_person(), (best[1] if best else None)
        status = CaseLink.Status.REVIEW if best and best[1] >= limits.review else CaseLink.Status.NEW
    PersonLink.objects.create(record=record, person=person, probability=probability)
    if status == CaseLink.Status.REVIEW:
        other = SourceRecord.objects.get(pk=best[2])
        left, right = sorted([other, record], key=lambda r: r.pk)
        scorer = realtime_cache.scorer()
        explanation = (
            scorer.explain(standard, dict(other.standard, unique_id=str(other.pk))) if scorer else {}
        )
        ReviewPair.objects.get_or_create(
            record_l=left, record_r=right, defaults={"probability": best[1], "explanation": explanation}
        )
    _index([record])
    elapsed = (time.perf_counter() - start) * 1000
    link = CaseLink.objects.create(
        case=case, person=person, record=record, probability=probability, status=status, checked_ms=elapsed
    )
    audit("identity.case.checked", case, actor_label="system", detail={"status": status})
    return link
