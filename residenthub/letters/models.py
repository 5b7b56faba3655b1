"""Letters to residents who chose post: rendered to PDF, sent through GOV.UK Notify's precompiled
letter API when configured, otherwise printed by staff from the "letters to print" list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Letter(models.Model):
    class Status(models.TextChoices):
        TO_PRINT = "to_print", "To print"
        PRINTED = "printed", "Printed and posted"
        PENDING = "pending", "Waiting to send to Notify"
        SENT = "sent", "Sent to Notify"
        FAILED = "failed", "Failed"

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField(max_length=30, help_text="submitted, status_changed, public_update, feedback")
    reference = models.CharField(max_length=40, unique=True, help_text="Our reference, given to Notify.")
    address = models.TextField(help_text="The address block, one line per line.")
    pdf = models.BinaryField()
    pages = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"letter {self.reference} ({self.status})"
