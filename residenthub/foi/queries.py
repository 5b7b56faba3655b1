"""Read helpers: performance figures, overdue and due-soon lists, similar requests, the disclosure log."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from residenthub.core.calendar import add_working_days

from .models import OPEN_STATUSES, Document, InformationRequest, Kind, Span

_WORD = re.compile(r"[a-z]{3,}")
_STOP = {
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "from",
    "have",
    "has",
    "are",
    "was",
    "were",
    "you",
    "your",
    "our",
    "all",
    "any",
    "about",
    "into",
    "please",
    "would",
    "like",
    "information",
    "request",
    "council",
    "could",
    "can",
    "how",
    "many",
    "much",
    "what",
    "which",
    "when",
    "who",
    "its",
    "their",
    "them",
    "been",
    "under",
    "act",
    "freedom",
}


def quarter_of(day: dt.date) -> str:
    """UK financial-year quarter, as the ICO and councils report: 2025-26 Q1 is April to June 2025."""
    start_year = day.year if day.month >= 4 else day.year - 1
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"{start_year}-{(start_year + 1) % 100:02d} Q{quarter}"


def performance(requests: Any = None) -> dict:
    """Share answered on time, by type, by directorate, by quarter (of the response date)."""
    qs = requests if requests is not None else InformationRequest.objects.all()
    answered = qs.filter(responded_on__isnull=False).select_related("directorate")
    groups: dict[str, dict[str, list[int]]] = {"kind": {}, "directorate": {}, "quarter": {}}
    total = [0, 0]
    for req in answered:
        keys = {
            "kind": req.get_kind_display(),
            "directorate": req.directorate.name if req.directorate is not None else "Not set",
            "quarter": quarter_of(req.responded_on),  # type: ignore[arg-type]  # answered: set
        }
        for group, key in keys.items():
            cell = groups[group].setdefault(key, [0, 0])
            cell[0] += 1
            cell[1] += 1 if req.on_time else 0
        total[0] += 1
        total[1] += 1 if req.on_time else 0

    def share(cell):
        return {
            "answered": cell[0],
            "on_time": cell[1],
            "share": round(cell[1] / cell[0], 4) if cell[0] else None,
        }

    return {
        "overall": share(total),
        **{group: {k: share(v) for k, v in sorted(cells.items())} for group, cells in groups.items()},
    }


def ico_figures(quarter: str) -> dict:
    """FOI/EIR figures as councils report them: received, answered in time, in time with extension, late."""
    received: defaultdict[str, int] = defaultdict(int)
    answered: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for req in InformationRequest.objects.filter(kind__in=[Kind.FOI, Kind.EIR]):
        if quarter_of(req.received_on) == quarter:
            received[req.kind] += 1
        if req.responded_on and quarter_of(req.responded_on) == quarter:
            cell = answered[req.kind]
            if req.on_time and not req.extra_working_days:
                cell[0] += 1
            elif req.on_time:
                cell[1] += 1
            else:
                cell[2] += 1
    out = {}
    for kind in (Kind.FOI, Kind.EIR):
        in_time, extended, late = answered[kind]
        total = in_time + extended + late
        out[kind] = {
            "received": received[kind],
            "answered": total,
            "within_20_working_days": in_time,
            "within_extension": extended,
            "late": late,
            "share_within_20": round(in_time / total, 4) if total else None,
        }
    return out


def overdue(today: dt.date | None = None):
    today = today or timezone.localdate()
    return InformationRequest.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today).exclude(
        status="paused"
    )


def due_soon(today: dt.date | None = None, working_days: int = 5):
    today = today or timezone.localdate()
    limit = add_working_days(today, working_days)
    return InformationRequest.objects.filter(
        status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=limit
    ).exclude(status="paused")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def similar_requests(req: InformationRequest, limit: int = 5, threshold: float = 0.2):
    """Published and in-progress requests with the most words in common (Jaccard on subject and text)."""
    mine = _words(req.subject + " " + req.body)
    if not mine:
        return []
    candidates = InformationRequest.objects.filter(Q(publish=True) | Q(status__in=OPEN_STATUSES)).exclude(
        pk=req.pk
    )
    candidates = candidates.filter(kind__in=[Kind.FOI, Kind.EIR]).only(
        "id", "reference", "subject", "body", "publish", "status", "published_title"
    )
    scored = []
    for other in candidates[:2000]:
        theirs = _words(other.subject + " " + other.body)
        if not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        if score >= threshold:
            scored.append((score, other))
    scored.sort(key=lambda item: -item[0])
    return [(round(score, 3), other) for score, other in scored[:limit]]


def disclosure_log(query: str = ""):
    qs = InformationRequest.objects.filter(publish=True).order_by("-published_at")
    for word in query.split()[:8]:
        qs = qs.filter(Q(published_title__icontains=word) | Q(published_text__icontains=word))
    return qs


def requests_by_email(email: str) -> QuerySet[InformationRequest]:
    """Every request made with ``email`` (any case), newest first: the resident's "your requests"."""
    return InformationRequest.objects.filter(requester_email__iexact=email).order_by("-created_at")


