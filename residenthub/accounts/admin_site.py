"""The Django admin, behind the same doors as the staff pages.

Django's default admin site lets a password alone in. Here the admin asks ``permissions`` like every
other page: signed in through the staff sign-in (django-axes lock-out), past the second factor where
it is required, active staff. Its own login page only sends people to the staff sign-in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse


class HubAdminSite(admin.AdminSite):
    site_header = "Resident Hub administration"
    site_title = "Resident Hub"

    def has_permission(self, request) -> bool:
        from . import permissions  # this module loads before the models are ready

        # Then Django's model permissions decide each screen (officers hold none unless given them).
        return permissions.is_verified_staff(request.user)

    def login(self, request, extra_context=None):
        """Send everyone to the staff sign-in (password, lock-out, then the second factor)."""
        from . import permissions

        target = request.GET.get("next") or reverse("admin:index")
        user = request.user
        if permissions.is_active_staff(user) and permissions.needs_second_factor(user):
            return redirect(f"{reverse('backoffice:two_factor')}?{urlencode({'next': target})}")
        return redirect(f"{reverse('backoffice:login')}?{urlencode({'next': target})}")


class HubAdminConfig(AdminConfig):
    default_site = "residenthub.accounts.admin_site.HubAdminSite"
