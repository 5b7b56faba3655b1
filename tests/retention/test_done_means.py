"""Issue 20's "Done means", walked through the records manager's pages.

A resident asks to be forgotten: the records manager opens their person, sees 9 records in 4 sources,
3 closed cases erasable and an open complaint on hold, erases, and a scan finds nothing left; the
nightly sweep deletes triage messages older than the schedule's period and its report says how many.
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from residenthub.retention import jobs, queries
from residenthub.retention.models import ErasureRequest, SweepRun
from residenthub.triage.models import TriageRecord
from tests.conftest import _staff

from .conftest import EMAIL

pytestmark = pytest.mark.django_db


def test_done_means(world, settings, django_capture_on_commit_callbacks):
    w = world()
    manager = _staff("records.manager", "information-governance", "team_leader")
    client = Client()
    client.force_login(manager)

    person_page = client.get(f"/staff/identity/person/{w.person.public_id}/").content.decode()
    assert f"/staff/retention/erasures/new/{w.person.public_id}/" in person_page

    response = client.post(
        f"/staff/retention/erasures/new/{w.person.public_id}/",
        {"grounds": "erasure", "received_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(person=w.person)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    plan = page.context["plan"]
    assert len(plan.records) == 9 and len(plan.sources) == 4
    assert "9 records in 4 sources" in html
    cases = plan.of_kind("case")
    assert sorted(i.key for i in cases if i.decision == "anonymise") == sorted(
        c.reference for c in w.closed_cases
    )
    complaint = next(i for i in plan.items if i.key == w.complaint.reference)
    assert complaint.decision == "keep" and "Open complaint" in complaint.reason
    assert "Open complaint" in html

    # Erasing needs a confirmation.
    refused = client.post(page.request["PATH_INFO"], {})
    assert refused.status_code == 400
    assert "Confirm that the records listed as erasable are to be erased" in refused.content.decode()

    identifiers = plan.identifiers
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/staff/retention/erasures/{erasure.reference}/", {"confirm": "yes"})
    assert done.status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == "done"
    result = client.get(done["Location"]).content.decode()
    assert "Erased" in result and "Open complaint" in result

    # The scan finds nothing left outside what is kept (the open complaint), and the complaint is
    # the only place the scan finds her at all.
    findings = queries.scan(identifiers)
    assert {f.where for f in findings} <= {"table:foi.InformationRequest"}, findings
    assert all(f.pk == w.complaint.pk for f in findings)
    certificate = client.get(f"/staff/retention/erasures/{erasure.reference}/certificate/")
    assert certificate.status_code == 200 and certificate["Content-Type"] == "application/pdf"

    # The nightly sweep: old front door messages go, and the report says how many.
    for days in (400, 500, 30):
        record = TriageRecord.objects.create(
            text="Bin missed", outcome="suggested", contact_email="x@example.com"
        )
        TriageRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    settings.RETENTION_SWEEP_HOUR = 0
    assert jobs.nightly_sweep().startswith("swept")
    run = SweepRun.objects.filter(dry_run=False).latest("started_at")
    assert run.counts["triage-message"]["done"] == 2
    assert TriageRecord.objects.filter(contact_email="x@example.com").count() == 1
    report = client.get(f"/staff/retention/sweeps/{run.pk}/").content.decode()
    assert "Front door messages (triage)" in report
    assert EMAIL not in report
