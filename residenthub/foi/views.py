"""Staff pages for information requests (information-governance team and administrators) and the public
disclosure log."""

from __future__ import annotations

import csv
import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from residenthub.accounts.auth import staff_required
from residenthub.accounts.models import Team
from residenthub.accounts.permissions import can_work_requests
from residenthub.core import audit
from residenthub.core.actions import Actor
from residenthub.core.audit import client_ip
from residenthub.core.forms import date_from_parts, first_errors

from . import actions, queries, sar
from .models import (
    EXEMPTIONS,
    ClockPause,
    Document,
    InformationRequest,
    Kind,
    Outcome,
    Span,
    SubjectAccessPack,
)


def ig_required(view):
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not can_work_requests(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@ig_required
def queue(request):
    open_requests = InformationRequest.objects.filter(status__in=actions.OPEN_STATUSES).order_by("due_date")
    return render(
        request,
        "foi/queue.html",
        {
            "requests": open_requests[:200],
            "overdue": queries.overdue()[:100],
            "due_soon": queries.due_soon()[:100],
        },
    )


@ig_required
@require_http_methods(["GET", "POST"])
def new_request(request):
    errors, values = [], {}
    if request.method == "POST":
        values = request.POST
        kind = values.get("kind", "")
        if kind not in Kind.values:
            errors.append(("kind", "Choose the type of request"))
        if not values.get("subject", "").strip():
            errors.append(("subject", "Enter a subject"))
        if not values.get("body", "").strip():
            errors.append(("body", "Enter the request"))
        received = None
        try:
            received = date_from_parts(values, "received_on")
        except ValueError:
            errors.append(("received_on-day", "Date received must be a real date, like 27 11 2026"))
        if received is not None and received > timezone.localdate():
            errors.append(("received_on-day", "Date received must be today or in the past"))
        email = values.get("requester_email", "").strip()
        address = values.get("requester_address", "").strip()
        if email and not EMAIL_SHAPE.fullmatch(email):
            errors.append(
                ("requester_email", "Enter an email address in the correct format, like name@example.com")
            )
        elif not email and not address:
            errors.append(
                ("requester_email", "Enter the requester's email or postal address, to send the answer to")
            )
        if not errors:
            req = actions.log_request(
                kind=kind,
                subject=values["subject"],
                body=values["body"],
                received_on=received,
                requester_name=values.get("requester_name", "").strip(),
                requester_email=email,
                requester_address=address,
                by=Actor.from_request(request),
            )
            return redirect("foi:detail", reference=req.reference)
    error_for = first_errors(errors)
    error_for["received_on"] = error_for.get("received_on-day")
    return render(
        request,
        "foi/new.html",
        {
            "errors": errors,
            "error_for": error_for,
            "values": values,
            "kinds": Kind.choices,
            "date_parts": [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)],
        },
    )


@ig_required
@require_http_methods(["GET", "POST"])
def upload_email(request):
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("eml")
        if upload is None:
            errors.append(("eml", "Choose an .eml file"))
        else:
            try:
                req = actions.create_from_email(upload.read(), by=Actor.from_request(request))
                return redirect("foi:detail", reference=req.reference)
            except (actions.FOIError, actions.documents.DocumentError) as exc:
                errors.append(("eml", str(exc)))
    return render(request, "foi/upload_email.html", {"errors": errors, "error_for": first_errors(errors)})


# Enough to catch a typing slip; the address itself is proved by the acknowledgement reaching it.
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# Where each action's other errors are shown on the request page: its main field, or its button.
ACTION_FIELDS = {
    "pause": "pause_reason",
    "resume": "resume",
    "task": "task_description",
    "extend": "extend_days",
    "draft": "draft",
    "submit": "submit",
    "approve": "approve",
    "respond": "outcome",
    "review": "review_grounds",
    "complete_review": "review_outcome",
    "close": "close",
    "refer": "refer_to",
    "escalate": "escalate_note",
    "prepare_publication": "prepare_publication",
    "publish": "publish",
    "sar_pack": "sar-pack",
}


