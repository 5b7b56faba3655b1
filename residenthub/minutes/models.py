"""Meetings, their recordings and transcripts, the draft minutes line by line, and action tasks.

Written only through ``actions.py``. Closed (Part II / exempt) agenda items keep their transcript
lines and recording moments away from everyone but the roles in ``MINUTES_CLOSED_ROLES``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.core.models import TimeStampedModel


class Committee(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        PROCESSING = "processing", "Processing the recording"
        DRAFTED = "drafted", "Draft ready for review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    speaker_names = models.JSONField(default=dict, blank=True, help_text="Speaker label -> attendee name.")
    speakers_confirmed = models.BooleanField(default=False)
    warnings = models.JSONField(default=list, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.committee.name}, {self.date:%d %B %Y}"

    @property
    def is_locked(self) -> bool:
        """Approved minutes are the record: no more edits."""
        return self.status in {self.Status.APPROVED, self.Status.PUBLISHED}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    closed = models.BooleanField(default=False, help_text="Part II / exempt: press and public excluded.")

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_item_number_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Attendee(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice-chair", "Vice-chair"
        MEMBER = "member", "Member"
        OFFICER = "officer", "Officer"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(max_length=200, blank=True, help_text="Job title, for officers.")
    email = models.EmailField(blank=True, help_text="Where reminders of actions go.")
    present = models.BooleanField(default=True, help_text="No: sent apologies.")

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.name


class Recording(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be processed"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Processed"
        FAILED = "failed", "Could not be processed"
        DELETED = "deleted", "Deleted under the retention rule"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recordings")
    file = models.FileField(upload_to="minutes/recordings/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration = models.FloatField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class Segment(models.Model):
    """One transcript line: who spoke, when, what."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="segments")
    recording = models.ForeignKey(
        Recording, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    index = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    speaker = models.CharField(max_length=40, blank=True, help_text="Label from speaker segmentation.")
    text = models.TextField(help_text="What was said: as heard, read against the meeting's vocabulary.")
    heard = models.TextField(
        blank=True,
        help_text="The words as heard, where the vocabulary correction changed them (ADR 0167).",
    )
    edited = models.BooleanField(default=False)
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )

    class Meta:
        ordering = ["meeting", "index"]

    def __str__(self) -> str:
        return f"[{self.start:.1f}] {self.text[:60]}"


class MinuteLine(models.Model):
    """One line of the minutes, linked to the transcript times it came from."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", "Declaration of interest"
        SUMMARY = "summary", "Summary"
        DECISION = "decision", "Resolution"
        ACTION = "action", "Action"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()
    vote = models.CharField(max_length=200, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    due = models.DateField(null=True, blank=True)
    start = models.FloatField(null=True, blank=True)
    end = models.FloatField(null=True, blank=True)
    drafted_text = models.TextField(blank=True, help_text="What the pipeline drafted, kept for comparison.")
    accepted = models.BooleanField(default=False)
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "item__number", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class PublishedMinutes(TimeStampedModel):
    """The approved minutes as published: frozen HTML, PDF and DOCX."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="published")
    html = models.TextField()
    pdf = models.BinaryField()
    docx = models.BinaryField()

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class ActionTask(TimeStampedModel):
    """An action from approved minutes: owner, due date, reminders through the outbox."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    line = models.OneToOneField(MinuteLine, on_delete=models.PROTECT, related_name="task")
    text = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    owner_email = models.EmailField(blank=True)
    due = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.owner or 'Unassigned'}: {self.text[:60]}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due is not None and self.due < timezone.localdate()
