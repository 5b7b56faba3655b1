from django.contrib import admin

from .models import Directorate, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate", "email"]
    list_filter = ["directorate"]
    inlines = [MembershipInline]
    search_fields = ["name"]
