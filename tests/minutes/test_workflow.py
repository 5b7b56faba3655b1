"""Review, approval and publication; tasks and reminders; closed items; retention; who may do what."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from residenthub.core.models import AuditEntry, OutboxMessage
from residenthub.minutes import actions
from residenthub.minutes.models import ActionTask, Meeting, MinuteLine, Recording


def _login(client, user):
    client.force_login(user)


def test_the_draft_has_every_part_of_the_seed_format(drafted, script):
    kinds = set(drafted.lines.values_list("kind", flat=True))
    assert kinds == {"declaration", "summary", "decision", "action"}
    decisions = list(
        drafted.lines.filter(kind="decision").order_by("item__number").values_list("text", flat=True)
    )
    assert decisions == [d["text"] for d in script.decisions]
    assert all(line.start is not None for line in drafted.lines.all())
    assert drafted.status == Meeting.Status.DRAFTED
    # Each transcript line knows its agenda item.
    assert drafted.segments.exclude(item=None).count() > len(script.lines) // 2


def test_nothing_is_published_until_every_line_is_accepted_and_approved(client, drafted, clerk):
    public = reverse("minutes_public:meeting", args=[drafted.committee.slug, drafted.pk])
    assert client.get(public).status_code == 404
    with pytest.raises(actions.MinutesError, match="have not been accepted"):
        actions.approve(drafted, by=clerk)
    assert client.get(public).status_code == 404
    assert client.get(reverse("minutes_public:committee", args=[drafted.committee.slug])).status_code == 404


def test_clerk_corrects_a_name_approves_and_the_pdf_is_public(client, drafted, clerk, script):
    _login(client, clerk)
    action = drafted.lines.filter(kind="action").first()
    page = reverse("minutes:edit_line", args=[drafted.pk, action.pk])
    response = client.post(
        page,
        {
            "text": action.text.replace(action.owner, "Dr Grace Mensah"),
            "owner": "Grace Mensah",
            "due-day": "1",
            "due-month": "5",
            "due-year": "2026",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.due, action.accepted) == ("Grace Mensah", dt.date(2026, 5, 1), True)
    draft_page = reverse("minutes:draft", args=[drafted.pk])
    assert client.post(draft_page, {"action": "accept_all"}).status_code == 302
    response = client.post(draft_page, {"action": "approve"})
    public = reverse("minutes_public:meeting", args=[drafted.committee.slug, drafted.pk])
    assert response["Location"] == public
    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Dr Grace Mensah" in body
    assert "(Action: Grace Mensah, by 1 May 2026)" in body and "2026-05-01" not in body  # as in the PDF
    for decision in script.decisions:
        assert decision["text"] in body
    pdf = client.get(reverse("minutes_public:download", args=[drafted.committee.slug, drafted.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Dr Grace Mensah" in text and "RESOLVED: That" in text and "Apologies for absence" in text
    docx = client.get(reverse("minutes_public:download", args=[drafted.committee.slug, drafted.pk, "docx"]))
    assert docx.content.startswith(b"PK")
    listing = client.get(reverse("minutes_public:committee", args=[drafted.committee.slug])).content.decode()
    assert "minutes.pdf" in listing
    # Approved minutes are the record: no more edits.
    drafted.refresh_from_db()
    with pytest.raises(actions.MinutesError, match="approved"):
        actions.edit_line(action, text="Changed", by=clerk)
    assert AuditEntry.objects.filter(action="minutes.approved", object_id=str(drafted.pk)).exists()


def test_actions_become_tasks_with_reminders_through_the_outbox(drafted, clerk):
    owner = drafted.attendees.get(name="Grace Mensah")
    owner.email = "grace@council.example"
    owner.save()
    line = drafted.lines.filter(kind="action").first()
    actions.edit_line(line, text=line.text, owner="Grace Mensah", due=dt.date(2026, 4, 6), by=clerk)
    actions.accept_all(drafted, by=clerk)
    actions.approve(drafted, by=clerk)
    tasks = ActionTask.objects.filter(meeting=drafted)
    assert tasks.count() == drafted.lines.filter(kind="action").count()
    task = tasks.get(line=line)
    assert (task.owner, task.owner_email, task.due) == (
        "Grace Mensah",
        "grace@council.example",
        dt.date(2026, 4, 6),
    )
    assert OutboxMessage.objects.filter(
        recipient="grace@council.example", subject__startswith="Action from"
    ).exists()
    assert actions.send_reminders(today=dt.date(2026, 3, 20)) == 0  # more than a week away
    assert actions.send_reminders(today=dt.date(2026, 4, 1)) == 1
    assert (
        OutboxMessage.objects.filter(
            subject__startswith="Reminder:", recipient="grace@council.example"
        ).count()
        == 1
    )
    assert actions.send_reminders(today=dt.date(2026, 4, 2)) == 0  # not again within the week
    actions.complete_task(task, by=clerk)
    task.refresh_from_db()
    assert task.status == ActionTask.Status.DONE


def test_a_resolution_must_stay_a_resolution(drafted, clerk):
    line = drafted.lines.filter(kind="decision").first()
    with pytest.raises(actions.MinutesError, match="RESOLVED"):
        actions.edit_line(line, text="The committee liked it.", by=clerk)
    with pytest.raises(actions.MinutesError, match="cannot be empty"):
        actions.edit_line(line, text="   ", by=clerk)


def test_edit_page_shows_errors_and_keeps_what_was_typed(client, drafted, clerk):
    _login(client, clerk)
    line = drafted.lines.filter(kind="action").first()
    page = reverse("minutes:edit_line", args=[drafted.pk, line.pk])
    response = client.post(
        page, {"text": "Typed text kept", "due-day": "31", "due-month": "2", "due-year": "2026"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "There is a problem" in body and "Due date must be a real date" in body and "Typed text kept" in body
    )
    assert "Error:" in body.split("</title>")[0]


def test_closed_items_are_for_named_roles_only_and_every_read_is_audited(client, drafted, clerk, clerk_lead):
    item = drafted.items.get(number=2)
    item.closed = True
    item.save()
    secret = drafted.segments.filter(item=item).first()
    assert secret is not None
    page = reverse("minutes:transcript", args=[drafted.pk])
    _login(client, clerk)
    body = client.get(page).content.decode()
    assert secret.text not in body and "closed (Part II) items are not shown" in body
    assert client.get(reverse("minutes:edit_segment", args=[drafted.pk, secret.index])).status_code == 403
    assert not AuditEntry.objects.filter(action="minutes.closed_transcript_read").exists()
    client.logout()
    _login(client, clerk_lead)
    assert secret.text in client.get(page).content.decode()
    assert AuditEntry.objects.filter(action="minutes.closed_transcript_read", actor=clerk_lead).count() == 1
    client.get(reverse("minutes:draft", args=[drafted.pk]))
    assert AuditEntry.objects.filter(action="minutes.closed_draft_read", actor=clerk_lead).count() == 1
    client.logout()
    _login(client, clerk)
    closed_line = drafted.lines.filter(item=item).first()
    assert closed_line.text not in client.get(reverse("minutes:draft", args=[drafted.pk])).content.decode()
    assert client.get(reverse("minutes:edit_line", args=[drafted.pk, closed_line.pk])).status_code == 403
    client.logout()
    _login(client, clerk_lead)
    # Published minutes give the closed item by title only.
    actions.accept_all(drafted, by=clerk_lead)
    actions.approve(drafted, by=clerk_lead)
    public = client.get(
        reverse("minutes_public:meeting", args=[drafted.committee.slug, drafted.pk])
    ).content.decode()
    closed_lines = drafted.lines.filter(item=item).values_list("text", flat=True)
    assert item.title in public and "Part II" in public
    assert not any(text in public for text in closed_lines)


def test_recordings_are_deleted_after_the_retention_period(drafted, clerk, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    recording = Recording.objects.create(meeting=drafted, original_name="m.wav", status=Recording.Status.DONE)
    recording.file.save("m.wav", SimpleUploadedFile("m.wav", b"RIFF0000WAVE"), save=True)
    path = recording.file.path
    settings.MINUTES_RECORDING_RETENTION_DAYS = 30
    assert actions.purge_recordings() == 0  # not approved: kept
    actions.accept_all(drafted, by=clerk)
    actions.approve(drafted, by=clerk)
    assert actions.purge_recordings(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert actions.purge_recordings(now=timezone.now() + dt.timedelta(days=31)) == 1
    recording.refresh_from_db()
    assert recording.status == Recording.Status.DELETED and not recording.file
    import os

    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="minutes.recording_deleted").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.docx", b"not audio", "must be a WAV, MP3, M4A or MP4"),
        ("meeting.wav", b"", "empty"),
    ],
)
def test_upload_refuses_what_is_not_a_recording(client, meeting, clerk, name, data, message):
    _login(client, clerk)
    response = client.post(
        reverse("minutes:meeting", args=[meeting.pk]), {"recording": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Recording.objects.exists()


def test_new_meeting_from_the_form_with_an_agenda_file(client, clerk):
    _login(client, clerk)
    agenda = SimpleUploadedFile(
        "agenda.txt", b"AGENDA\n1. Apologies\n2. Budget monitoring\nPart II\n3. Staffing\n"
    )
    response = client.post(
        reverse("minutes:new"),
        {
            "committee_name": "Audit Committee",
            "date-day": "2",
            "date-month": "3",
            "date-year": "2026",
            "agenda_file": agenda,
            "attendees": "Cllr A Chair, chair\nB Officer, officer, Treasurer\nApologies:\nCllr C",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert [(i.title, i.closed) for i in meeting.items.all()] == [
        ("Apologies", False),
        ("Budget monitoring", False),
        ("Staffing", True),
    ]
    assert meeting.attendees.filter(present=False).get().name == "Cllr C"


def test_new_meeting_errors_are_specific(client, clerk):
    _login(client, clerk)
    response = client.post(
        reverse("minutes:new"),
        {
            "date-day": "31",
            "date-month": "2",
            "date-year": "2026",
            "agenda_file": SimpleUploadedFile("a.docx", b"broken"),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    for message in [
        "Choose the committee",
        "must be a real date",
        "Word file could not be read",
        "Enter who attended",
    ]:
        assert message in body


@pytest.mark.parametrize("name", ["minutes:index", "minutes:new", "minutes:tasks"])
def test_only_democratic_services_work_minutes(client, highways_officer, clerk, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    _login(client, highways_officer)
    assert client.get(url).status_code == 403
    client.logout()
    _login(client, clerk)
    assert client.get(url).status_code == 200


def test_meeting_pages_for_the_clerk(client, drafted, clerk, highways_officer):
    for name in ["minutes:meeting", "minutes:transcript", "minutes:draft"]:
        url = reverse(name, args=[drafted.pk])
        _login(client, highways_officer)
        assert client.get(url).status_code == 403
        client.logout()
        _login(client, clerk)
        assert client.get(url).status_code == 200
        client.logout()


def test_accepting_line_by_line(client, drafted, clerk):
    _login(client, clerk)
    line = drafted.lines.filter(accepted=False).first()
    client.post(reverse("minutes:draft", args=[drafted.pk]), {"action": "accept", "line": line.pk})
    line.refresh_from_db()
    assert line.accepted
    assert MinuteLine.objects.filter(meeting=drafted, accepted=False).count() == drafted.lines.count() - 1


def test_speakers_are_suggested_from_the_attendance_and_the_clerk_confirms(client, drafted, clerk, script):
    chair = script.attendees[0][0]
    names = drafted.speaker_names
    assert chair in names.values() and not drafted.speakers_confirmed  # a guess, shown as one
    label = next(label for label, name in names.items() if name == chair)
    url = reverse("minutes:transcript", args=[drafted.pk])
    _login(client, clerk)
    page = client.get(url).content.decode()
    assert "Not confirmed yet" in page and f'value="{chair}" selected' in page
    bad = client.post(url, {"action": "speakers", f"speaker-{label}": "Someone Else"})
    assert "Someone Else is not on the attendance list" in bad.content.decode()
    drafted.refresh_from_db()
    assert not drafted.speakers_confirmed
    other = script.attendees[1][0]
    response = client.post(url, {"action": "speakers", f"speaker-{label}": other, "redraft": "1"})
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.speakers_confirmed and drafted.speaker_names[label] == other
    assert AuditEntry.objects.filter(action="minutes.speakers_named").exists()
