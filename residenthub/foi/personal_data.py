"""Personal data in information requests and complaints (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, declare, no_personal_data

from .models import (
    ClockPause,
    Document,
    InformationRequest,
    InternalTask,
    PageReview,
    RequestEvent,
    Span,
    SubjectAccessPack,
)

declare(
    InformationRequest,
    record_class="information-request",
    fields=[
        "subject",
        "body",
        "requester_name",
        "requester_email",
        "requester_address",
        "draft_text",
        "response_text",
        "review_outcome",
        "original_email",
    ],
    links={"request": "pk", "case": "case"},
    match={"email": ["requester_email"]},
    dates={"request_answered": "updated_at", "created": "created_at"},
    eligible={"status__in": ["responded", "closed"]},
    note="Anonymised: kind, dates, outcome, exemptions and the published (redacted) text stay.",
)
declare(
    RequestEvent,
    record_class="information-request",
    fields=["text", "detail"],
    links={"request": "request"},
    append_only=True,
)
declare(
    InternalTask,
    record_class="information-request",
    fields=["description", "answer"],
    links={"request": "request"},
)
declare(
    Document,
    record_class="information-request",
    fields=["name", "original", "text", "redacted", "layout"],
    erase=DELETE,
    links={"request": "request"},
)
declare(
    SubjectAccessPack,
    record_class="information-request",
    fields=["pdf", "html", "index", "sources_checked", "summary", "redaction_log"],
    erase=DELETE,
    links={"request": "request"},
)
no_personal_data(ClockPause, "Dates a request's clock stopped, and why (a category).")
no_personal_data(PageReview, "Which page of a document an officer reviewed.")
no_personal_data(Span, "Offsets and boxes of redactions in a document (the text is in the document).")
