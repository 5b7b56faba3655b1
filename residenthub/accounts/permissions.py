"""Who may do what: the one place every view, API, admin screen, export and job asks.

A staff user counts only when signed in, active, staff and past the second factor where it is
required. Team membership decides which cases, identity sources and queues they reach; roles
decide what they may approve or read across teams. Restricted data (social care, safeguarding)
goes only to its own teams, whoever you are (docs/adr/0006-case-access.md, SECURITY.md).

``tests/security/test_url_matrix.py`` walks every URL pattern with every persona, so a new view
that forgets to ask here fails the suite.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from .models import Membership

MANAGER_ROLES = frozenset({Membership.Role.TEAM_LEADER, Membership.Role.SERVICE_MANAGER, "administrator"})
LEAD_ROLES = frozenset({Membership.Role.TEAM_LEADER, Membership.Role.SERVICE_MANAGER})


# --- Who is staff ------------------------------------------------------------------------------------


def is_active_staff(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_staff", False)
        and getattr(user, "is_active", False)
    )


def needs_second_factor(user) -> bool:
    """True while a user who must use a second factor has not passed it in this session."""
    if not settings.STAFF_2FA_REQUIRED:
        return False
    # OTPMiddleware adds is_verified() to request.user; a user fresh from authenticate() has not
    # passed the second factor yet.
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def is_verified_staff(user) -> bool:
    """Signed in, active, staff, and past the second factor where it is required."""
    return is_active_staff(user) and not needs_second_factor(user)


# --- Teams and roles ---------------------------------------------------------------------------------


def team_ids_for(user) -> set[int]:
    if not is_active_staff(user):
        return set()
    cached = getattr(user, "_team_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("team_id", flat=True))
        user._team_ids = cached
    return cached


def roles_for(user) -> set[str]:
    """The user's roles across teams, plus "administrator" for superusers."""
    if not is_active_staff(user):
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
    return bool(roles_for(user) & MANAGER_ROLES)


def is_lead_of(user, team_id: int | None) -> bool:
    """A team leader or service manager of that team."""
    if team_id is None or not is_active_staff(user):
        return False
    return user.memberships.filter(team_id=team_id, role__in=LEAD_ROLES).exists()


def team_slugs_for(user) -> set[str]:
    """The slugs of the user's teams, read once per request (pages ask several rules)."""
    if not is_active_staff(user):
        return set()
    cached = getattr(user, "_team_slugs", None)
    if cached is None:
        cached = set(user.memberships.values_list("team__slug", flat=True))
        user._team_slugs = cached
    return cached


def in_team_slugs(user, slugs) -> bool:
    return bool(team_slugs_for(user) & set(slugs))


def is_councillor(user) -> bool:
    """A member of the read-only ``councillor`` group: insights dashboards and reports only."""
    if not is_verified_staff(user):
        return False
    cached = getattr(user, "_is_councillor", None)
    if cached is None:
        from .models import COUNCILLOR_GROUP

        cached = user.groups.filter(name=COUNCILLOR_GROUP).exists()
        user._is_councillor = cached
    return cached


def is_councillor_only(user) -> bool:
    """A councillor with no team and no administrator rights: kept out of every case, queue and
    resident page (they read aggregates, never people)."""
    return is_councillor(user) and not user.is_superuser and not team_ids_for(user)


def is_finance(user) -> bool:
    """Finance staff (``PAYMENTS_FINANCE_TEAMS``) and administrators: every payment, the mismatches."""
    if not is_active_staff(user):
        return False
    return user.is_superuser or in_team_slugs(user, settings.PAYMENTS_FINANCE_TEAMS)


def can_work_minutes(user) -> bool:
    """Democratic services (the clerks, ``MINUTES_TEAM``) and administrators."""
    if not is_verified_staff(user):
        return False
    return user.is_superuser or in_team_slugs(user, [settings.MINUTES_TEAM])


def can_read_closed_minutes(user) -> bool:
    """Closed (Part II / exempt) items' transcript and recording: only ``MINUTES_CLOSED_ROLES`` within
    the minutes team (administrators when that list names them)."""
    if not can_work_minutes(user):
        return False
    if user.is_superuser and "administrator" in settings.MINUTES_CLOSED_ROLES:
        return True
    roles = set(user.memberships.filter(team__slug=settings.MINUTES_TEAM).values_list("role", flat=True))
    return bool(roles & set(settings.MINUTES_CLOSED_ROLES))


