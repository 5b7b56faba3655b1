"""Retention's own records: legal holds, sweep reports, erasure requests and the replay log.

None of them holds an identifier of a resident: holds and requests point at a person, case or
request by key; the replay log keeps keyed hashes (HMAC) of what was erased, so an erasure can be
applied again after a backup restore without keeping what it erased. Written only by ``actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LegalHold(models.Model):
    """A litigation hold or safeguarding flag set by the records manager: blocks deletion of what it
    covers (a person's records, or one case or request) until released."""

    class Kind(models.TextChoices):
        LITIGATION = "litigation", "Litigation hold"
        SAFEGUARDING = "safeguarding", "Safeguarding flag"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=300, help_text="Shown wherever the hold blocks a deletion.")
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    request = models.ForeignKey(
        "foi.InformationRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True, db_index=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | models.Q(case__isnull=False)
                | models.Q(request__isnull=False),
                name="retention_hold_covers_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def active(self) -> bool:
        return self.released_at is None

    @property
    def covers(self) -> str:
        if self.person_id:
            return f"person {self.person.public_id}"
        if self.case_id:
            return f"case {self.case.reference}"
        return f"request {self.request.reference}"


class SweepRun(models.Model):
    """One run of the schedule (or its dry run): counts by record class, and what was held and why."""

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    started_by = models.CharField(max_length=150, default="system")
    # {class: {"action", "period", "due", "done", "held", "models": {label: n}}}
    counts = models.JSONField(default=dict)
    held = models.JSONField(default=dict)  # {reason: count}
    seconds = models.FloatField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{'Dry run' if self.dry_run else 'Sweep'} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total_due(self) -> int:
        return sum(c.get("due", 0) for c in self.counts.values())

    @property
    def total_done(self) -> int:
        return sum(c.get("done", 0) for c in self.counts.values())

    @property
    def total_held(self) -> int:
        return sum(self.held.values())


class ErasureRequest(models.Model):
    """A request to be forgotten (UK GDPR Art. 17), or the records of a resident who has died."""

    class Grounds(models.TextChoices):
        ERASURE = "erasure", "Right to erasure (the resident asked)"
        DECEASED = "deceased", "The resident has died"

    class Status(models.TextChoices):
        OPEN = "open", "To decide"
        DONE = "done", "Erased"
        CANCELLED = "cancelled", "Cancelled"

    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="erasure_requests"
    )
    person_public_id = models.CharField(max_length=12, db_index=True)
    grounds = models.CharField(max_length=10, choices=Grounds.choices, default=Grounds.ERASURE)
    received_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What was erased and kept, by record class and reason: counts only, never identifiers.
    result = models.JSONField(default=dict, blank=True)
    teams_told = models.JSONField(default=list, blank=True)
    certificate = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference


class ReplayEntry(models.Model):
    """What an erasure removed, as keyed hashes, so ``hub retention replay`` can remove it again from
    a restored backup. Also appended to ``RETENTION_REPLAY_LOG`` (a file kept outside the database,
    since restoring the database would take this table back too)."""

    erasure = models.ForeignKey(ErasureRequest, on_delete=models.PROTECT, related_name="replay")
    at = models.DateTimeField(default=timezone.now)
    keys = models.JSONField(default=dict)  # {"case": [hmac...], "record": [...], "email": [...], ...}

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"replay of {self.erasure_id}"
