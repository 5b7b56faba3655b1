"""Read helpers about staff and teams. Access rules are in ``permissions``."""

from __future__ import annotations

from typing import Any

from .models import Membership

# The access rules live in permissions.py; these names stay importable from here.
from .permissions import can_see_case, case_visibility, is_manager, roles_for, team_ids_for  # noqa: F401


def team_alert_addresses(team: Any) -> list[str]:
    """Where a team's alerts go: its mailbox, then its active team leaders' and service managers'
    own addresses, each once (case-insensitively), in that order."""
    if team is None:
        return []
    leaders = (
        Membership.objects.filter(
            team=team,
            role__in=[Membership.Role.TEAM_LEADER, Membership.Role.SERVICE_MANAGER],
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    seen: dict[str, str] = {}
    for address in [team.email, *leaders]:
        if address and address.strip().lower() not in seen:
            seen[address.strip().lower()] = address.strip()
    return list(seen.values())
