"""Sweep batches: pages by primary-key window, keys as one parameter, a bounded number of statements
per batch (issue 20: a million cases in minutes). No timings here: benchmarks/retention.py times."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from residenthub.cases.models import Case, CaseEvent
from residenthub.core.actions import Actor
from residenthub.retention import actions, engine
from residenthub.retention.models import LegalHold
from residenthub.triage.models import TriageRecord

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("retention")


def _old_cases(make_case, n: int, days_ago: int = 800) -> list[Case]:
    """``n`` closed pothole cases past the 2-year rule, each with a timeline note naming the person."""
    template = make_case(name="Template Person", email="template@example.com")
    closed = timezone.now() - dt.timedelta(days=days_ago)
    copied = {
        f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"
    }
    made = Case.objects.bulk_create(
        Case(
            **{
                **copied,
                "reference": f"T{i:06d}",
                "submission_key": None,
                "postcode": ["E20 1AB", "E20 4LR", "E20 2ST"][i % 3],
                "contact_name": f"Resident {i}",
                "contact_email": f"r{i}@example.com",
                "contact_phone": f"07700 900{i:03d}",
                "is_open": False,
                "status": "resolved",
                "closed_at": closed,
            }
        )
        for i in range(n)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(case=c, at=closed, kind="internal_note", text=f"Spoke to {c.contact_name}") for c in made
    )
    return made


def test_pages_walk_id_windows_across_gaps_and_take_every_due_row_once(catalogue):
    records = [TriageRecord.objects.create(text=f"message {i}", outcome="suggested") for i in range(40)]
    # Gaps wider than a window: deleted runs of ids, and rows that are not due (young ones).
    TriageRecord.objects.filter(pk__in=[r.pk for r in records[5:17]]).delete()
    young = {r.pk for r in records[30:33]}
    old_ids = [r.pk for r in records if r.pk not in young and r not in records[5:17]]
    TriageRecord.objects.filter(pk__in=old_ids).update(created_at=timezone.now() - dt.timedelta(days=400))
    due = TriageRecord.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=365))
    pages = list(actions._pages(due, 4, ["pk", "text"]))
    taken = [row[0] for page in pages for row in page]
    assert taken == sorted(old_ids)  # each due row once, in key order, none of the young or deleted
    assert all(1 <= len(page) <= 4 for page in pages)
    assert all(isinstance(row[1], str) for page in pages for row in page)
    assert list(actions._pages(due.none(), 4, ["pk"])) == []


def test_keys_as_one_parameter_find_the_same_rows_as_an_in_list(make_case):
    cases = _old_cases(make_case, 60)
    ids = [c.pk for c in cases]
    q = engine.keys_q("pk", ids)
    assert "pk__retention_any" in str(q)  # more than MANY_KEYS integers: one parameter
    assert set(Case.objects.filter(q).values_list("pk", flat=True)) == set(ids)
    # Through a foreign key, and with a key that matches nothing.
    by_case = engine.keys_q("case", [*ids, 10**12])
    assert CaseEvent.objects.filter(by_case).count() == 60
    with CaptureQueriesContext(connection) as seen:
        list(Case.objects.filter(q).values_list("pk", flat=True))
    assert len(seen.captured_queries[0]["sql"]) < 2000 + 8 * len(ids)  # no 60 placeholders' worth
    # Few keys, or keys that are not integers, stay a plain IN.
    assert "pk__in" in str(engine.keys_q("pk", ids[:3]))
    refs = [c.reference for c in cases]
    assert "reference__in" in str(engine.keys_q("reference", refs))
    assert Case.objects.filter(engine.keys_q("reference", refs)).count() == 60


def test_keys_lookup_rejects_a_key_that_is_not_an_integer(catalogue):
    with pytest.raises((TypeError, ValueError)):
        list(TriageRecord.objects.filter(pk__retention_any=[1, "two"]))


def test_a_sweep_in_small_batches_anonymises_all_but_the_held_with_bounded_statements(make_case):
    cases = _old_cases(make_case, 250)
    held = cases[::50]
    for case in held:
        LegalHold.objects.create(kind="litigation", reason="Claim", case=case)
    with CaptureQueriesContext(connection) as seen:
        run = actions.sweep(by=SYSTEM, classes=["case"], batch_size=100)
    report = run.counts["case"]
    assert report["done"] == 245 and report["held"] == 5
    assert run.held == {"Litigation hold": 5}
    held_ids = {c.pk for c in held}
    left = set(
        Case.objects.filter(reference__startswith="T").exclude(contact_email="").values_list("pk", flat=True)
    )
    assert left == held_ids
    notes = CaseEvent.objects.filter(case__reference__startswith="T").exclude(text="")
    assert set(notes.values_list("case_id", flat=True)) == held_ids
    anonymised = Case.objects.filter(reference__startswith="T").exclude(pk__in=held_ids)
    assert set(anonymised.values_list("postcode", flat=True)) <= {"E20 1AB", "E20 4LR", "E20 2ST", ""}
    # 245 rows in 3 batches: a bounded number of statements per batch, not one per row or per key.
    batches = 3
    assert len(seen.captured_queries) <= 20 + 16 * batches, len(seen.captured_queries)
    assert not any(q["sql"].count("%s") > 60 or q["sql"].count(", ") > 400 for q in seen.captured_queries)


def test_sessions_page_by_their_text_key(catalogue):
    past = timezone.now() - dt.timedelta(days=3)
    for i in range(5):
        Session.objects.create(session_key=f"old{i:02d}" + "x" * 20, session_data="e30=", expire_date=past)
    Session.objects.create(
        session_key="live" + "x" * 20, session_data="e30=", expire_date=timezone.now() + dt.timedelta(days=1)
    )
    run = actions.sweep(by=SYSTEM, classes=["session"], batch_size=2)
    assert run.counts["session"]["done"] == 5
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" + "x" * 20]
