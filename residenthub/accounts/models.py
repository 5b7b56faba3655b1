"""Directorates, teams and who belongs to them. Staff users are Django users."""

from django.conf import settings
from django.db import models

# The read-only councillor role is this auth group (migration 0002): insights only, no cases.
COUNCILLOR_GROUP = "councillor"


class Directorate(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="teams")
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OFFICER = "officer", "Officer"
        TEAM_LEADER = "team_leader", "Team leader"
        SERVICE_MANAGER = "service_manager", "Service manager"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_team")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.get_role_display()})"
