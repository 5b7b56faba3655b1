"""Resident accounts ("contact once"), tell-us-once address changes, tasks for service teams, and the
flags staff see on a person. Written only by ``residents.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.cases.models import NotifyBy
from residenthub.core.models import TimeStampedModel


class ResidentAccount(TimeStampedModel):
    """What a signed-in resident told us once: forms start from it, letters go to its address."""

    email = models.EmailField(unique=True, help_text="Lower case; the address they sign in with.")
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    address = models.ForeignKey(
        "core.Address",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="From the council's address list.",
    )
    language = models.CharField(max_length=10, default="en")
    notify_by = models.CharField(max_length=8, choices=NotifyBy.choices, default=NotifyBy.EMAIL)
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"resident account {self.pk}"

    @property
    def postal_address(self) -> str:
        """Lines for a letter: name, then the address from the council's list."""
        if self.address is None:
            return ""
        a = self.address
        return "\n".join(x for x in [self.name, a.line1, a.line2, a.town, a.postcode] if x)


class AddressChange(models.Model):
    """One "I have moved" from a resident, and what it set in motion."""

    account = models.ForeignKey(ResidentAccount, on_delete=models.CASCADE, related_name="moves")
    old_address = models.ForeignKey(
        "core.Address", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_address = models.ForeignKey("core.Address", on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    council_tax_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_cases = models.JSONField(default=list, help_text="References of open cases it was offered to.")
    updated_cases = models.JSONField(default=list, help_text="References the resident chose to update.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"address change {self.pk}"


class TeamTask(models.Model):
    """Work for a team that is not a resident's request: e.g. "this resident moved, update your
    records". Listed at /staff/tasks/ for the team."""

    class Kind(models.TextChoices):
        ADDRESS_CHANGE = "address_change", "Change of address"

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change = models.ForeignKey(
        AddressChange, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    records = models.JSONField(default=list, help_text="The team's source records for the person.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "-created_at"]
        indexes = [models.Index(fields=["team", "done_at"], name="team_task_open")]

    def __str__(self) -> str:
        return f"task {self.pk} for team {self.team_id}"


class PersonFlag(models.Model):
    """Something staff should know before contacting a resident, with who set it and when."""

    class Kind(models.TextChoices):
        VULNERABLE = "vulnerable", "May be vulnerable"
        INTERPRETER = "interpreter", "Interpreter needed"
        ADJUSTMENTS = "adjustments", "Reasonable adjustments"

    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=20, default="staff", help_text="staff or triage")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-set_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on person {self.person_id}"
