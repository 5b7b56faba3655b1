"""Information requests (FOI, EIR, subject access), complaints and councillor enquiries.

Written only by ``foi.actions``. Due dates are derived from the clock fields by ``foi.clocks``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.core.models import AppendOnlyModel, TimeStampedModel

from . import clocks

EXEMPTIONS = [
    ("s12", "s.12 Cost of compliance exceeds the appropriate limit"),
    ("s14", "s.14 Vexatious or repeated requests"),
    ("s21", "s.21 Information accessible by other means"),
    ("s22", "s.22 Information intended for future publication"),
    ("s30", "s.30 Investigations and proceedings"),
    ("s31", "s.31 Law enforcement"),
    ("s36", "s.36 Prejudice to effective conduct of public affairs"),
    ("s40_2", "s.40(2) Personal information of third parties"),
    ("s41", "s.41 Information provided in confidence"),
    ("s42", "s.42 Legal professional privilege"),
    ("s43", "s.43 Commercial interests"),
    ("r12_4", "EIR regulation 12(4) exception"),
    ("r12_5", "EIR regulation 12(5) exception"),
]
EXEMPTION_CODES = {code for code, _ in EXEMPTIONS}


class Kind(models.TextChoices):
    FOI = clocks.FOI, "Freedom of Information"
    EIR = clocks.EIR, "Environmental Information Regulations"
    SAR = clocks.SAR, "Subject access request"
    COMPLAINT = clocks.COMPLAINT, "Complaint"
    COUNCILLOR = clocks.COUNCILLOR, "Councillor enquiry"


class Status(models.TextChoices):
    LOGGED = "logged", "Logged"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    PAUSED = "paused", "Clock paused (waiting for the requester)"
    GATHERING = "gathering", "Gathering information"
    DRAFT = "draft", "Response drafted"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    RESPONDED = "responded", "Responded"
    INTERNAL_REVIEW = "internal_review", "Internal review"
    REFERRED = "referred", "Referred to the regulator"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = [
    Status.LOGGED,
    Status.ACKNOWLEDGED,
    Status.PAUSED,
    Status.GATHERING,
    Status.DRAFT,
    Status.AWAITING_APPROVAL,
    Status.APPROVED,
    Status.INTERNAL_REVIEW,
]


class Outcome(models.TextChoices):
    FULL = "full", "Information provided in full"
    PARTIAL = "partial", "Information provided in part"
    REFUSED = "refused", "Refused"
    NOT_HELD = "not_held", "Information not held"
    UPHELD = "upheld", "Complaint upheld"
    NOT_UPHELD = "not_upheld", "Complaint not upheld"


class Source(models.TextChoices):
    WEB = "web", "Web form"
    EMAIL = "email", "Email"
    STAFF = "staff", "Entered by staff"


class InformationRequest(TimeStampedModel):
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LOGGED, db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.STAFF)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    requester_name = models.CharField(max_length=200, blank=True)
    requester_email = models.EmailField(blank=True)
    requester_address = models.TextField(blank=True)
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="information_request"
    )
    directorate = models.ForeignKey(
        "accounts.Directorate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The clock
    received_on = models.DateField()
    clock_start = models.DateField(help_text="Day of receipt, or the day a restarted clock runs from.")
    stage = models.PositiveSmallIntegerField(default=1)
    extra_working_days = models.PositiveSmallIntegerField(default=0)
    extra_months = models.PositiveSmallIntegerField(default=0)
    paused_working_days = models.PositiveSmallIntegerField(default=0)
    paused_calendar_days = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(db_index=True)
    # The answer
    draft_text = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    response_text = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    exemptions = models.JSONField(default=list, blank=True)
    responded_on = models.DateField(null=True, blank=True, db_index=True)
    on_time = models.BooleanField(null=True, blank=True)
    review_requested_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    review_outcome = models.CharField(max_length=200, blank=True)
    referred_to = models.CharField(max_length=20, blank=True)  # "ico" or "ombudsman"
    # Disclosure log
    publish = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_title = models.CharField(max_length=300, blank=True)
    published_text = models.TextField(blank=True, help_text="The redacted request and response.")
    # Email source, kept as received
    original_email = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}: {self.subject[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def clock_inputs(self) -> clocks.ClockInputs:
        return clocks.ClockInputs(
            kind=self.kind,
            clock_start=self.clock_start,
            extra_working_days=self.extra_working_days,
            extra_months=self.extra_months,
            paused_working_days=self.paused_working_days,
            paused_calendar_days=self.paused_calendar_days,
            stage=self.stage,
        )

    def compute_due_date(self, closures=None):
        return clocks.due_date(self.clock_inputs(), closures)


class RequestEvent(AppendOnlyModel):
    """The request's append-only timeline (ORM guard and, on PostgreSQL, a trigger)."""

    class Kind(models.TextChoices):
        LOGGED = "logged", "Logged"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOCK_PAUSED = "clock_paused", "Clock paused"
        CLOCK_RESUMED = "clock_resumed", "Clock resumed"
        EXTENDED = "extended", "Deadline extended"
        ESCALATED = "escalated", "Escalated"
        DUE_DATE_RECALCULATED = "due_date_recalculated", "Due date recalculated"
        TASK_ADDED = "task_added", "Task added"
        TASK_DONE = "task_done", "Task done"
        DRAFT_SAVED = "draft_saved", "Draft saved"
        SUBMITTED_FOR_APPROVAL = "submitted_for_approval", "Submitted for approval"
        APPROVED = "approved", "Approved"
        RESPONDED = "responded", "Responded"
        INTERNAL_REVIEW_REQUESTED = "internal_review_requested", "Internal review requested"
        INTERNAL_REVIEW_COMPLETED = "internal_review_completed", "Internal review completed"
        REFERRED = "referred", "Referred"
        CLOSED = "closed", "Closed"
        DOCUMENT_ADDED = "document_added", "Document added"
        PAGE_REVIEWED = "page_reviewed", "Page reviewed"
        REDACTION_APPLIED = "redaction_applied", "Redaction applied"
        PUBLICATION_PREPARED = "publication_prepared", "Publication prepared"
        PUBLISHED = "published", "Published"
        SAR_PACK_BUILT = "sar_pack_built", "Subject access pack built"

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    text = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class ClockPause(models.Model):
    class Reason(models.TextChoices):
        CLARIFICATION = "clarification", "Clarification"
        FEE = "fee", "Fees notice"
        IDENTITY = "identity", "Identity check"

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    effect = models.CharField(max_length=8)  # "restart" or "pause"
    due_before = models.DateField()
    status_before = models.CharField(max_length=20, blank=True)  # where resuming may take the request back

    def __str__(self) -> str:
        return f"{self.reason} from {self.started_on}"


