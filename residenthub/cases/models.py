"""Cases and their append-only timeline. Written only by ``cases.actions``."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.accounts.models import Team
from residenthub.core.models import AppendOnlyModel, TimeStampedModel
from residenthub.services.definitions import Status
from residenthub.services.models import Service


class Channel(models.TextChoices):
    WEB = "web", "Online"
    PHONE = "phone", "Phone"
    PHONE_AUTOMATED = "phone_automated", "Phone (automated)"
    FACE_TO_FACE = "face_to_face", "Face to face"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    OPEN311 = "open311", "Open311"
    API = "api", "API"


class NotifyBy(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    POST = "post", "Letter by post"
    NONE = "none", "No updates"


class Priority(models.IntegerChoices):
    URGENT = 1, "Urgent"
    NORMAL = 2, "Normal"


class Case(TimeStampedModel):
    reference = models.CharField(max_length=20, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=40, db_index=True)
    is_open = models.BooleanField(default=True, db_index=True)
    answers = models.JSONField(default=dict)
    location_text = models.CharField(max_length=500, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True, db_index=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    contact_address = models.TextField(
        blank=True, help_text="Postal address for letters, one line per line (residents who chose post)."
    )
    notify_by = models.CharField(max_length=8, choices=NotifyBy.choices, default=NotifyBy.EMAIL)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    channel_detail = models.CharField(max_length=120, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    restricted = models.BooleanField(default=False, db_index=True)
    due_date = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, default="en")
    submission_key = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text="Idempotency key: a resubmitted form finds its case.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Incremented by every action.")
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The team dealing with the case (the service's team unless assigned on).",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    status_entered_at = models.DateTimeField(default=timezone.now)
    on_hold_since = models.DateTimeField(
        null=True, blank=True, help_text="Clock paused, awaiting the resident."
    )
    paused_working_days = models.PositiveIntegerField(default=0)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    breach_alert_sent_at = models.DateTimeField(null=True, blank=True)
    hold_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["priority", "due_date", "id"]
        indexes = [
            models.Index(fields=["team", "is_open", "priority", "due_date"], name="queue_order"),
            models.Index(fields=["assigned_to", "is_open", "priority", "due_date"], name="my_cases_order"),
            # Every column the queue counts read, so they come from the index alone.
            models.Index(
                fields=["team", "is_open", "due_date", "on_hold_since", "assigned_to"], name="queue_counts"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @cached_property
    def status_definition(self) -> Status:
        return self.service.workflow.status(self.status)

    @property
    def public_status_label(self) -> str:
        """The resident's words for where the case stands (non-public statuses show the last public one)."""
        status = self.status_definition
        if status.public:
            return status.public_label
        workflow = self.service.workflow
        for to_status in (
            self.events.filter(public=True, to_status__gt="")
            .order_by("-at", "-id")
            .values_list("to_status", flat=True)
        ):
            if workflow.has(to_status) and workflow.status(to_status).public:
                return workflow.status(to_status).public_label
        return self.service.workflow.status(self.service.workflow.initial).public_label

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due_date


class CaseEvent(AppendOnlyModel):
    """One entry on a case's timeline. Append-only (ORM guard and, on PostgreSQL, a trigger)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        STATUS_CHANGED = "status_changed", "Status changed"
        PUBLIC_UPDATE = "public_update", "Update"
        INTERNAL_NOTE = "internal_note", "Internal note"
        ASSIGNED = "assigned", "Assigned"
        REFERRED = "referred", "Referred"
        REROUTED = "rerouted", "Moved to another service"
        DUPLICATE = "duplicate", "Marked as duplicate"
        ESCALATION = "escalation", "Escalation"
        REMINDER = "reminder", "Reminder"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the resident's file name on disk: it is personal data and may be hostile.
    return f"attachments/{timezone.now():%Y/%m}/{instance.token}"


class Attachment(models.Model):
    """A file a resident uploaded. Pending (no case yet) until the form is submitted."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.CharField(max_length=43, unique=True)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class CaseAccess(models.Model):
    """A team given access to one case by referral (e.g. social care asking housing for help)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "team"], name="one_grant_per_team")]

    def __str__(self) -> str:
        return f"{self.team} may see {self.case}"


class Reroute(models.Model):
    """A case moved to another service by staff: a labelled example for the triage model."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reroutes")
    from_service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    to_service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(help_text="What the resident wrote, for retraining.")
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case}: {self.from_service.code} -> {self.to_service.code}"
