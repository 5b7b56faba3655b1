"""API clients' keys, webhook subscriptions and their delivery log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    OPEN311 = "open311", "Open311: post service requests and updates"
    CASES_CREATE = "cases:create", "REST: create cases"
    CASES_READ = "cases:read", "REST staff: read cases the key's user may see"
    CASES_WRITE = "cases:write", "REST staff: transition, note and assign those cases"
    PERSONS_MATCH = "persons:match", "REST staff: the point-of-entry duplicate check (single resident view)"
    TRIAGE_PHONE = "triage:phone", "Phone channel: post call transcripts to /triage/api/phone/"


class ApiKey(models.Model):
    """One client's key. Only a hash is kept; the key itself is shown once, when created."""

    name = models.CharField(max_length=100, help_text="The client, e.g. FixMyStreet; shown on its cases.")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_keys",
        help_text="Staff scopes act as this staff user and see only what they may see.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class WebhookSubscription(models.Model):
    """A URL that receives case events, signed with its secret (HMAC-SHA256)."""

    EVENTS = ["case.created", "case.status_changed", "case.updated", "case.closed", "person.erased"]

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100, help_text="Shared secret for the X-Hub-Signature-256 header.")
    events = models.JSONField(default=list, blank=True, help_text="Empty: every event.")
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription}"


class ClientCase(models.Model):
    """A case a client may update: one it sent in, or one staff shared with it.

    An Open311 or REST key changes only these cases (SECURITY.md); ``body_hash`` is the digest of
    the submission, so a repeated Idempotency-Key with a different body is refused."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Sent in by the client"
        SHARED = "shared", "Shared with the client by staff"

    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="cases")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="api_clients")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUBMITTED)
    body_hash = models.CharField(max_length=64, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "case"], name="api_client_case_once")]

    def __str__(self) -> str:
        return f"{self.case_id} for {self.key}"
