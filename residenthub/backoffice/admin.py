"""Admin screens that show case data: filtered by the same visibility rule as the staff pages, and
every view of a restricted case's message audited. Registered here, not in ``core``, because they
need the case rules (``accounts.permissions``) that sit above core."""

from django.contrib import admin, messages
from django.db.models import Q

from residenthub.accounts.permissions import case_visibility
from residenthub.cases.models import Case
from residenthub.core.actions import Actor, audit
from residenthub.core.models import OutboxMessage
from residenthub.core.outbox import retry_failed


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Failed and waiting notifications, so staff can see them and send them again."""

    list_display = [
        "created_at",
        "channel",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "case",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["case__reference"]
    actions = ["retry"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def get_queryset(self, request):
        """Messages of cases the user may see (restricted ones only to their teams), and messages
        about no case (staff alerts, sign-in links)."""
        visible = Case.objects.filter(case_visibility(request.user)).values("pk")
        return (
            super()
            .get_queryset(request)
            .select_related("case")
            .filter(Q(case__isnull=True) | Q(case__in=visible))
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        message = self.get_object(request, object_id)
        if message is not None and message.case_id and message.case.restricted:
            audit(Actor.from_request(request), "outbox.viewed", message, case=message.case.reference)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed messages again")
    def retry(self, request, queryset):
        count = retry_failed(queryset)
        self.message_user(request, f"{count} message(s) queued to send again.", messages.SUCCESS)