def person_timeline_items(person: Any, user: Any, records: Any, cases: Any, kinds: set[str]) -> list[Any]:
    """The resident 360 page's "Information requests" rows (``identity.hooks.timeline_items``): the
    requests made from the person's email addresses, for staff who work requests."""
    from django.urls import reverse

    from residenthub.accounts.permissions import can_work_requests
    from residenthub.identity.people import Item, emails

    if "requests" not in kinds or not can_work_requests(user):
        return []
    return [
        Item(
            request.created_at,
            "requests",
            f"{request.reference} {request.get_kind_display()}: {request.subject}",
            url=reverse("foi:detail", args=[request.reference]),
        )
        for request in InformationRequest.objects.filter(requester_email__in=emails(records, cases))[:50]
    ]


def documents_to_redact(req: InformationRequest) -> list[Document]:
    """The request's documents with how far their review has gone, for the officer's request page: pages
    reviewed and boxes still to decide (one query)."""
    docs: list[Any] = list(  # annotated rows: the two counts above, and ``review_done`` below
        req.documents.filter(purpose=Document.Purpose.DOCUMENT)
        .annotate(
            pages_reviewed=Count("page_reviews", distinct=True),
            boxes_to_decide=Count("spans", filter=Q(spans__decision=Span.Decision.PENDING), distinct=True),
        )
        .order_by("pk")
    )
    for doc in docs:
        doc.review_done = doc.pages_reviewed >= doc.page_count and not doc.boxes_to_decide
    return docs


def images_not_read(doc: Document) -> int:
    """The pictures in a Word document that gave no words to read (photos, drawings, or every picture
    where Tesseract is missing); 0 for other kinds. The review page asks the officer to look at them."""
    if doc.file_type != "docx":
        return 0
    from .redaction import docx_redact
    from .redaction.documents import DocumentError

    try:
        total = docx_redact.image_count(bytes(doc.original), doc.name)
    except DocumentError:
        return 0
    return max(0, total - docx_redact.pictures_read(doc.text))


def pending_by_words(doc: Document) -> dict[str, list[int]]:
    """The document's boxes still to review (not drawn areas), grouped by their words in lower case: span
    ids in document order. The name found thirty times in a bundle is one group."""
    groups: dict[str, list[int]] = {}
    pending = doc.spans.filter(decision=Span.Decision.PENDING).exclude(entity_type="AREA").order_by("start")
    for pk, start, end in pending.values_list("pk", "start", "end"):
        groups.setdefault(doc.text[start:end].strip().lower(), []).append(pk)
    return groups


def same_words_pending_ids(span: Span, groups: dict[str, list[int]] | None = None) -> list[int]:
    """The other boxes still to review over ``span``'s words (none for an area)."""
    if span.is_area:
        return []
    doc = span.document
    groups = pending_by_words(doc) if groups is None else groups
    return [pk for pk in groups.get(doc.text[span.start : span.end].strip().lower(), []) if pk != span.pk]
