"""Who may see what. The one place that answers "can this staff user see this case?"."""

from __future__ import annotations


def team_ids_for(user) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return set()
    cached = getattr(user, "_team_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("team_id", flat=True))
        user._team_ids = cached
    return cached


def can_see_case(user, case) -> bool:
    """Staff see their own teams' cases; superusers see unrestricted cases of any team.

    Restricted cases (social care, safeguarding) are visible only to the owning team, whoever
    you are.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_staff or not user.is_active:
        return False
    if case.service.team_id in team_ids_for(user):
        return True
    return user.is_superuser and not case.restricted