def can_use_callbacks(user) -> bool:
    """The phone callback list: staff in a team (each sees its own; the contact centre all)."""
    return is_verified_staff(user) and (user.is_superuser or bool(team_ids_for(user)))


def can_view_insights(user) -> bool:
    return is_verified_staff(user) and (is_manager(user) or is_councillor(user))


def can_edit_benefits(user) -> bool:
    """Set a benefit's RAG status and run reports on demand: leads and administrators, never councillors."""
    return is_verified_staff(user) and is_manager(user) and not is_councillor(user)


# --- Cases -------------------------------------------------------------------------------------------


def case_visibility(user) -> Q:
    """A filter on cases for what ``user`` may read.

    Staff see cases of their teams (the team dealing with it, the team owning its service, or a
    team it was referred to). Administrators also see every unrestricted case. Restricted cases
    (social care, safeguarding) are visible only to those teams, whoever you are.
    """
    # Looked up by name: access rules live here, below the apps whose models they filter (ADR 0060).
    CaseAccess = apps.get_model("cases", "CaseAccess")  # noqa: N806

    teams = team_ids_for(user)
    if not teams and not getattr(user, "is_superuser", False):
        return Q(pk__in=[])
    referred = Exists(CaseAccess.objects.filter(case=OuterRef("pk"), team_id__in=teams))
    mine = Q(team_id__in=teams) | Q(service__team_id__in=teams) | Q(referred)
    if user.is_superuser and user.is_active and user.is_staff:
        return mine | Q(restricted=False)
    return mine


def can_see_case(user, case) -> bool:
    if not is_active_staff(user):
        return False
    teams = team_ids_for(user)
    if case.team_id in teams or case.service.team_id in teams:
        return True
    if case.access_grants.filter(team_id__in=teams).exists():
        return True
    return user.is_superuser and not case.restricted


def can_work_case(user, case) -> bool:
    """Change status, assign, re-route, set priority: the team dealing with the case or owning its
    service, and administrators on unrestricted cases. A team that only received a referral may
    read the case and add notes, nothing more."""
    if not is_active_staff(user):
        return False
    teams = team_ids_for(user)
    if case.team_id in teams or case.service.team_id in teams:
        return True
    return user.is_superuser and not case.restricted


def can_note_case(user, case) -> bool:
    """Add an internal note or a message to the resident: anyone who may read the case."""
    return can_see_case(user, case)


def can_lift_restriction(user, case) -> bool:
    """Only a lead of the team that owns the case's restricted service (or of the team dealing with
    it) may make a restricted case unrestricted."""
    return is_lead_of(user, case.service.team_id) or is_lead_of(user, case.team_id)


# --- Front door, information requests ----------------------------------------------------------------


def can_triage(user) -> bool:
    """Staff who read the front door's messages: the contact centre team(s), and administrators."""
    if not is_active_staff(user):
        return False
    return user.is_superuser or in_team_slugs(user, settings.TRIAGE_TEAMS)


def can_work_requests(user) -> bool:
    """Information governance: FOI, EIR, subject access and complaints."""
    if not is_active_staff(user):
        return False
    return user.is_superuser or in_team_slugs(user, [settings.FOI_TEAM])


def can_approve_requests(user) -> bool:
    """Responses are released only after a lead of information governance approves them."""
    if not is_active_staff(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, team__slug=settings.FOI_TEAM, role__in=settings.FOI_APPROVER_ROLES
    ).exists()


# --- Identity ----------------------------------------------------------------------------------------


def visible_sources(user) -> Q:
    """A filter on identity sources: unrestricted ones, and restricted ones owned by the user's teams."""
    return Q(restricted=False) | Q(restricted=True, team_id__in=team_ids_for(user))


# --- API keys ----------------------------------------------------------------------------------------


def can_administer_keys(user) -> bool:
    """May mint API keys bound to another staff user: members of the key-administrators team
    (``API_KEY_ADMIN_TEAM``). Everyone else may make keys only for themselves."""
    return is_verified_staff(user) and in_team_slugs(user, [settings.API_KEY_ADMIN_TEAM])


# --- Retention and erasure ---------------------------------------------------------------------------


def can_manage_retention(user) -> bool:
    """The records manager (``RETENTION_TEAMS``, information governance by default) and administrators:
    the schedule, sweeps, legal holds and erasure requests (docs/retention.md)."""
    if not is_verified_staff(user):
        return False
    return user.is_superuser or in_team_slugs(user, settings.RETENTION_TEAMS)