# Where an action's error about one of its arguments is shown on the request page.
ARGUMENT_FIELDS = {
    ("task", "team"): "task_team",
    ("task", "description"): "task_description",
    ("task", "working_days"): "task_days",
    ("extend", "reason"): "extend_reason",
    ("extend", "working_days"): "extend_days",
    ("extend", "months"): "extend_months",
    ("complete_review", "outcome"): "review_outcome",
}


def _page_field(action: str, argument: str, post) -> str:
    """The field (or button) on the request page that an action's error belongs to."""
    if action == "task_done":
        return f"task_answer_{post.get('task', '')}" if argument == "answer" else "tasks"
    return ARGUMENT_FIELDS.get((action, argument)) or ACTION_FIELDS.get(action, "action")


def _whole_number(value: str, argument: str, message: str) -> int:
    try:
        return int(value.strip())
    except (AttributeError, ValueError):
        raise actions.FOIError(message, field=argument) from None


def _extend(req, post, by):
    if req.kind == "sar":
        months = _whole_number(post.get("months", ""), "months", "Choose how many months to extend by.")
        return actions.extend(req, months=months, reason=post.get("reason_text", ""), by=by)
    days = _whole_number(
        post.get("working_days", ""), "working_days", "Give the extension in working days, as a number."
    )
    return actions.extend(req, working_days=days, reason=post.get("reason_text", ""), by=by)


def _add_task(req, post, by):
    days = _whole_number(
        post.get("working_days", ""), "working_days", "Give the team's time in working days, as a number."
    )
    return actions.add_task(
        req,
        team=Team.objects.filter(slug=post.get("team", "")).first(),
        description=post.get("description", ""),
        working_days=days,
        by=by,
    )


def _task_done(req, post, by):
    task_id = str(post.get("task", ""))
    task = req.tasks.filter(pk=int(task_id)).first() if task_id.isdigit() else None
    if task is None:
        raise actions.FOIError("That task is not one of this request's.", field="task")
    return actions.complete_task(task, answer=post.get("answer", ""), by=by)


ACTIONS = {
    "extend": _extend,
    "task": _add_task,
    "task_done": _task_done,
    "complete_review": lambda req, p, u: actions.complete_internal_review(
        req, outcome=p.get("review_outcome", ""), by=u
    ),
    "close": lambda req, p, u: actions.close(req, by=u),
    "pause": lambda req, p, u: actions.pause_clock(req, p.get("reason", ""), by=u, note=p.get("note", "")),
    "resume": lambda req, p, u: actions.resume_clock(req, by=u),
    "draft": lambda req, p, u: actions.save_draft(req, p.get("text", ""), by=u),
    "submit": lambda req, p, u: actions.submit_for_approval(req, by=u),
    "approve": lambda req, p, u: actions.approve(req, by=u),
    "respond": lambda req, p, u: actions.respond(
        req, outcome=p.get("outcome", ""), exemptions=p.getlist("exemptions"), by=u
    ),
    "review": lambda req, p, u: actions.request_internal_review(req, by=u, grounds=p.get("note", "")),
    "refer": lambda req, p, u: actions.refer(req, to=p.get("to", ""), by=u, note=p.get("note", "")),
    "prepare_publication": lambda req, p, u: actions.prepare_publication(req, by=u),
    "publish": lambda req, p, u: actions.publish(req, by=u),
    "escalate": lambda req, p, u: actions.escalate_complaint(req, by=u, reason=p.get("note", "")),
    "sar_pack": lambda req, p, u: sar.build_pack(req, by=u, exclude=set(p.getlist("exclude"))),
}


