"""Interim staff tools in the Django admin, until the back office lands.

Status changes and updates go through ``cases.actions`` so the timeline, the resident's
notification and the audit entry are always written; every other field is read-only.
"""

from django import forms
from django.contrib import admin, messages

from residenthub.accounts.queries import case_visibility
from residenthub.core import audit
from residenthub.core.audit import client_ip

from . import actions
from .models import Attachment, Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "from_status", "to_status", "public", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CaseActionForm(forms.ModelForm):
    new_status = forms.ChoiceField(required=False, label="Move to status")
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for some statuses, e.g. closing without action. Seen by the resident.",
    )
    public_message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Message to the resident",
        help_text="Sent with the status change, or on its own as an update.",
    )
    internal_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Staff only."
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.instance
        self.fields["version"].initial = case.version
        choices = [("", f"Keep as ‘{case.status_definition.label}’")]
        choices += [(s.code, s.label) for s in case.service.workflow.allowed_from(case.status)]
        self.fields["new_status"].choices = choices

    def clean(self):
        data = super().clean()
        case = self.instance
        if data.get("version") is not None and data["version"] != case.version:
            raise forms.ValidationError(
                "Someone else changed this case while you were looking at it. "
                "Reload the page to see the latest details."
            )
        if data.get("new_status"):
            target = case.service.workflow.status(data["new_status"])
            if target.reason_required and not data.get("reason", "").strip():
                self.add_error("reason", f"Give a reason for moving the case to ‘{target.label}’.")
        return data


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "service", "status", "priority", "due_date", "channel", "created_at"]
    list_filter = ["is_open", "service__team", "service", "channel", "priority"]
    search_fields = ["reference", "postcode"]
    list_select_related = ["service"]
    inlines = [CaseEventInline, AttachmentInline]
    readonly_fields = [
        "reference",
        "service",
        "status",
        "is_open",
        "answers",
        "location_text",
        "postcode",
        "uprn",
        "contact_name",
        "contact_email",
        "contact_phone",
        "notify_by",
        "channel",
        "channel_detail",
        "priority",
        "restricted",
        "due_date",
        "closed_at",
        "created_at",
    ]
    form = CaseActionForm
    fieldsets = [
        (
            "Case",
            {
                "fields": [
                    "reference",
                    "service",
                    "status",
                    "is_open",
                    "priority",
                    "due_date",
                    "closed_at",
                    "channel",
                    "channel_detail",
                    "created_at",
                ]
            },
        ),
        ("What the resident told us", {"fields": ["answers", "location_text", "postcode", "uprn"]}),
        ("Contact", {"fields": ["contact_name", "contact_email", "contact_phone", "notify_by"]}),
        (
            "Act on this case",
            {"fields": ["new_status", "reason", "public_message", "internal_note", "version"]},
        ),
    ]

    def get_queryset(self, request):
        """Staff see their teams' cases; restricted cases only by their own team."""
        return super().get_queryset(request).select_related("service").filter(case_visibility(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None and case.restricted:
            audit.record("case.viewed", case, actor=request.user, ip=client_ip(request))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        ip = client_ip(request)
        version = data["version"]
        try:
            if data["new_status"]:
                obj = actions.transition(
                    obj,
                    data["new_status"],
                    by=request.user,
                    reason=data["reason"],
                    public_message=data["public_message"],
                    expected_version=version,
                    ip=ip,
                )
                version = obj.version
            elif data["public_message"].strip():
                obj = actions.add_public_update(
                    obj, data["public_message"], by=request.user, expected_version=version, ip=ip
                )
                version = obj.version
            if data["internal_note"].strip():
                actions.add_internal_note(
                    obj, data["internal_note"], by=request.user, expected_version=version, ip=ip
                )
        except actions.ActionError as exc:
            messages.error(request, str(exc))

    def save_related(self, request, form, formsets, change):
        """Inlines are read-only; nothing to save."""

    def log_change(self, request, obj, message):
        """The audit trail is written by the actions; skip the admin's own log."""
