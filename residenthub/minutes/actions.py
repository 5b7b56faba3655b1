"""The only writers of meetings and minutes: each action validates, writes, and audits in one transaction.

Nothing is published until an officer approves: ``approve`` is the one path to the public page,
and it refuses while any drafted line has not been accepted.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from residenthub.core import audit
from residenthub.core.outbox import queue_email

from . import drafting, llm, render
from .agenda import ParsedItem
from .models import (
    ActionTask,
    AgendaItem,
    Attendee,
    Committee,
    Meeting,
    MinuteLine,
    PublishedMinutes,
    Recording,
    Segment,
)

logger = logging.getLogger(__name__)

RECORDING_TYPES = {".wav", ".mp3", ".m4a", ".mp4", ".ogg", ".webm", ".flac"}


class MinutesError(Exception):
    """A change the rules do not allow; the message is for the officer."""


def _audit(action: str, obj, by=None, **detail) -> None:
    audit.record(
        action,
        obj,
        actor=by,
        actor_label="" if getattr(by, "is_authenticated", False) else "system",
        detail=detail,
    )


def _unlocked(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise MinutesError("These minutes are approved and can no longer be changed.")


# --- meetings -------------------------------------------------------------------------------------


@transaction.atomic
def create_committee(name: str, *, slug: str = "", description: str = "", by=None) -> Committee:
    name = " ".join(name.split())
    if not name:
        raise MinutesError("Enter the committee's name.")
    committee, _ = Committee.objects.get_or_create(
        slug=slug or slugify(name)[:50], defaults={"name": name, "description": description}
    )
    _audit("minutes.committee_created", committee, by)
    return committee


@transaction.atomic
def create_meeting(
    committee: Committee,
    date: dt.date,
    *,
    agenda: list[ParsedItem] | None = None,
    attendees: list[drafting.Attendee] | None = None,
    location: str = "",
    by=None,
) -> Meeting:
    meeting = Meeting.objects.create(committee=committee, date=date, location=location)
    if agenda:
        _set_agenda(meeting, agenda)
    if attendees:
        _set_attendees(meeting, attendees)
    _audit("minutes.meeting_created", meeting, by, items=len(agenda or []), attendees=len(attendees or []))
    return meeting


def _set_agenda(meeting: Meeting, items: list[ParsedItem]) -> None:
    meeting.items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, number=i, title=item.title[:300], closed=item.closed)
        for i, item in enumerate(items, 1)
    )


def _set_attendees(meeting: Meeting, attendees: list[drafting.Attendee]) -> None:
    meeting.attendees.all().delete()
    Attendee.objects.bulk_create(
        Attendee(
            meeting=meeting,
            name=a.name[:200],
            role=a.role if a.role in Attendee.Role.values else Attendee.Role.OTHER,
            title=a.title[:200],
            present=a.present,
            email=a.email[:254],
        )
        for a in attendees
    )


@transaction.atomic
def set_agenda(meeting: Meeting, items: list[ParsedItem], *, by=None) -> None:
    """Replace the agenda (entered or imported). Not once a draft exists: its lines hang off the items."""
    _unlocked(meeting)
    if meeting.lines.exists():
        raise MinutesError("The draft is already built on this agenda. Rebuild the draft after changing it.")
    if not items:
        raise MinutesError("Enter at least one agenda item.")
    _set_agenda(meeting, items)
    _audit("minutes.agenda_set", meeting, by, items=len(items))


@transaction.atomic
def set_attendees(meeting: Meeting, attendees: list[drafting.Attendee], *, by=None) -> None:
    _unlocked(meeting)
    if not attendees:
        raise MinutesError("Enter at least one attendee.")
    _set_attendees(meeting, attendees)
    _audit("minutes.attendees_set", meeting, by, attendees=len(attendees))


# --- recordings and transcripts -------------------------------------------------------------------


@transaction.atomic
def _stored(meeting: Meeting, upload, by, **fields) -> Recording:
    """The uploaded file checked (type, size) and kept as the meeting's recording, audited."""
    _unlocked(meeting)
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in RECORDING_TYPES:
        raise MinutesError("The recording must be a WAV, MP3, M4A or MP4 file.")
    if upload.size == 0:
        raise MinutesError("The recording file is empty.")
    if upload.size > settings.MINUTES_MAX_RECORDING_MB * 1024 * 1024:
        raise MinutesError(f"The recording must be smaller than {settings.MINUTES_MAX_RECORDING_MB} MB.")
    recording = Recording(
        meeting=meeting,
        original_name=name[:255],
        content_type=getattr(upload, "content_type", "")[:100],
        size=upload.size,
        **fields,
    )
    recording.file.save(name, upload, save=False)
    recording.save()
    _audit("minutes.recording_added", recording, by, meeting=meeting.pk, bytes=upload.size)
    return recording


