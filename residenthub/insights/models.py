"""Insights' own tables: daily roll-ups of the other apps' data, report definitions and their archive,
and the strategy's benefits tracker. Insights reads every other app; it writes only these, and only
through ``insights.actions`` (or the roll-up builder, which owns the roll-up tables)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

UNKNOWN_WARD = "Unknown"


class DailyCaseStat(models.Model):
    """Cases of one day in one cell (service, team, ward, channel). Rebuilt day by day, never by hand."""

    day = models.DateField()
    service_id = models.IntegerField()
    team_id = models.IntegerField()
    ward = models.CharField(max_length=100)
    channel = models.CharField(max_length=16)
    received = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_in_time = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "service_id"], name="insights_stat_day")]

    def __str__(self) -> str:
        return f"{self.day} service {self.service_id} {self.ward} {self.channel}"


class DailyCloseTime(models.Model):
    """How many cases of a cell closed on ``day`` after ``working_days`` working days: exact medians
    and 90th percentiles from a small table."""

    day = models.DateField()
    service_id = models.IntegerField()
    team_id = models.IntegerField()
    ward = models.CharField(max_length=100)
    channel = models.CharField(max_length=16)
    working_days = models.IntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "service_id"], name="insights_close_day")]

    def __str__(self) -> str:
        return f"{self.day} service {self.service_id}: {self.count} in {self.working_days} days"


class DailyBacklog(models.Model):
    """Open cases at the end of ``day`` in one cell, by age band in working days."""

    day = models.DateField()
    service_id = models.IntegerField()
    team_id = models.IntegerField()
    ward = models.CharField(max_length=100)
    channel = models.CharField(max_length=16)
    open_cases = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    age_0_5 = models.PositiveIntegerField(default=0)
    age_6_10 = models.PositiveIntegerField(default=0)
    age_11_20 = models.PositiveIntegerField(default=0)
    age_over_20 = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "service_id"], name="insights_backlog_day")]

    def __str__(self) -> str:
        return f"{self.day} service {self.service_id}: {self.open_cases} open"


class MonthlyCaseStat(models.Model):
    """The daily case figures of one month summed per cell: ``month`` is the month's first day. The
    roll-up job rewrites a month whenever it rebuilds any of its days, so a month row always equals
    the sum of that month's daily rows (docs/adr/0085-monthly-rollups.md)."""

    month = models.DateField()
    service_id = models.IntegerField()
    team_id = models.IntegerField()
    ward = models.CharField(max_length=100)
    channel = models.CharField(max_length=16)
    received = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_in_time = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "service_id"], name="insights_mstat_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} service {self.service_id} {self.ward} {self.channel}"


class MonthlyCloseTime(models.Model):
    """``DailyCloseTime`` summed over a month: closing-time distributions of whole months."""

    month = models.DateField()
    service_id = models.IntegerField()
    team_id = models.IntegerField()
    ward = models.CharField(max_length=100)
    channel = models.CharField(max_length=16)
    working_days = models.IntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "service_id"], name="insights_mclose_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} service {self.service_id}: {self.count} in {self.working_days} days"


class RollupDay(models.Model):
    """A day whose roll-ups are built, and when: the nightly job catches up from the last one."""

    day = models.DateField(primary_key=True)
    built_at = models.DateTimeField(default=timezone.now)
    cases = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}"


class JourneyStart(models.Model):
    """A resident's form journey seen in progress (a draft in a session): the denominator of the
    completion rate. Only the draft's random key and the service; nothing about the resident."""

    key = models.CharField(max_length=64, unique=True)
    service_code = models.CharField(max_length=80, db_index=True)
    started_on = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"{self.service_code} {self.started_on}"


class ReportDefinition(models.Model):
    """A report as data (loaded from the reports YAML): which panels, filters, who gets it, how often."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        WEEKLY = "weekly", "Weekly"
        ANNUAL = "annual", "Annual (on request)"

    name = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, default="services")  # "services" or "cabinet"
    panels = models.JSONField(default=list)
    filters = models.JSONField(default=dict)
    recipients = models.JSONField(default=list)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title


class ReportRun(models.Model):
    """One rendered report, kept in the archive (PDF and CSV)."""

    definition = models.ForeignKey(ReportDefinition, on_delete=models.PROTECT, related_name="runs")
    period = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.CharField(max_length=150, default="system")
    pdf = models.BinaryField()
    csv = models.TextField()
    pages = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    sent_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "period", "created_at"], name="insights_run_unique")
        ]

    def __str__(self) -> str:
        return f"{self.definition.name} {self.period}"


# --- the benefits tracker ------------------------------------------------------------------------


class Programme(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    budget = models.JSONField(default=dict, help_text="{year: £'000} planned spend (Table 1).")
    spend = models.JSONField(default=dict, help_text="{year: £'000} actual spend.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="projects")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["programme__position", "name"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=200)
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.name


class Benefit(models.Model):
    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="benefits"
    )
    directorate = models.CharField(max_length=120)
    owner = models.CharField(max_length=150)
    cashable = models.BooleanField(default=True)
    baseline = models.DecimalField(max_digits=12, decimal_places=1, default=0, help_text="£'000 a year")
    targets = models.JSONField(default=dict, help_text="{year: £'000}")
    actuals = models.JSONField(default=dict, help_text="{year: £'000} reported by the owner")
    measure = models.JSONField(
        default=dict, blank=True, help_text="{kind, parameters}: measured from the platform."
    )
    rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.AMBER)
    rag_rationale = models.TextField()
    rag_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["directorate", "name"]

    def __str__(self) -> str:
        return self.name


class RagChange(models.Model):
    """The history of a benefit's RAG status. Written only by ``actions.set_rag``; never changed."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="rag_history")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_label = models.CharField(max_length=150, blank=True)
    from_rag = models.CharField(max_length=5, blank=True)
    to_rag = models.CharField(max_length=5)
    rationale = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.benefit_id}: {self.from_rag} -> {self.to_rag}"


class BenefitsLoad(models.Model):
    """One load of the benefits YAML: what it held and every disagreement the loader found."""

    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=500)
    register = models.JSONField(default=dict)  # Table 3 as the file gives it
    findings = models.JSONField(default=list)  # [{"where", "message"}]

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"benefits loaded {self.at:%Y-%m-%d %H:%M}"
