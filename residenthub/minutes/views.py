"""Staff pages for meetings and minutes (democratic services), and the public minutes pages."""

from __future__ import annotations

import mimetypes
import re

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from residenthub.accounts.auth import staff_required
from residenthub.core import audit
from residenthub.core.forms import date_from_parts

from . import actions, agenda, drafting, queries
from .models import ActionTask, Committee, Meeting, Recording


def clerk_required(view):
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not queries.can_work_minutes(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    return (
        f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60:02d}:{seconds % 60:02d}"
    )


# --- staff: meetings ---------------------------------------------------------------------------------


@clerk_required
def index(request):
    meetings = Meeting.objects.select_related("committee").order_by("-date", "-id")[:200]
    open_tasks = ActionTask.objects.filter(status=ActionTask.Status.OPEN).count()
    return render(request, "minutes/index.html", {"meetings": meetings, "open_tasks": open_tasks})


@clerk_required
@require_http_methods(["GET", "POST"])
def new_meeting(request):
    errors: list[tuple[str, str]] = []
    values = request.POST if request.method == "POST" else {}
    committees = Committee.objects.all()
    if request.method == "POST":
        committee = None
        if values.get("committee"):
            committee = (
                Committee.objects.filter(pk=values["committee"]).first()
                if values["committee"].isdigit()
                else None
            )
        name = values.get("committee_name", "").strip()
        if committee is None and not name:
            errors.append(("committee", "Choose the committee, or enter the name of a new one"))
        try:
            date = date_from_parts(values, "date")
            if date is None:
                errors.append(("date-day", "Enter the date of the meeting"))
        except ValueError:
            date = None
            errors.append(("date-day", "Date of the meeting must be a real date, like 2 3 2026"))
        items: list[agenda.ParsedItem] = []
        upload = request.FILES.get("agenda_file")
        try:
            if upload:
                items = agenda.parse_document(upload.name, upload.read())
            elif values.get("agenda", "").strip():
                items = agenda.parse_text(values["agenda"])
        except agenda.AgendaError as exc:
            errors.append(("agenda_file", str(exc)))
        if not items and not any(f == "agenda_file" for f, _ in errors):
            errors.append(("agenda", "Enter the agenda items, one a line, or upload the agenda document"))
        attendees = drafting.parse_attendees(values.get("attendees", ""))
        if not attendees:
            errors.append(("attendees", "Enter who attended, one a line: name, role"))
        if not errors:
            if committee is None:
                committee = actions.create_committee(name, by=request.user)
            meeting = actions.create_meeting(
                committee,
                date,
                agenda=items,
                attendees=attendees,
                location=values.get("location", "").strip()[:200],
                by=request.user,
            )
            return redirect("minutes:meeting", meeting.pk)
    date_parts = {p: values.get(f"date-{p}", "") for p in ("day", "month", "year")}
    return render(
        request,
        "minutes/new.html",
        {"errors": errors, "values": values, "committees": committees, "date_parts": date_parts},
    )


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)


@clerk_required
@require_http_methods(["GET", "POST"])
def meeting(request, pk: int):
    m = _meeting(pk)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        upload = request.FILES.get("recording")
        if not upload:
            errors.append(("recording", "Choose the recording to upload"))
        else:
            try:
                actions.add_recording(m, upload, by=request.user)
                return redirect("minutes:meeting", m.pk)
            except actions.MinutesError as exc:
                errors.append(("recording", str(exc)))
    recordings = list(m.recordings.all())
    processing = any(r.status in {Recording.Status.QUEUED, Recording.Status.PROCESSING} for r in recordings)
    response = render(
        request,
        "minutes/meeting.html",
        {
            "meeting": m,
            "items": m.items.all(),
            "attendees": m.attendees.all(),
            "recordings": recordings,
            "processing": processing,
            "errors": errors,
            "lines": m.lines.count(),
            "pending": m.lines.filter(accepted=False).count(),
        },
    )
    if processing:
        response["Refresh"] = "10"  # progress without JavaScript
    return response


@clerk_required
def progress(request, pk: int):
    """Progress as a small HTML fragment (the meeting page also refreshes itself without JS)."""
    m = _meeting(pk)
    recording = m.recordings.first()
    return render(request, "minutes/_progress.html", {"recording": recording, "meeting": m})


# --- staff: transcript -------------------------------------------------------------------------------


