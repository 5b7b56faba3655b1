"""Staff sign-in: username and password (django-axes locks out repeated failures), then a TOTP
code where two-factor authentication is on (django-otp)."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from residenthub.accounts.permissions import is_active_staff, is_councillor_only, needs_second_factor

__all__ = ["needs_second_factor", "safe_next", "staff_or_councillor_required", "staff_required"]


def staff_required(view, *, councillors: bool = False):
    """Signed in, staff, and past the second factor when it is required. Councillors (read-only,
    no team) reach only views that say ``councillors=True`` (``staff_or_councillor_required``)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not is_active_staff(user):
            return redirect(f"{reverse('backoffice:login')}?next={request.get_full_path()}")
        if needs_second_factor(user):
            return redirect(f"{reverse('backoffice:two_factor')}?next={request.get_full_path()}")
        if not councillors and is_councillor_only(user):
            if request.path == reverse("backoffice:queue"):  # where sign-in lands: their dashboards
                return redirect("insights:dashboard")
            raise PermissionDenied("Councillors see the insights pages only.")
        return view(request, *args, **kwargs)

    return wrapper


def staff_or_councillor_required(view):
    return staff_required(view, councillors=True)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
