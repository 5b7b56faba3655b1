from django.contrib import admin

from .models import Address, AuditEntry, ClosureDay


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
