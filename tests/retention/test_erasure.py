"""Goal: after an erasure a scan finds no identifier of the person in the database, uploads, outbox,
search indexes, triage training data or exports (a person over five sources, cases, a SAR and a
recording); what is kept is kept for a stated reason; a restored backup is erased again by replay."""

import io

import pytest
from django.core.files.storage import default_storage

from residenthub.api.models import WebhookDelivery, WebhookSubscription
from residenthub.cases.models import Case, CaseEvent
from residenthub.core.actions import ActionError
from residenthub.core.models import OutboxMessage
from residenthub.foi.models import InformationRequest, SubjectAccessPack
from residenthub.identity.models import CandidateKey, SourceRecord
from residenthub.retention import actions, queries
from residenthub.retention.models import ErasureRequest, LegalHold
from residenthub.triage.models import TrainingExample, TriageRecord

from .conftest import EMAIL, text_of_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def records_manager(db, catalogue):
    from tests.conftest import _staff

    return _staff("records.manager", "information-governance", "team_leader")


def _kept_rows(plan):
    from residenthub.retention import engine
    from residenthub.retention.schedule import load

    return {k: set(v) for k, v in engine.select(plan.roots, plan.held, load()).keep.items()}


def test_erasure_leaves_nothing_to_find(world, records_manager, settings):
    w = world(five=True)
    # The complaint is closed here: everything of hers can go.
    InformationRequest.objects.filter(pk=w.complaint.pk).update(status="closed")
    WebhookSubscription.objects.create(
        name="FixMyStreet", url="https://fms.example/hook", secret="s", events=["person.erased"]
    )
    # An analysts' export on disk (the insights roll-ups), which the scan reads too.
    from pathlib import Path

    from django.core.management import call_command

    exports = Path(settings.RETENTION_SCAN_DIRS[1])
    call_command("insights", "rollup", stdout=io.StringIO())
    call_command("insights", "export", "--out", str(exports), stdout=io.StringIO())
    assert any(exports.iterdir())
    plan = queries.erasure_plan(w.person)
    assert len(plan.records) == 10 and len(plan.sources) == 5
    identifiers = plan.identifiers
    assert EMAIL in identifiers["strong"] and "Margaret" in identifiers["firsts"]
    before = queries.scan(identifiers)
    tables = {f.where.split(".")[0] if f.where.startswith("table:") else "file" for f in before}
    # The person really is everywhere before: records, search index, cases, outbox, requests, the
    # SAR pack, the call, the front door and its training data, the account, the upload.
    for where in [
        "table:identity",
        "table:cases",
        "table:core",
        "table:foi",
        "table:voice",
        "table:triage",
        "table:residents",
    ]:
        assert where in tables, (where, tables)
    assert any(f.where == "table:identity.CandidateKey" for f in before)
    assert any(f.where == "table:foi.SubjectAccessPack.pdf" for f in before)
    assert any(f.where == "table:triage.TrainingExample" for f in before)
    assert any(f.where == "table:core.OutboxMessage" for f in before)

    erasure = actions.open_erasure(w.person, "erasure", by=records_manager)
    actions.erase(erasure, by=records_manager)
    erasure.refresh_from_db()
    assert erasure.status == "done"

    kept = _kept_rows(queries.erasure_plan(w.person))
    after = queries.scan(identifiers, exclude=kept)
    assert after == [], after
    assert queries.scan(identifiers) == [], "nothing of hers is even in the kept records"
    assert not w.recording.exists(), "the call recording is deleted"
    assert not default_storage.exists(w.upload), "the upload is deleted"
    assert not SubjectAccessPack.objects.filter(request=w.sar).exists()
    assert not TrainingExample.objects.filter(text__icontains="O'Brien").exists()
    assert not TriageRecord.objects.filter(pk=w.triage.pk).exists()
    assert not CandidateKey.objects.filter(record__in=w.records).exists()
    assert not OutboxMessage.objects.filter(recipient=EMAIL).exists()
    # Cases stay, anonymised, for the statistics.
    for case in w.closed_cases:
        case.refresh_from_db()
        assert case.contact_name == case.contact_email == "" and case.answers == {}
        assert case.service_id and case.closed_at
        assert (
            not CaseEvent.objects.filter(case=case)
            .exclude(text="")
            .filter(text__icontains="O'Brien")
            .exists()
        )
    # Her household member is untouched.
    assert SourceRecord.objects.filter(pk__in=[r.pk for r in w.other_records]).count() == 2
    # Teams told (by email, no names), connected systems told, certificate issued.
    assert "revenues" in erasure.teams_told
    message = OutboxMessage.objects.get(recipient="revenues@council.example")
    assert erasure.reference in message.body_text and "O'Brien" not in message.body_text
    delivery = WebhookDelivery.objects.get(event="person.erased")
    assert delivery.payload["person"] == w.person.public_id
    assert {c.reference for c in w.closed_cases} <= set(delivery.payload["cases"])
    certificate = text_of_pdf(erasure.certificate)
    assert "Certificate of erasure" in certificate and erasure.reference in certificate
    assert "O'Brien" not in certificate