class InternalTask(models.Model):
    """A service asked for information, with its own deadline."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="tasks")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    due_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"Task for team {self.team_id} due {self.due_date}"


class Document(TimeStampedModel):
    """A document to redact, kept with its request, its detected spans and its redacted output.

    ``purpose`` "publication" is the text of a disclosure log entry (request and response), reviewed like
    any document before it can be published."""

    class Purpose(models.TextChoices):
        DOCUMENT = "document", "Document"
        PUBLICATION = "publication", "Disclosure log entry"

    request = models.ForeignKey(
        InformationRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    name = models.CharField(max_length=255)
    file_type = models.CharField(max_length=8)  # pdf, docx, txt, eml
    original = models.BinaryField()
    text = models.TextField()
    pages = models.PositiveIntegerField(default=1)
    redacted = models.BinaryField(null=True, blank=True)
    redacted_at = models.DateTimeField(null=True, blank=True)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.DOCUMENT)
    # Per page: {"page", "width", "height", "scanned", "ocr_confidence", "low_confidence"}
    page_info = models.JSONField(default=list, blank=True)
    # Per page: [[start, end, x0, y0, x1, y1], ...] word boxes (PDF points) with offsets in ``text``
    layout = models.JSONField(default=list, blank=True)
    fallback = models.BooleanField(
        default=False, help_text="A broken PDF, redacted by rebuilding (ADR 0040)."
    )
    released_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its redacted copy went on the disclosure log with the response.",
    )

    def __str__(self) -> str:
        return self.name

    @property
    def page_count(self) -> int:
        return max(1, len(self.page_info) or self.pages or 1)

    def page_of(self, offset: int) -> int:
        """1-based page holding a character offset of ``text``."""
        return self.text.count("\f", 0, max(0, offset)) + 1


class PageReview(models.Model):
    """An officer has looked at every box on this page and decided each one: the gate to release."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="page_reviews")
    page = models.PositiveIntegerField()  # 1-based
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "page"], name="foi_page_review_once")]
        ordering = ["document", "page"]

    def __str__(self) -> str:
        return f"Page {self.page} of document {self.document_id} reviewed"


class Span(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "To review"
        ACCEPTED = "accepted", "Redact"
        REJECTED = "rejected", "Keep"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    entity_type = models.CharField(max_length=40)
    page = models.PositiveIntegerField(default=1)  # 1-based
    # Boxes on the page, PDF points from the top left: [[x0, y0, x1, y1], ...]; an officer's area has only these  # noqa: E501
    rects = models.JSONField(default=list, blank=True)
    score = models.FloatField(null=True, blank=True)
    added_by_officer = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.CharField(max_length=20, blank=True)  # an exemption code
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["page", "start", "end", "id"]

    def __str__(self) -> str:
        return f"{self.entity_type} {self.start}-{self.end}"

    @property
    def is_area(self) -> bool:
        return self.entity_type == "AREA"


class SubjectAccessPack(models.Model):
    """A subject access pack built for a SAR: the PDF and HTML, their index, what was checked and the
    redaction log (the removed text is for staff only, like ``Span``)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="sar_packs")
    built_at = models.DateTimeField(default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.BinaryField()
    html = models.TextField()
    index = models.JSONField(default=list)  # [{"number", "title", "page"}]
    sources_checked = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    redaction_log = models.JSONField(default=list)  # [{"section", "entity_type", "text", "reason"}]

    class Meta:
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access pack {self.pk} for {self.request_id}"