def _detail_context(request, req: InformationRequest, errors: list) -> dict:
    """The request page: its record, what can be done next, its documents and timeline."""
    error_for = first_errors(errors)
    tasks = list(req.tasks.select_related("team"))
    for task in tasks:
        task.error_field = f"task_answer_{task.pk}"
        task.error = error_for.get(task.error_field)
    return {
        "req": req,
        "errors": errors,
        "error_for": error_for,
        "events": req.events.select_related("actor"),
        "tasks": tasks,
        "documents": queries.documents_to_redact(req),
        "similar": queries.similar_requests(req),
        "exemptions": EXEMPTIONS,
        "outcomes": Outcome.choices,
        "pause_reasons": ClockPause.Reason.choices,
        "packs": req.sar_packs.all(),
        "sar_sources": sar.preview(req, request.user) if req.kind == "sar" else [],
        "publication": actions.publication_document(req),
        "possible": actions.possible_actions(req, request.user),
        # What the officer typed, put back in the form whose step failed.
        "posted": request.POST if errors and request.method == "POST" else {},
        "teams": Team.objects.order_by("name"),
    }


@ig_required
@require_http_methods(["GET", "POST"])
def detail(request, reference):
    req = get_object_or_404(InformationRequest, reference=reference)
    errors = []
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        try:
            if action is None:
                raise actions.FOIError("Choose an action")
            action(req, request.POST, Actor.from_request(request))
            return redirect("foi:detail", reference=req.reference)
        except actions.FOIError as exc:
            req.refresh_from_db()
            name = request.POST.get("action", "")
            field = _page_field(name, exc.field, request.POST)
            if name not in actions.possible_actions(req, request.user) | {"task_done", "sar_pack"}:
                field = "action"  # a step the page no longer offers (a stale page): no field to point at
            errors.append((field, str(exc)))
    return render(request, "foi/detail.html", _detail_context(request, req, errors))


@ig_required
def sar_pack_download(request, pk, fmt):
    pack = get_object_or_404(SubjectAccessPack, pk=pk)
    audit.record(
        "foi.sar_pack_downloaded",
        pack.request,
        actor=request.user,
        detail={"pack": pk, "format": fmt},
        ip=client_ip(request),
    )
    if fmt == "pdf":
        response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    elif fmt == "html":
        response = HttpResponse(pack.html, content_type="text/html; charset=utf-8")
    else:
        raise Http404
    name = f"subject-access-{pack.request.reference}-{pack.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@ig_required
@require_http_methods(["POST"])
def upload_document(request, reference):
    req = get_object_or_404(InformationRequest, reference=reference)
    upload = request.FILES.get("document")
    if upload is None:
        return redirect("foi:detail", reference=reference)
    try:
        doc = actions.add_document(req, upload.name, upload.read(), by=Actor.from_request(request))
    except actions.FOIError as exc:
        errors = [("document_file", str(exc))]
        return render(request, "foi/detail.html", _detail_context(request, req, errors), status=400)
    return redirect("foi:document", pk=doc.pk)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _pages_summary(doc: Document) -> list[dict]:
    reviewed = {r.page: r for r in doc.page_reviews.select_related("reviewed_by")}
    counts: dict[int, dict] = {}
    for span in doc.spans.all():
        c = counts.setdefault(span.page, {"total": 0, "pending": 0})
        c["total"] += 1
        c["pending"] += span.decision == Span.Decision.PENDING
    out = []
    for number in range(1, doc.page_count + 1):
        info = doc.page_info[number - 1] if number <= len(doc.page_info) else {}
        out.append(
            {
                "number": number,
                "info": info,
                "review": reviewed.get(number),
                "total": counts.get(number, {}).get("total", 0),
                "pending": counts.get(number, {}).get("pending", 0),
            }
        )
    return out


