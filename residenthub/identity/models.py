"""The single resident view: sources, their records (with history), persons, households, linkage runs,
clerical review, and the links from cases to persons. Only ``actions.py`` writes these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.core.models import AppendOnlyModel


class Source(models.Model):
    """A council system whose extracts are imported (council tax, housing, social care...)."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    restricted = models.BooleanField(
        default=False, help_text="Records are shown only to members of the owning team (e.g. social care)."
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="identity_sources"
    )
    mapping = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="imports")
    at = models.DateTimeField(default=timezone.now)
    location = models.CharField(max_length=500, blank=True)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.source_id} import {self.pk}"


class SourceRecord(models.Model):
    """One row of one source, as last imported. ``standard`` is what linkage sees."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records")
    source_key = models.CharField(max_length=120)
    data = models.JSONField(default=dict)  # the mapped raw values
    standard = models.JSONField(default=dict)  # the standardised record
    fingerprint = models.CharField(max_length=64)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    removed = models.BooleanField(default=False, help_text="No longer in the source's latest extract.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="identity_record_unique")
        ]

    def __str__(self) -> str:
        return self.uid

    @property
    def uid(self) -> str:
        return f"{self.source.slug}:{self.source_key}"


class SourceRecordVersion(models.Model):
    """Append-only history: each distinct version of a source record, by import."""

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="versions")
    import_run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"version {self.pk} of record {self.record_id}"


class CandidateKey(models.Model):
    """The point-of-entry candidate index: blocking keys of every record."""

    key = models.CharField(max_length=200, db_index=True)
    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="candidate_keys")

    def __str__(self) -> str:
        return self.key


class LinkageRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    backend = models.CharField(max_length=20, default="duckdb")
    thresholds = models.JSONField(default=dict)
    model = models.JSONField(default=dict, help_text="The trained Splink model (settings with m and u).")
    tf_tables = models.JSONField(default=dict)
    timings = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"linkage run {self.pk}"


class Person(models.Model):
    public_id = models.CharField(max_length=12, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    archived = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.public_id


class PersonLink(models.Model):
    """Which person a source record belongs to. ``locked`` links were set by a person, not a run."""

    record = models.OneToOneField(SourceRecord, on_delete=models.CASCADE, related_name="link")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="links")
    probability = models.FloatField(null=True, blank=True)
    run = models.ForeignKey(LinkageRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    locked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"record {self.record_id} -> person {self.person_id}"


class PersonEvent(AppendOnlyModel):
    """Merges, splits and their reversal. ``moves`` lists record ids with their person before/after.

    Append-only (ORM guard and, on PostgreSQL, a trigger): an undo is a new event that names the
    one it ``reverses``; the original is never changed (``event.reversed_by`` reads the undo).
    """

    class Kind(models.TextChoices):
        CREATED = "created"
        MERGE = "merge"
        SPLIT = "split"
        MANUAL_MERGE = "manual_merge"
        MANUAL_SPLIT = "manual_split"
        UNDO = "undo"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    other = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    moves = models.JSONField(default=list)  # [[record_pk, from_person_pk, to_person_pk], ...]
    run = models.ForeignKey(LinkageRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_reversed(self) -> bool:
        return PersonEvent.objects.filter(reverses=self).exists()


class ReviewPair(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted", "Same person"
        REJECTED = "rejected", "Different people"
        SKIPPED = "skipped"

    record_l = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_r = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField(default=0)
    explanation = models.JSONField(default=dict)  # comparison -> contribution to the match weight
    run = models.ForeignKey(LinkageRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record_l", "record_r"], name="identity_review_unique")
        ]

    def __str__(self) -> str:
        return f"review pair {self.pk}"


class Household(models.Model):
    public_id = models.CharField(max_length=12, unique=True)
    key = models.CharField(max_length=300, unique=True)  # uprn:... or addr:flat|number|street|postcode
    label = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.label or self.public_id


class HouseholdMembership(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    since = models.CharField(max_length=10, blank=True)  # earliest record date at this address
    until = models.CharField(max_length=10, blank=True)  # set when a later address is known
    current = models.BooleanField(default=True)
    # The sources whose records put this person at this address: staff see the membership only if they
    # may see one of them, so an address known only to social care stays with social care.
    source_ids = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "person"], name="identity_member_unique")]

    def __str__(self) -> str:
        return f"person {self.person_id} in household {self.household_id}"


class CaseLink(models.Model):
    """The point-of-entry answer for a case: which person it belongs to, and how sure we are."""

    class Status(models.TextChoices):
        LINKED = "linked"
        REVIEW = "review", "Needs review"
        NEW = "new", "New person"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="identity_link")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_links"
    )
    record = models.OneToOneField(
        SourceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    probability = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    decided_by = models.CharField(max_length=20, default="system")
    checked_ms = models.FloatField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"case {self.case_id} -> person {self.person_id}"
