"""Who may see what. The one place that answers "can this staff user see this case?"."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from .models import Membership


def team_ids_for(user) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff or not user.is_active:
        return set()
    cached = getattr(user, "_team_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("team_id", flat=True))
        user._team_ids = cached
    return cached


def roles_for(user) -> set[str]:
    """The user's roles across teams, plus "administrator" for superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return set()
    cached = getattr(user, "_roles", None)
    if cached is None:
        cached = set(user.memberships.values_list("role", flat=True))
        if user.is_superuser:
            cached.add("administrator")
        user._roles = cached
    return cached


def is_manager(user) -> bool:
    """Team leaders, service managers and administrators: may read the audit trail and export."""
    return bool(
        roles_for(user) & {Membership.Role.TEAM_LEADER, Membership.Role.SERVICE_MANAGER, "administrator"}
    )


def case_visibility(user) -> Q:
    """A filter on cases for what ``user`` may see.

    Staff see cases of their teams (the team dealing with it, the team owning its service, or a
    team it was referred to). Administrators also see every unrestricted case. Restricted cases
    (social care, safeguarding) are visible only to those teams, whoever you are.
    """
    from residenthub.cases.models import CaseAccess

    teams = team_ids_for(user)
    if not teams and not getattr(user, "is_superuser", False):
        return Q(pk__in=[])
    referred = Exists(CaseAccess.objects.filter(case=OuterRef("pk"), team_id__in=teams))
    mine = Q(team_id__in=teams) | Q(service__team_id__in=teams) | Q(referred)
    if user.is_superuser and user.is_active and user.is_staff:
        return mine | Q(restricted=False)
    return mine


def can_see_case(user, case) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_staff or not user.is_active:
        return False
    teams = team_ids_for(user)
    if case.team_id in teams or case.service.team_id in teams:
        return True
    if case.access_grants.filter(team_id__in=teams).exists():
        return True
    return user.is_superuser and not case.restricted


def team_alert_addresses(team) -> list[str]:
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
