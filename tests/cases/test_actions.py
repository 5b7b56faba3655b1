"""Every change to a case goes through an action: validated, on the timeline, audited."""

import datetime as dt

import pytest
from django.utils import timezone

from residenthub.cases import actions
from residenthub.cases.models import Attachment, CaseEvent
from residenthub.core.calendar import add_working_days
from residenthub.core.models import AppendOnlyError, AuditEntry, OutboxMessage


@pytest.mark.django_db
def test_create_case_sets_reference_status_clock_place_and_timeline(make_case, settings):
    case = make_case()
    assert case.reference.startswith(settings.REFERENCE_PREFIX + "-")
    assert case.status == case.service.workflow.initial and case.is_open
    assert case.due_date == add_working_days(timezone.localdate(), case.service.target_working_days)
    assert case.postcode == "E20 1AB" and "Station Road" in case.location_text
    event = case.events.get()
    assert event.kind == CaseEvent.Kind.SUBMITTED and event.public
    audit = AuditEntry.objects.get(object_id=str(case.pk))
    assert audit.action == "case.created" and audit.actor_label == "resident"
    assert "Mary" not in str(audit.detail)  # no personal data in the audit detail
    assert OutboxMessage.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_received_at_starts_the_clock_when_the_council_received_it(make_case):
    friday = timezone.make_aware(dt.datetime(2026, 11, 6, 16, 0))
    case = make_case(received_at=friday)
    assert case.due_date == add_working_days(dt.date(2026, 11, 6), case.service.target_working_days)


@pytest.mark.django_db
def test_the_same_submission_key_makes_one_case(make_case):
    first = make_case(submission_key="abc123")
    second = make_case(submission_key="abc123")
    assert first.pk == second.pk


@pytest.mark.django_db
def test_transition_follows_the_workflow(make_case, highways_officer):
    case = make_case()
    case = actions.transition(case, "in_progress", by=highways_officer)
    assert case.status == "in_progress" and case.version == 2
    with pytest.raises(actions.ActionError, match="cannot move"):
        actions.transition(case, "received", by=highways_officer)
    with pytest.raises(actions.ActionError, match="not a status"):
        actions.transition(case, "teleported", by=highways_officer)


@pytest.mark.django_db
def test_closing_without_action_needs_a_reason(make_case, highways_officer):
    case = make_case()
    with pytest.raises(actions.ActionError, match="Give a reason"):
        actions.transition(case, "closed_no_action", by=highways_officer, reason="   ")
    case = actions.transition(case, "closed_no_action", by=highways_officer, reason="Private road.")
    assert not case.is_open and case.closed_at
    event = case.events.last()
    assert event.text == "Private road." and event.actor == highways_officer


@pytest.mark.django_db
def test_a_stale_version_is_refused(make_case, highways_officer, housing_officer):
    case = make_case()
    seen_version = case.version
    actions.add_internal_note(
        case, "First officer's note.", by=highways_officer, expected_version=seen_version
    )
    with pytest.raises(actions.ActionError, match="Someone else changed this case"):
        actions.transition(case, "in_progress", by=housing_officer, expected_version=seen_version)
    case.refresh_from_db()
    assert case.status == "received"


@pytest.mark.django_db
def test_empty_updates_and_notes_are_refused(make_case, highways_officer):
    case = make_case()
    with pytest.raises(actions.ActionError):
        actions.add_public_update(case, "  ", by=highways_officer)
    with pytest.raises(actions.ActionError):
        actions.add_internal_note(case, "", by=highways_officer)
    assert case.events.count() == 1


@pytest.mark.django_db
def test_timeline_and_audit_cannot_be_edited(make_case):
    case = make_case()
    event = case.events.get()
    event.text = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    entry = AuditEntry.objects.first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db
def test_public_label_of_a_hidden_status_is_the_last_public_one(make_case, socialcare_officer):
    case = make_case("adult-social-care-assessment")
    visible = case.public_status_label
    hidden = next(s for s in case.service.workflow.allowed_from(case.status) if not s.public)
    case = actions.transition(case, hidden.code, by=socialcare_officer)
    assert case.public_status_label == visible
    assert case.restricted


@pytest.mark.django_db
def test_only_this_sessions_pending_uploads_are_attached(make_case, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    mine = Attachment.objects.create(
        token="t1", session_key="s1", original_name="a.png", content_type="image/png", size=1, file="x"
    )
    theirs = Attachment.objects.create(
        token="t2", session_key="s2", original_name="b.png", content_type="image/png", size=1, file="y"
    )
    case = make_case(attachment_ids=[mine.pk, theirs.pk], session_key="s1")
    assert list(case.attachments.all()) == [mine]
    theirs.refresh_from_db()
    assert theirs.case is None


@pytest.mark.django_db
def test_abandoned_uploads_are_purged(tmp_path, settings, make_case):
    import datetime as dt

    from django.core.files.base import ContentFile

    from residenthub.cases.jobs import purge_abandoned_uploads

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    old = Attachment(token="old", session_key="s", original_name="a.png", content_type="image/png", size=3)
    old.file.save("old", ContentFile(b"abc"))
    Attachment.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - dt.timedelta(days=3))
    fresh = Attachment(
        token="fresh", session_key="s", original_name="b.png", content_type="image/png", size=3
    )
    fresh.file.save("fresh", ContentFile(b"abc"))
    sent = Attachment(token="sent", session_key="", original_name="c.png", content_type="image/png", size=3)
    sent.file.save("sent", ContentFile(b"abc"))
    sent.case = make_case()
    sent.save()
    Attachment.objects.filter(pk=sent.pk).update(uploaded_at=timezone.now() - dt.timedelta(days=30))
    assert purge_abandoned_uploads() == 1
    assert set(Attachment.objects.values_list("token", flat=True)) == {"fresh", "sent"}
    assert not (tmp_path / old.file.name).exists()


@pytest.mark.django_db
def test_the_clock_reminder_is_on_the_timeline_in_the_audit_and_bumps_the_version(
    make_case, highways_officer
):
    """run_clocks writes through actions: the "still waiting" reminder is on the timeline (the resident
    sees it on their tracking page), in the audit trail, and the case's version moves."""
    import datetime as dt

    from django.utils import timezone

    from residenthub.cases.jobs import run_clocks
    from residenthub.cases.models import Case, CaseEvent

    case = actions.transition(make_case(), "awaiting_information", by=highways_officer)
    Case.objects.filter(pk=case.pk).update(status_entered_at=timezone.now() - dt.timedelta(days=6))
    assert run_clocks()["hold_reminders"] == 1
    reminded = Case.objects.get(pk=case.pk)
    assert reminded.version == case.version + 1 and reminded.hold_reminder_sent_at
    event = reminded.events.get(kind=CaseEvent.Kind.REMINDER)
    assert event.public and "still waiting" in event.text and event.actor is None
    entry = AuditEntry.objects.get(action="case.resident_reminded", object_id=str(case.pk))
    assert entry.actor_label == "system:clock"
