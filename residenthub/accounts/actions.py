"""The writers of staff accounts and team memberships (ADR 0060).

Staff accounts are otherwise made in the admin (Django's own, audited by the admin log); these
actions are for loaders and commands that set up a council's staff in bulk.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from residenthub.core.actions import atomic, audit

from .models import Membership, Team


@atomic
def ensure_staff_user(
    username: str,
    *,
    by: Any,
    password: str,
    superuser: bool = False,
    team: Team | None = None,
    role: str = Membership.Role.OFFICER,
    groups: tuple[str, ...] | list[str] = (),
    **details: Any,
) -> Any:
    """The staff account ``username``, made with ``password`` if it did not exist (idempotent), a member
    of ``team`` with ``role`` if given, and of the named ``groups``. An existing account keeps its
    password and details."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, is_staff=True, is_superuser=superuser, **details)
        user.set_password(password)
        user.save()
        audit(by, "accounts.staff.created", user, superuser=superuser)
    if team is not None:
        _membership, created = Membership.objects.get_or_create(user=user, team=team, defaults={"role": role})
        if created:
            audit(by, "accounts.membership.added", user, team=team.slug, role=role)
    for name in groups:  # e.g. councillors (read-only insights)
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def pending_totp_device(user: Any) -> Any:
    """The authenticator key being set up for ``user`` (made once, kept until confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "app"})
    return device


@atomic
def confirm_totp_device(device: Any, *, by: Any) -> Any:
    """The first code was right: the key is the user's second factor from now on (audited)."""
    device.confirmed = True
    device.save()
    audit(by, "staff.two_factor_set_up", device.user)
    return device