@transaction.atomic
def add_transcribed_recording(meeting: Meeting, upload, segments: list[dict], *, duration: float, by=None):
    """A recording whose transcript is already known, kept as processed without transcribing it again
    (``make run``'s demo meeting, spoken from its script: the clerk can play each line's moment)."""
    recording = _stored(
        meeting, upload, by, status=Recording.Status.DONE, progress=100, stage="Done", duration=duration,
        language="en",
    )  # fmt: skip
    save_transcript(meeting, segments, recording=recording, by=by)
    return recording


def add_recording(meeting: Meeting, upload, *, by=None) -> Recording:
    """Store the uploaded recording and queue its processing (inline in the embedded default)."""
    recording = _stored(meeting, upload, by, stage="Waiting to be processed")
    meeting.status = Meeting.Status.PROCESSING
    meeting.save(update_fields=["status", "updated_at"])

    from .jobs import process_recording

    transaction.on_commit(lambda: process_recording.delay(recording.pk))
    return recording


def _progress(recording: Recording, pct: int, stage: str) -> None:
    Recording.objects.filter(pk=recording.pk).update(
        progress=pct, stage=stage[:200], status=Recording.Status.PROCESSING
    )


def process_recording(recording: Recording) -> None:
    """Transcribe, tell speakers apart, and draft. Long-running: not one transaction; each step saves."""
    from .transcription import RecordingError, hotwords_for, transcribe_file

    meeting = recording.meeting
    _progress(recording, 1, "Starting")
    try:
        result = transcribe_file(
            recording.file.path,
            attendees=max(meeting.attendees.filter(present=True).count(), 2) or None,
            progress=lambda pct, stage: _progress(recording, pct, stage),
            hotwords=hotwords_for(
                [a.name for a in meeting.attendees.all()], [i.title for i in meeting.items.all()]
            ),
        )
    except RecordingError as exc:
        _failed(recording, str(exc))
        return
    except Exception:
        logger.exception("minutes: processing recording %s failed", recording.pk)
        _failed(recording, "The recording could not be processed. Try again, or upload it in another format.")
        return
    _progress(recording, 90, "Drafting the minutes")
    with transaction.atomic():
        save_transcript(meeting, result["segments"], recording=recording)
        Recording.objects.filter(pk=recording.pk).update(
            duration=result["duration"],
            language=result["language"][:10],
            status=Recording.Status.DONE,
            progress=100,
            stage="Done",
            error="",
        )
        _audit("minutes.recording_processed", recording, None, segments=len(result["segments"]))
        build_draft(meeting)


def _failed(recording: Recording, message: str) -> None:
    with transaction.atomic():
        Recording.objects.filter(pk=recording.pk).update(
            status=Recording.Status.FAILED, error=message[:500], stage="Stopped"
        )
        meeting = recording.meeting
        if meeting.status == Meeting.Status.PROCESSING:
            meeting.status = Meeting.Status.DRAFTED if meeting.lines.exists() else Meeting.Status.PLANNED
            meeting.save(update_fields=["status", "updated_at"])
        _audit("minutes.recording_failed", recording, None, reason=message[:200])


@transaction.atomic
def save_transcript(
    meeting: Meeting, segments: list[dict], *, recording: Recording | None = None, by=None
) -> int:
    """Replace the meeting's transcript with ``segments``; speakers get their names from the attendance."""
    _unlocked(meeting)
    meeting.segments.all().delete()
    Segment.objects.bulk_create(
        Segment(
            meeting=meeting,
            recording=recording,
            index=i,
            start=float(s["start"]),
            end=float(s["end"]),
            speaker=str(s.get("speaker", ""))[:40],
            text=str(s["text"]).strip(),
            heard=str(s.get("heard", "")).strip(),
        )
        for i, s in enumerate(segments)
    )
    read_transcript(meeting)
    labels = sorted({str(s.get("speaker", "")) for s in segments if s.get("speaker")})
    # A first guess from what is said (the chair calls the items; who is handed over to speaks
    # next), shown as "not confirmed" until the officer confirms or corrects it.
    suggested = drafting.suggest_speakers(segments, _attendees(meeting))
    meeting.speaker_names = {
        label: meeting.speaker_names.get(label, "") or suggested.get(label, "") for label in labels
    }
    meeting.speakers_confirmed = False
    meeting.save(update_fields=["speaker_names", "speakers_confirmed", "updated_at"])
    _audit("minutes.transcript_saved", meeting, by, segments=len(segments))
    return len(segments)


