from django.contrib import admin

from . import calendar_actions
from .actions import Actor
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
    """Council closure days, written through core.calendar_actions: every open due date moves."""

    list_display = ["date", "reason"]

    def save_model(self, request, obj, form, change):
        calendar_actions.save_closure_day(obj, by=Actor.from_request(request))

    def delete_model(self, request, obj):
        calendar_actions.remove_closure_day(obj, by=Actor.from_request(request))

    def delete_queryset(self, request, queryset):
        for day in queryset:
            calendar_actions.remove_closure_day(day, by=Actor.from_request(request))