def test_replay_after_a_restore_erases_again(world, records_manager, django_capture_on_commit_callbacks):
    w = world()
    InformationRequest.objects.filter(pk=w.complaint.pk).update(status="closed")
    case = w.closed_cases[0]
    snapshot = {
        "contact_name": case.contact_name,
        "contact_email": case.contact_email,
        "contact_phone": case.contact_phone,
    }
    erasure = actions.open_erasure(w.person, "deceased", by=records_manager)
    with django_capture_on_commit_callbacks(execute=True):
        actions.erase(erasure, by=records_manager)
    # "Restore a backup": her details come back in the case and a council tax record.
    Case.objects.filter(pk=case.pk).update(**snapshot)
    restored = SourceRecord.objects.create(
        source=w.records[0].source,
        source_key=w.records[0].source_key,
        data={"first_name": "Margaret"},
        standard={},
    )
    result = actions.replay(by=records_manager)
    assert result["entries"] == 1 and result["rows"] >= 2
    case.refresh_from_db()
    assert case.contact_email == "" and case.contact_name == ""
    assert not SourceRecord.objects.filter(pk=restored.pk).exists()


def test_holds_keep_records_and_say_why(world, records_manager):
    w = world()
    hold = actions.place_hold(
        "litigation", "Claim about a trip on Station Road", case=w.closed_cases[1], by=records_manager
    )
    plan = queries.erasure_plan(w.person)
    by_key = {i.key: i for i in plan.items}
    assert by_key[w.closed_cases[1].reference].decision == "keep"
    assert "Claim about a trip" in by_key[w.closed_cases[1].reference].reason
    assert by_key[w.complaint.reference].decision == "keep"
    assert "Open complaint" in by_key[w.complaint.reference].reason
    erasure = actions.open_erasure(w.person, "erasure", by=records_manager)
    actions.erase(erasure, by=records_manager)
    held = Case.objects.get(pk=w.closed_cases[1].pk)
    assert held.contact_email == EMAIL, "the held case keeps its details"
    assert Case.objects.get(pk=w.closed_cases[0].pk).contact_email == ""
    assert InformationRequest.objects.get(pk=w.complaint.pk).requester_email == EMAIL
    actions.release_hold(hold, "Claim settled", by=records_manager)
    assert LegalHold.objects.get(pk=hold.pk).released_at is not None


def test_a_safeguarding_flag_holds_everything(world, records_manager):
    from residenthub.residents.models import PersonFlag

    w = world()
    PersonFlag.objects.create(person=w.person, kind="vulnerable", detail="")
    plan = queries.erasure_plan(w.person)
    assert plan.hold_everything.startswith("Safeguarding flag")
    assert all(i.decision == "keep" for i in plan.items)


def test_records_below_the_threshold_are_listed_for_review_not_erased(world, records_manager):
    from residenthub.identity.models import PersonLink

    w = world()
    doubtful = w.records[-1]
    PersonLink.objects.filter(record=doubtful).update(probability=0.5)
    plan = queries.erasure_plan(w.person)
    assert [i.pk for i in plan.review if i.kind == "record"] == [doubtful.pk]
    erasure = actions.open_erasure(w.person, "erasure", by=records_manager)
    actions.erase(erasure, by=records_manager)
    assert SourceRecord.objects.filter(pk=doubtful.pk).exists()
    assert not SourceRecord.objects.filter(pk=w.records[0].pk).exists()


def test_only_the_records_manager_may_erase(world, highways_officer, records_manager):
    w = world()
    with pytest.raises(ActionError):
        actions.open_erasure(w.person, "erasure", by=highways_officer)
    erasure = actions.open_erasure(w.person, "erasure", by=records_manager)
    with pytest.raises(ActionError):
        actions.erase(erasure, by=highways_officer)
    assert ErasureRequest.objects.get(pk=erasure.pk).status == "open"


def test_bad_hold_input_is_named(records_manager):
    with pytest.raises(actions.HoldError) as info:
        actions.place_hold("shred", "  ", by=records_manager)
    assert set(info.value.errors) == {"kind", "reason", "target"}
