from django.contrib import admin, messages

from .jobs import retry_failed
from .models import Address, AuditEntry, ClosureDay, OutboxMessage


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody can add, change or delete audit entries."""

    list_display = ["at", "actor", "actor_label", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


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

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed messages again")
    def retry(self, request, queryset):
        count = retry_failed(queryset)
        self.message_user(request, f"{count} message(s) queued to send again.", messages.SUCCESS)


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["uprn", "line1", "line2", "town", "postcode"]
    search_fields = ["uprn", "postcode", "line1"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    """Council closure days. Adding or removing one recalculates every open case's due date."""

    list_display = ["date", "reason"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _calendar_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _calendar_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _calendar_changed()


def _calendar_changed():
    from django.db import transaction

    from residenthub.cases.jobs import recalculate_due_dates

    from .calendar import forget_closure_days

    forget_closure_days()
    transaction.on_commit(recalculate_due_dates.delay)
