from django.contrib import admin

from .models import LgslService, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """Read-only view of the catalogue: it is edited in the catalogue YAML, not here."""

    list_display = ["name", "code", "lgsl", "team", "target_working_days", "restricted", "active"]
    list_filter = ["team", "restricted", "active", "category"]
    search_fields = ["name", "code", "keywords"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LgslService)
class LgslServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "providing_tier"]
    search_fields = ["code", "description"]

    def has_change_permission(self, request, obj=None):
        return False