def read_transcript(meeting: Meeting) -> int:
    """Read the transcript's words against the meeting's vocabulary (attendance, agenda, the words of
    minutes: ``vocabulary.py``, ADR 0164) and store the result on each line, the words as heard kept
    in ``heard`` where they changed (ADR 0167). Lines the clerk corrected are left as they are; the
    others are read again from what was heard, so a name added to the attendance later counts.
    Returns the number of lines that differ from what was heard."""
    from . import vocabulary

    segments = [s for s in meeting.segments.order_by("index") if not s.edited]
    vocab = vocabulary.for_meeting(_attendees(meeting), [i.title for i in meeting.items.all()])
    heard = [{"text": s.heard or s.text} for s in segments]
    changed = []
    for seg, read in zip(segments, vocabulary.correct_segments(heard, vocab), strict=True):
        text, was = read["text"], read.get("heard", "")
        if (seg.text, seg.heard) != (text, was):
            seg.text, seg.heard = text, was
            changed.append(seg)
    if changed:
        Segment.objects.bulk_update(changed, ["text", "heard"])
    return sum(1 for s in segments if s.heard)


@transaction.atomic
def name_speakers(meeting: Meeting, names: dict[str, str], *, by=None) -> None:
    """The officer confirms who each speaker label is (names from the attendance list, or blank)."""
    _unlocked(meeting)
    known = {a.name for a in meeting.attendees.all()}
    unknown = [n for n in names.values() if n and n not in known]
    if unknown:
        raise MinutesError(f"{unknown[0]} is not on the attendance list. Add them as an attendee first.")
    meeting.speaker_names = {label: names.get(label, "") for label in meeting.speaker_names}
    meeting.speakers_confirmed = True
    meeting.save(update_fields=["speaker_names", "speakers_confirmed", "updated_at"])
    _audit("minutes.speakers_named", meeting, by, speakers=len(names))


@transaction.atomic
def edit_segment(segment: Segment, text: str, *, by=None) -> None:
    _unlocked(segment.meeting)
    text = " ".join(text.split())
    if not text:
        raise MinutesError("A transcript line cannot be empty.")
    segment.text, segment.edited = text, True
    segment.save(update_fields=["text", "edited"])
    _audit("minutes.transcript_edited", segment.meeting, by, segment=segment.index)


# --- the draft ------------------------------------------------------------------------------------


def _attendees(meeting: Meeting) -> list[drafting.Attendee]:
    return [drafting.Attendee(a.name, a.role, a.title, a.present) for a in meeting.attendees.all()]


@transaction.atomic
def build_draft(meeting: Meeting, *, by=None) -> drafting.Draft:
    """(Re)build the draft lines from the transcript. Lines officers already accepted are replaced too:
    rebuilding is a fresh start, and the audit says who asked for it."""
    _unlocked(meeting)
    items = list(meeting.items.all())
    read_transcript(meeting)  # the stored lines carry the read text (ADR 0167): drafted as they are
    segments = list(meeting.segments.order_by("index"))
    names = meeting.speaker_names or {}
    rows = [
        {"start": s.start, "end": s.end, "speaker": names.get(s.speaker) or s.speaker, "text": s.text}
        for s in segments
    ]
    result = drafting.draft(
        rows, [i.title for i in items], _attendees(meeting), meeting_date=meeting.date, correct=False
    )
    meeting.lines.all().delete()
    by_number = dict(enumerate(items))
    lines: list[MinuteLine] = []
    for d in result.declarations:
        lines.append(MinuteLine(meeting=meeting, kind="declaration", text=d.text, start=d.start, end=d.end))
    for j, drafted in enumerate(result.items):
        item = by_number.get(j)
        if item is None:
            continue
        order = 0
        summary = [s.text for s in drafted.summary]
        text, rewritten = llm.rewrite_or_keep(item.title, summary) if summary else ("", False)
        if rewritten:
            first, last = drafted.summary[0], drafted.summary[-1]
            lines.append(
                MinuteLine(
                    meeting=meeting,
                    item=item,
                    kind="summary",
                    order=order,
                    text=text,
                    drafted_text=" ".join(summary),
                    start=first.start,
                    end=last.end,
                )
            )
            order += 1
        else:
            for s in drafted.summary:
                lines.append(
                    MinuteLine(
                        meeting=meeting,
                        item=item,
                        kind="summary",
                        order=order,
                        text=s.text,
                        drafted_text=s.text,
                        start=s.start,
                        end=s.end,
                    )
                )
                order += 1
        for d in drafted.decisions:
            lines.append(
                MinuteLine(
                    meeting=meeting,
                    item=item,
                    kind="decision",
                    order=order,
                    text=d.text,
                    vote=d.vote[:200],
                    drafted_text=d.text,
                    start=d.start,
                    end=d.end,
                )
            )
            order += 1
        for a in drafted.actions:
            due = dt.date.fromisoformat(a.due) if a.due else None
            lines.append(
                MinuteLine(
                    meeting=meeting,
                    item=item,
                    kind="action",
                    order=order,
                    text=a.text,
                    owner=a.owner[:200],
                    due=due,
                    drafted_text=a.text,
                    start=a.start,
                    end=a.end,
                )
            )
            order += 1
    MinuteLine.objects.bulk_create(lines)
    # Each transcript line remembers its agenda item: closed items' lines are then hidden by item.
    if items:
        sentences = drafting.split_sentences(rows)
        assigned = drafting.align(sentences, [i.title for i in items])
        _tag_segments(segments, sentences, assigned, items)
    meeting.status = Meeting.Status.DRAFTED
    meeting.warnings = result.warnings
    meeting.save(update_fields=["status", "warnings", "updated_at"])
    _audit("minutes.draft_built", meeting, by, lines=len(lines), warnings=len(result.warnings))
    return result