@clerk_required
@require_http_methods(["GET", "POST"])
def transcript(request, pk: int):
    m = _meeting(pk)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and request.POST.get("action") == "speakers":
        names = {label: request.POST.get(f"speaker-{label}", "") for label in m.speaker_names}
        try:
            actions.name_speakers(m, names, by=request.user)
            if request.POST.get("redraft"):
                actions.build_draft(m, by=request.user)
            return redirect("minutes:transcript", m.pk)
        except actions.MinutesError as exc:
            errors.append(("speakers", str(exc)))
    segments, hidden = queries.visible_segments(m, request.user, request=request)
    names = m.speaker_names or {}
    rows = [
        {"segment": s, "clock": _clock(s.start), "who": names.get(s.speaker) or s.speaker} for s in segments
    ]
    playable = (
        queries.recording_playable(m, request.user)
        and m.recordings.filter(status=Recording.Status.DONE).exists()
    )
    return render(
        request,
        "minutes/transcript.html",
        {
            "meeting": m,
            "rows": rows,
            "hidden": hidden,
            "errors": errors,
            "playable": playable,
            "attendees": m.attendees.filter(present=True),
            "speakers": sorted(names.items()),
        },
    )


@clerk_required
@require_http_methods(["GET", "POST"])
def edit_segment(request, pk: int, index: int):
    m = _meeting(pk)
    segment = get_object_or_404(m.segments, index=index)
    if segment.item_id and segment.item.closed and not queries.can_read_closed(request.user):
        raise PermissionDenied
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            actions.edit_segment(segment, request.POST.get("text", ""), by=request.user)
            return redirect(f"{reverse('minutes:transcript', args=[m.pk])}#seg-{segment.index}")
        except actions.MinutesError as exc:
            errors.append(("text", str(exc)))
    return render(
        request,
        "minutes/edit_segment.html",
        {"meeting": m, "segment": segment, "errors": errors, "clock": _clock(segment.start)},
    )


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@clerk_required
def recording_audio(request, pk: int):
    """The recording, with byte ranges so the player can seek. Closed items: named roles only, audited."""
    m = _meeting(pk)
    recording = m.recordings.filter(status=Recording.Status.DONE).exclude(file="").first()
    if recording is None:
        raise Http404("No recording")
    if not queries.recording_playable(m, request.user):
        raise PermissionDenied
    if queries.closed_item_ids(m):
        audit.record("minutes.closed_recording_read", m, actor=request.user, ip=audit.client_ip(request))
    size = recording.file.size
    content_type = mimetypes.guess_type(recording.original_name)[0] or "application/octet-stream"
    match = _RANGE.fullmatch(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else size - 1
        else:
            start, end = max(size - int(match.group(2)), 0), size - 1
        end = min(end, size - 1)
        if start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with recording.file.open("rb") as handle:
            handle.seek(start)
            data = handle.read(end - start + 1)
        response = HttpResponse(data, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(recording.file.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    return response


# --- staff: the draft, review and approval -----------------------------------------------------------


def _draft_context(m: Meeting, user) -> dict:
    lines = list(m.lines.select_related("item").order_by("item__number", "order", "id"))
    closed_ok = queries.can_read_closed(user)
    groups = []
    for item in m.items.all():
        own = [line for line in lines if line.item_id == item.id]
        groups.append({"item": item, "lines": own, "hidden": item.closed and not closed_ok})
    starts = list(m.segments.order_by("index").values_list("index", "start"))
    for line in lines:
        line.clock = _clock(line.start)
        line.seg = next(
            (i for i, start in reversed(starts) if line.start is not None and start <= line.start + 0.01), 0
        )
    return {
        "meeting": m,
        "groups": groups,
        "declarations": [line for line in lines if line.item_id is None],
        "present": m.attendees.filter(present=True),
        "apologies": m.attendees.filter(present=False),
        "pending": sum(1 for line in lines if not line.accepted),
        "total": len(lines),
    }


@clerk_required
@require_http_methods(["GET", "POST"])
def draft(request, pk: int):
    m = _meeting(pk)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what == "accept":
                actions.accept_line(
                    get_object_or_404(m.lines, pk=request.POST.get("line", 0)), by=request.user
                )
            elif what == "accept_all":
                actions.accept_all(m, by=request.user)
            elif what == "rebuild":
                actions.build_draft(m, by=request.user)
            elif what == "approve":
                actions.approve(m, by=request.user)
                return redirect("minutes_public:meeting", m.committee.slug, m.pk)
            return redirect(f"{reverse('minutes:draft', args=[m.pk])}#{request.POST.get('anchor', '')}")
        except actions.MinutesError as exc:
            errors.append(("approve", str(exc)))
    context = _draft_context(m, request.user)
    context["errors"] = errors
    shown_closed = [
        g["item"].pk for g in context["groups"] if g["item"].closed and not g["hidden"] and g["lines"]
    ]
    if shown_closed:
        audit.record(
            "minutes.closed_draft_read",
            m,
            actor=request.user,
            detail={"items": shown_closed},
            ip=audit.client_ip(request),
        )
    return render(request, "minutes/draft.html", context)


@clerk_required
@require_http_methods(["GET", "POST"])
def edit_line(request, pk: int, line_id: int):
    m = _meeting(pk)
    line = get_object_or_404(m.lines.select_related("item"), pk=line_id)
    if line.item_id and line.item.closed:
        if not queries.can_read_closed(request.user):
            raise PermissionDenied
        audit.record(
            "minutes.closed_draft_read",
            m,
            actor=request.user,
            detail={"line": line.pk},
            ip=audit.client_ip(request),
        )
    errors: list[tuple[str, str]] = []
    values = (
        request.POST
        if request.method == "POST"
        else {
            "text": line.text,
            "owner": line.owner,
            "vote": line.vote,
            "due-day": line.due.day if line.due else "",
            "due-month": line.due.month if line.due else "",
            "due-year": line.due.year if line.due else "",
        }
    )
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                actions.remove_line(line, by=request.user)
                return redirect("minutes:draft", m.pk)
            except actions.MinutesError as exc:
                errors.append(("text", str(exc)))
        else:
            due = None
            try:
                due = date_from_parts(values, "due")
            except ValueError:
                errors.append(("due-day", "Due date must be a real date, like 27 3 2026"))
            if not errors:
                try:
                    actions.edit_line(
                        line,
                        text=values.get("text", ""),
                        owner=values.get("owner", ""),
                        due=due,
                        vote=values.get("vote", ""),
                        by=request.user,
                    )
                    return redirect(f"{reverse('minutes:draft', args=[m.pk])}#line-{line.pk}")
                except actions.MinutesError as exc:
                    errors.append(("text", str(exc)))
    return render(
        request,
        "minutes/edit_line.html",
        {
            "meeting": m,
            "line": line,
            "values": values,
            "errors": errors,
            "attendees": m.attendees.filter(present=True),
            "clock": _clock(line.start),
            "due": {p: values.get(f"due-{p}", "") for p in ("day", "month", "year")},
        },
    )


@clerk_required
@require_http_methods(["GET", "POST"])
def tasks(request):
    if request.method == "POST":
        task = get_object_or_404(ActionTask, pk=request.POST.get("task", 0))
        actions.complete_task(task, by=request.user)
        return redirect("minutes:tasks")
    open_tasks = ActionTask.objects.filter(status=ActionTask.Status.OPEN).select_related("meeting__committee")
    return render(request, "minutes/tasks.html", {"tasks": open_tasks[:500]})


# --- public ------------------------------------------------------------------------------------------


def public_index(request):
    return render(request, "minutes/public_index.html", {"committees": queries.committees_with_minutes()})


def public_committee(request, slug: str):
    committee = get_object_or_404(Committee, slug=slug)
    meetings = committee.meetings.filter(status=Meeting.Status.PUBLISHED).order_by("-date")
    if not meetings.exists():
        raise Http404("No published minutes")
    return render(request, "minutes/public_committee.html", {"committee": committee, "meetings": meetings})


def _published(slug: str, pk: int) -> Meeting:
    m = get_object_or_404(
        Meeting.objects.select_related("committee", "published"), pk=pk, committee__slug=slug
    )
    if m.status != Meeting.Status.PUBLISHED:
        raise Http404("Not published")
    return m


def public_meeting(request, slug: str, pk: int):
    m = _published(slug, pk)
    return render(request, "minutes/public_meeting.html", {"meeting": m, "document": m.published.html})


def public_download(request, slug: str, pk: int, fmt: str):
    m = _published(slug, pk)
    name = f"{m.committee.slug}-{m.date.isoformat()}-minutes"
    if fmt == "pdf":
        response = HttpResponse(bytes(m.published.pdf), content_type="application/pdf")
    elif fmt == "docx":
        response = HttpResponse(
            bytes(m.published.docx),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
