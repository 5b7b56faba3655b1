"""The triage log: every message triaged, what the model said, and what happened next.

Written only by ``triage.actions``. The resident's text is kept exactly as written (``text``),
however long or strange; the model reads a cleaned, capped copy.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.cases.models import Case, Channel, Priority
from residenthub.services.models import Service


class Outcome(models.TextChoices):
    SUGGESTED = "suggested", "Service suggested"
    NOT_SURE = "not_sure", "Not sure"
    NOT_COUNCIL = "not_council", "Not a council matter"
    TRANSLATION_NEEDED = "translation_needed", "Translation needed"
    EMPTY = "empty", "Nothing to triage"


class Resolution(models.TextChoices):
    PENDING = "pending", "Waiting for the resident"
    ACCEPTED = "accepted", "Accepted by the resident"
    CHANGED = "changed", "Changed by the resident"
    HUMAN = "human", "In the human triage queue"
    REROUTED = "rerouted", "Re-routed by staff"
    CLOSED = "closed", "Closed by staff"


class TriageRecord(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    call_id = models.CharField(max_length=100, blank=True, help_text="The telephony platform's call id.")
    text = models.TextField(blank=True, help_text="Exactly what the resident wrote or said.")
    translated_text = models.TextField(blank=True)
    language = models.CharField(max_length=10, default="en")
    language_confidence = models.FloatField(default=0.0)
    predictions = models.JSONField(default=list, help_text="[{code, confidence}], best first.")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Best guess."
    )
    confidence = models.FloatField(default=0.0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    flags = models.JSONField(default=list, help_text="[{category, phrase, kind}]")
    urgent = models.BooleanField(default=False, db_index=True)
    details = models.JSONField(default=dict, help_text="Details found in the text (postcode, dates...).")
    model_version = models.CharField(max_length=60, blank=True)
    answer = models.JSONField(
        default=dict,
        blank=True,
        help_text="{} when the message asked nothing; {'found': false} when our pages had no answer; "
        "else {'found': true, 'title', 'url', 'snippet', 'heading', 'score', 'coverage', 'page'}.",
    )

    resolution = models.CharField(
        max_length=10, choices=Resolution.choices, default=Resolution.PENDING, db_index=True
    )
    chosen_service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Final label."
    )
    needs_human = models.BooleanField(default=False, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff_note = models.TextField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    draft_key = models.CharField(max_length=64, blank=True, db_index=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["needs_human", "handled_at"])]

    def __str__(self) -> str:
        return f"Triage {self.pk} ({self.get_outcome_display()})"

    @property
    def priority(self) -> int:
        return Priority.URGENT if self.urgent else Priority.NORMAL

    @property
    def short_text(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 160 else text[:157] + "..."

    @property
    def flag_labels(self) -> list[str]:
        from .urgency import RULE_BY_CATEGORY

        return [
            str(RULE_BY_CATEGORY[f["category"]].label)
            for f in self.flags
            if f.get("category") in RULE_BY_CATEGORY
        ]


class AnswerFeedback(models.Model):
    """'Did this answer your question?' on an answer taken from the council's pages."""

    created_at = models.DateTimeField(default=timezone.now)
    record = models.ForeignKey(
        TriageRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page = models.CharField(max_length=300, help_text="The URL of the page the answer came from.")
    helpful = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "page"], name="one_answer_feedback_per_record_page")
        ]

    def __str__(self) -> str:
        return f"{self.page}: {'yes' if self.helpful else 'no'}"


class TrainingReview(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved for training"
    REJECTED = "rejected", "Not used for training"


class TrainingExample(models.Model):
    """A message whose service became known (a resident's choice, staff routing, a re-route).

    It teaches the model only once a member of the triage team has approved it (ADR 0016): a
    mistaken re-route, or a message with personal details in it, must not become training data.
    """

    created_at = models.DateTimeField(default=timezone.now)
    record = models.OneToOneField(
        TriageRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="training_example"
    )
    text = models.TextField()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(max_length=20, help_text="accepted, changed, routed or rerouted")
    review = models.CharField(
        max_length=10, choices=TrainingReview.choices, default=TrainingReview.PENDING, db_index=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Training example {self.pk} ({self.get_review_display()})"


class ModelVersion(models.Model):
    """Every triage model that was trained, shipped or retrained, with its scores (ADR 0017).

    Exactly one is active at a time; staff can make an earlier one active again (roll back).
    """

    version = models.CharField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, help_text="shipped, trained or retrained")
    path = models.CharField(max_length=500, help_text="The model file.")
    examples = models.PositiveIntegerField(default=0)
    scores = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=False, db_index=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_triage_model"
            )
        ]

    def __str__(self) -> str:
        return self.version

    @property
    def calibration_accuracy(self) -> float | None:
        return self.scores.get("calibration_accuracy")

    @property
    def threshold(self) -> float | None:
        return (self.scores.get("thresholds") or {}).get("confident")
