"""The service catalogue: what residents can ask for, its form, its workflow and its clock.

Services are loaded from the catalogue YAML (see docs/catalogue.md) by ``services.actions``;
the form and workflow are kept as the validated JSON of that file and read through
``services.definitions``.
"""

from __future__ import annotations

from functools import cached_property

from django.db import models

from residenthub.accounts.models import Team

from .definitions import FormDefinition, Workflow


class LgslService(models.Model):
    code = models.PositiveIntegerField(primary_key=True)
    description = models.CharField(max_length=300)
    providing_tier = models.CharField(max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = "LGSL service"

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"


class Service(models.Model):
    class Contact(models.TextChoices):
        REQUIRED = "required", "Required"
        OPTIONAL = "optional", "Optional"

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=150)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=100, blank=True)
    lgsl = models.ForeignKey(LgslService, on_delete=models.PROTECT, related_name="services")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="services")
    target_working_days = models.PositiveSmallIntegerField()
    workflow_name = models.CharField(max_length=80)
    workflow_definition = models.JSONField()
    form_definition = models.JSONField()
    restricted = models.BooleanField(default=False, help_text="Only the owning team may see its cases.")
    open311 = models.BooleanField(
        default=False,
        help_text="Listed in Open311, its requests readable by anyone: reports about public places only.",
    )
    contact = models.CharField(max_length=10, choices=Contact.choices, default=Contact.REQUIRED)
    keywords = models.JSONField(default=list, blank=True)
    response_templates = models.JSONField(default=list, blank=True)
    remind_at_share = models.FloatField(
        default=0.75, help_text="Remind the assignee when this share of the target time has passed."
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def form(self) -> FormDefinition:
        return FormDefinition.from_json(self.form_definition)

    @cached_property
    def workflow(self) -> Workflow:
        return Workflow.from_json(self.workflow_definition)