@ig_required
@require_http_methods(["GET", "POST"])
def document(request, pk):
    """The document's pages, each with its review status, and the download once all are reviewed."""
    doc = get_object_or_404(Document, pk=pk)
    errors = []
    if request.method == "POST":
        try:
            data = actions.apply_redaction(
                doc, out_type=request.POST.get("format") or None, by=Actor.from_request(request)
            )
            kind = request.POST.get("format") or actions.documents.output_type_for(doc.file_type)
            response = HttpResponse(data, content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
            response["Content-Disposition"] = f'attachment; filename="redacted-{doc.pk}.{kind}"'
            return response
        except (actions.FOIError, ValueError) as exc:
            errors.append(("download", str(exc)))
    pages = _pages_summary(doc)
    return render(
        request,
        "foi/document.html",
        {
            "doc": doc,
            "pages": pages,
            "all_reviewed": all(p["review"] for p in pages) and not any(p["pending"] for p in pages),
            "errors": errors,
            "log": actions.redaction_log(doc),
            "images_unread": queries.images_not_read(doc),
            "formats": [
                doc.file_type if doc.file_type != "eml" else "txt",
                *(["txt"] if doc.file_type in ("pdf", "docx") else []),
            ],
        },
    )


def _page_text(doc: Document, number: int) -> tuple[int, str]:
    pieces = doc.text.split("\f")
    offset = sum(len(p) + 1 for p in pieces[: number - 1])
    return offset, pieces[number - 1] if number <= len(pieces) else ""


def _marked(text: str, offset: int, spans) -> list[tuple[str, int | None, str]]:
    """The page text cut into (piece, box number or None, decision) for highlighting."""
    out, pos = [], 0
    for number, span in spans:
        if span.is_area:
            continue
        start, end = span.start - offset, span.end - offset
        if start < pos or start >= len(text):
            continue
        out.append((text[pos:start], None, ""))
        out.append((text[start:end], number, span.decision))
        pos = end
    out.append((text[pos:], None, ""))
    return out


@ig_required
@require_http_methods(["GET", "POST"])
def document_page(request, pk, page):
    """Review one page: the page with every box drawn and numbered, each box to redact or keep, words or
    an area to add, and "I have reviewed this page"."""
    doc = get_object_or_404(Document, pk=pk)
    if not 1 <= page <= doc.page_count:
        raise Http404
    errors = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                actions.add_text_spans(
                    doc,
                    text=request.POST.get("words", "")[:1000],
                    reason=request.POST.get("reason", ""),
                    by=Actor.from_request(request),
                )
            elif action == "area":
                actions.add_area(
                    doc,
                    page=page,
                    rect=[request.POST.get(k, "") for k in ("x0", "y0", "x1", "y1")],
                    reason=request.POST.get("reason", ""),
                    by=Actor.from_request(request),
                )
            elif action == "reviewed":
                actions.review_page(doc, page, by=Actor.from_request(request))
                following = page + 1 if page < doc.page_count else None
                if following:
                    return redirect("foi:document_page", pk=doc.pk, page=following)
                return redirect("foi:document", pk=doc.pk)
            else:
                span = get_object_or_404(Span, pk=request.POST.get("span"), document=doc)
                decide = actions.decide_same_words if request.POST.get("everywhere") else actions.decide_span
                decide(
                    span,
                    decision=request.POST.get("decision", ""),
                    reason=request.POST.get("reason", ""),
                    by=Actor.from_request(request),
                )
            return redirect(f"{request.path}#boxes")
        except (actions.FOIError, ValueError) as exc:
            field = {"add": "words", "area": "x0", "reviewed": "reviewed"}.get(action, "boxes")
            errors.append((field, str(exc)))
    spans = list(enumerate(doc.spans.filter(page=page).select_related("decided_by"), 1))
    offset, text = _page_text(doc, page)
    info = doc.page_info[page - 1] if page <= len(doc.page_info) else {}
    is_pdf = doc.file_type == "pdf" and not doc.fallback
    width, height = float(info.get("width", 595)), float(info.get("height", 842))
    boxes = [
        {"number": n, "span": s, "x": r[0], "y": r[1], "w": r[2] - r[0], "h": r[3] - r[1]}
        for n, s in spans
        for r in s.rects
    ]
    review = doc.page_reviews.filter(page=page).select_related("reviewed_by").first()
    pending = queries.pending_by_words(doc)
    audit.record(
        "foi.page_viewed",
        doc.request or doc,
        actor=request.user,
        detail={"document": doc.pk, "page": page},
        ip=client_ip(request),
    )
    return render(
        request,
        "foi/document_page.html",
        {
            "doc": doc,
            "page": page,
            "pages": range(1, doc.page_count + 1),
            "info": info,
            "is_pdf": is_pdf,
            "width": width,
            "height": height,
            "boxes": boxes,
            "spans": [
                (
                    n,
                    s,
                    "(area drawn on the page)" if s.is_area else doc.text[s.start : s.end],
                    len(queries.same_words_pending_ids(s, pending)),
                )
                for n, s in spans
            ],
            "marked": _marked(text, offset, spans),
            "review": review,
            "errors": errors,
            "exemptions": EXEMPTIONS,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < doc.page_count else None,
        },
    )


@ig_required
def document_page_image(request, pk, page):
    """The original page as PNG, for the review screen (staff only; never cached)."""
    doc = get_object_or_404(Document, pk=pk)
    if doc.file_type != "pdf" or doc.fallback or not 1 <= page <= doc.page_count:
        raise Http404
    from .redaction import pdf as pdfredact

    try:
        png = pdfredact.render_page_png(bytes(doc.original), page - 1)
    except actions.documents.DocumentError as exc:
        raise Http404 from exc
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@ig_required
def performance(request):
    quarter = request.GET.get("quarter") or queries.quarter_of(dt.date.today())
    return render(
        request,
        "foi/performance.html",
        {"figures": queries.performance(), "ico": queries.ico_figures(quarter), "quarter": quarter},
    )


# --- public disclosure log ----------------------------------------------------------------------------
def _log_rows(query: str):
    return [
        {
            "reference": r.reference,
            "type": r.kind,
            "title": r.published_title,
            "received_on": r.received_on.isoformat(),
            "responded_on": r.responded_on.isoformat() if r.responded_on else "",
            "outcome": r.outcome,
            "exemptions": r.exemptions,
            "text": r.published_text,
        }
        for r in queries.disclosure_log(query)[:1000]
    ]


def disclosure_log(request):
    query = request.GET.get("q", "")[:200]
    return render(request, "foi/disclosure_log.html", {"rows": _log_rows(query), "q": query})


def disclosure_item(request, reference):
    """A published answer: the request, the response, the outcome and the documents released with it."""
    req = get_object_or_404(InformationRequest, reference=reference, publish=True)
    request_text, _, response_text = req.published_text.partition(actions.PUBLICATION_SEPARATOR)
    labels = dict(EXEMPTIONS)
    released = [
        {"number": number, "type": actions.documents.output_type_for(doc.file_type), "pages": doc.page_count}
        for number, doc in enumerate(actions.released_documents(req), 1)
    ]
    return render(
        request,
        "foi/disclosure_item.html",
        {
            "req": req,
            "request_text": request_text,
            "response_text": response_text,
            "exemptions": [labels.get(code, code) for code in req.exemptions],
            "released": released,
        },
    )


def disclosure_document(request, reference, number):
    """A released document's redacted copy, named by the entry and its number, never by its own file name
    (which may hold a name)."""
    req = get_object_or_404(InformationRequest, reference=reference, publish=True)
    released = actions.released_documents(req)
    if not 1 <= number <= len(released):
        raise Http404
    doc = Document.objects.only("redacted", "file_type").get(pk=released[number - 1].pk)
    kind = actions.documents.output_type_for(doc.file_type)
    response = HttpResponse(
        bytes(doc.redacted), content_type=CONTENT_TYPES.get(kind, "application/octet-stream")
    )
    response["Content-Disposition"] = f'attachment; filename="{req.reference}-document-{number}.{kind}"'
    return response


def _safe_cell(value):
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def disclosure_csv(request):
    rows = _log_rows(request.GET.get("q", "")[:200])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="disclosure-log.csv"'
    fields = ["reference", "type", "title", "received_on", "responded_on", "outcome", "exemptions", "text"]
    writer = csv.writer(response)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_safe_cell(row[f]) for f in fields])
    return response


def disclosure_json(request):
    return JsonResponse(
        {"requests": _log_rows(request.GET.get("q", "")[:200])}, json_dumps_params={"ensure_ascii": False}
    )