def _tag_segments(segments, sentences, assigned, items) -> None:
    """A segment belongs to the item of the sentence its middle falls in (or the last one before)."""
    starts = [sentence.start for sentence in sentences]

    for seg in segments:
        k = bisect.bisect_right(starts, (seg.start + seg.end) / 2) - 1
        j = assigned[k] if 0 <= k < len(assigned) else -1
        seg.item = items[j] if 0 <= j < len(items) else None
    Segment.objects.bulk_update(segments, ["item"])


@transaction.atomic
def edit_line(
    line: MinuteLine, *, text: str, owner: str = "", due: dt.date | None = None, vote: str = "", by=None
) -> None:
    """An officer's correction. Editing accepts the line: the officer has read it."""
    _unlocked(line.meeting)
    text = " ".join(text.split())
    if not text:
        raise MinutesError("A line of the minutes cannot be empty. Use Remove to take it out.")
    if line.kind == MinuteLine.Kind.DECISION and not text.upper().startswith("RESOLVED"):
        raise MinutesError('A resolution must start "RESOLVED: That ...".')
    line.text, line.owner, line.due, line.vote = text, owner.strip()[:200], due, vote.strip()[:200]
    line.edited = True
    line.accepted = True
    line.save()
    _audit("minutes.line_edited", line.meeting, by, line=line.pk, kind=line.kind)


@transaction.atomic
def accept_line(line: MinuteLine, *, by=None) -> None:
    _unlocked(line.meeting)
    line.accepted = True
    line.save(update_fields=["accepted"])
    _audit("minutes.line_accepted", line.meeting, by, line=line.pk)


@transaction.atomic
def accept_all(meeting: Meeting, *, by=None) -> int:
    _unlocked(meeting)
    count = meeting.lines.filter(accepted=False).update(accepted=True)
    _audit("minutes.lines_accepted", meeting, by, lines=count)
    return count


@transaction.atomic
def remove_line(line: MinuteLine, *, by=None) -> None:
    meeting = line.meeting
    _unlocked(meeting)
    _audit("minutes.line_removed", meeting, by, line=line.pk, kind=line.kind)
    line.delete()


@transaction.atomic
def add_line(
    meeting: Meeting,
    item: AgendaItem | None,
    kind: str,
    text: str,
    *,
    owner: str = "",
    due: dt.date | None = None,
    by=None,
) -> MinuteLine:
    _unlocked(meeting)
    if kind not in MinuteLine.Kind.values:
        raise MinutesError("Choose what kind of line to add.")
    text = " ".join(text.split())
    if not text:
        raise MinutesError("Enter the text of the line.")
    if kind == MinuteLine.Kind.DECISION and not text.upper().startswith("RESOLVED"):
        text = "RESOLVED: That " + text[0].lower() + text[1:]
    last = meeting.lines.filter(item=item).order_by("-order").first()
    line = MinuteLine.objects.create(
        meeting=meeting,
        item=item,
        kind=kind,
        text=text,
        owner=owner[:200],
        due=due,
        order=(last.order + 1) if last else 0,
        accepted=True,
        edited=True,
    )
    _audit("minutes.line_added", meeting, by, line=line.pk, kind=kind)
    return line


