"""Shared models: the audit trail, the notification outbox and the council's address list."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.db import connections, models, transaction
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only record."""


_erasure = contextvars.ContextVar("residenthub_allow_erasure", default=False)


@contextlib.contextmanager
def erasure_allowed(using: str = "default") -> Iterator[None]:
    """The only sanctioned way to update or delete append-only rows: the retention app's erasure.

    Inside the block the ORM guard lets ``.update()``, ``.delete()`` and ``save()`` of an existing row
    through, and on PostgreSQL the block is one transaction with ``residenthub.allow_erasure`` set
    to ``on`` (``SET LOCAL``), which the append-only trigger (core/triggers.py) accepts. The caller
    records what it erased in the audit trail; nothing else may use this.
    """
    token = _erasure.set(True)
    try:
        with transaction.atomic(using=using):
            connection = connections[using]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL residenthub.allow_erasure = 'on'")
            yield
            # On success, close the door again for the rest of an outer transaction; on an error the
            # rollback (of the transaction or its savepoint) undoes the SET LOCAL by itself.
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL residenthub.allow_erasure = 'off'")
    finally:
        _erasure.reset(token)


def _refuse(model, what: str) -> None:
    if not _erasure.get():
        raise AppendOnlyError(f"{model._meta.verbose_name_plural} cannot be {what}")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse(self.model, "changed")
        return super().update(**kwargs)

    def delete(self):
        _refuse(self.model, "deleted")
        return super().delete()

    def bulk_update(self, *args, **kwargs):
        _refuse(self.model, "changed")
        return super().bulk_update(*args, **kwargs)


class AppendOnlyModel(models.Model):
    """A record written once and never changed or deleted: audit entries and timelines.

    Guarded here for the ORM and, on PostgreSQL, by a trigger (core/triggers.py, attached in each
    owning app's migration) so that raw SQL cannot change them either. Erasure of personal data
    inside such records goes through ``erasure_allowed()`` in the retention app's audited path.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            _refuse(self, "changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(self, "deleted")
        return super().delete(*args, **kwargs)


class AuditEntry(AppendOnlyModel):
    """Who did what, when, from where. Written by action functions; never edited or deleted."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, blank=True, help_text="Who acted when not a staff user, e.g. 'resident', 'system'."
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        who = self.actor_label or self.actor
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}:{self.object_id}"


class OutboxMessage(TimeStampedModel):
    """A notification to send, written in the same transaction as the change it reports.

    A worker sends it (``core.jobs.send_message``) and retries with backoff; a message that keeps
    failing stays visible to staff as ``failed`` and can be retried from the admin.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject or self.body_text[:40]} ({self.status})"


class Address(models.Model):
    """An address the council holds (its gazetteer), offered in address questions."""

    uprn = models.CharField("UPRN", max_length=12, unique=True)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    ward = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="Electoral ward, for insights by area."
    )

    class Meta:
        ordering = ["postcode", "line1"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.single_line

    @property
    def single_line(self) -> str:
        return ", ".join(part for part in [self.line1, self.line2, self.town, self.postcode] if part)


class ClosureDay(models.Model):
    """A day the council is closed besides bank holidays (e.g. the days between Christmas and New Year)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"