# --- approval, publication, tasks -----------------------------------------------------------------


@transaction.atomic
def approve(meeting: Meeting, *, by) -> PublishedMinutes:
    """Approve and publish: HTML, PDF and DOCX frozen; actions become tasks; owners told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _unlocked(meeting)
    if not meeting.lines.exists():
        raise MinutesError("There are no minutes to approve yet. Build the draft first.")
    pending = meeting.lines.filter(accepted=False).count()
    if pending:
        raise MinutesError(
            f"{pending} line(s) of the draft have not been accepted. Accept or edit every line."
        )
    now = timezone.now()
    meeting.status = Meeting.Status.PUBLISHED
    meeting.approved_at = meeting.published_at = now
    meeting.approved_by = by if getattr(by, "is_authenticated", False) else None
    meeting.save(update_fields=["status", "approved_at", "published_at", "approved_by", "updated_at"])
    doc = render.from_meeting(meeting, public=True)
    published = PublishedMinutes.objects.create(
        meeting=meeting, html=render.html(doc), pdf=render.pdf(doc), docx=render.docx(doc)
    )
    emails = {a.name: a.email for a in meeting.attendees.all() if a.email}
    for line in meeting.lines.filter(kind=MinuteLine.Kind.ACTION):
        task = ActionTask.objects.create(
            meeting=meeting,
            line=line,
            text=line.text,
            owner=line.owner,
            owner_email=emails.get(line.owner, ""),
            due=line.due,
        )
        if task.owner_email:
            queue_email(
                task.owner_email,
                f"Action from {meeting}",
                f"The approved minutes of {meeting} give you an action:\n\n{task.text}\n\n"
                + (f"Due: {task.due:%d %B %Y}\n" if task.due else "")
                + f"\nMinutes: {settings.SITE_URL}/minutes/{meeting.committee.slug}/{meeting.pk}/\n",
            )
    _audit("minutes.approved", meeting, by, lines=meeting.lines.count(), tasks=meeting.tasks.count())
    return published


@transaction.atomic
def complete_task(task: ActionTask, *, by=None) -> None:
    if task.status == ActionTask.Status.DONE:
        return
    task.status, task.done_at = ActionTask.Status.DONE, timezone.now()
    task.save(update_fields=["status", "done_at", "updated_at"])
    _audit("minutes.task_done", task, by)


def send_reminders(today: dt.date | None = None) -> int:
    """Remind owners of open actions due within MINUTES_REMINDER_DAYS (or overdue), once a week at most."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.MINUTES_REMINDER_DAYS)
    quiet = timezone.now() - dt.timedelta(days=6)
    sent = 0
    tasks = ActionTask.objects.filter(status=ActionTask.Status.OPEN, due__lte=horizon).exclude(owner_email="")
    for task in tasks.select_related("meeting__committee"):
        if task.reminded_at and task.reminded_at > quiet:
            continue
        with transaction.atomic():
            state = "is overdue" if task.due < today else f"is due on {task.due:%d %B %Y}"
            queue_email(
                task.owner_email,
                f"Reminder: an action from {task.meeting} {state}",
                f"{task.text}\n\nThis action {state}.\n",
            )
            task.reminded_at = timezone.now()
            task.save(update_fields=["reminded_at", "updated_at"])
            _audit("minutes.task_reminded", task, None)
        sent += 1
    return sent


@transaction.atomic
def delete_recording(recording: Recording, *, reason: str, by=None) -> None:
    """Delete the audio file; the row stays as the record that it existed and when it went."""
    if recording.file:
        recording.file.delete(save=False)
    recording.status = Recording.Status.DELETED
    recording.deleted_at = timezone.now()
    recording.save(update_fields=["file", "status", "deleted_at", "updated_at"])
    _audit("minutes.recording_deleted", recording, by, reason=reason)


def purge_recordings(now: dt.datetime | None = None) -> int:
    """Recordings of meetings approved more than MINUTES_RECORDING_RETENTION_DAYS ago are deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.MINUTES_RECORDING_RETENTION_DAYS)
    due = Recording.objects.filter(meeting__approved_at__lte=cutoff).exclude(status=Recording.Status.DELETED)
    count = 0
    for recording in due:
        delete_recording(
            recording, reason=f"retention: {settings.MINUTES_RECORDING_RETENTION_DAYS} days after approval"
        )
        count += 1
    return count
