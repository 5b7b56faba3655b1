"""Who sees which callbacks and recordings (built on accounts.permissions).

The contact centre (``VOICE_TEAMS``) works the whole list; other teams see callbacks for their own
services. A callback about a restricted service (social care, safeguarding) is seen only by that
service's team, whoever you are, as for cases (ADR 0006).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from residenthub.accounts.permissions import can_use_callbacks, in_team_slugs, team_ids_for
from residenthub.core.validators import normalise_uk_phone

from .models import Call, Callback


def visible_callbacks(user) -> QuerySet[Callback]:
    if not can_use_callbacks(user):
        return Callback.objects.none()
    teams = team_ids_for(user)
    own = Q(team_id__in=teams)
    if user.is_superuser or in_team_slugs(user, settings.VOICE_TEAMS):
        rule = own | Q(restricted=False)
    else:
        rule = own
    return Callback.objects.filter(rule).select_related("call", "call__service", "team")


def callback_list(user) -> QuerySet[Callback]:
    """Waiting callbacks, urgent first; within a rank, callers not yet tried before those rung without an
    answer (longest ago first), then oldest first."""
    return (
        visible_callbacks(user)
        .filter(status=Callback.Status.WAITING)
        .order_by("rank", F("last_attempt_at").asc(nulls_first=True), "created_at")
    )


def ring_by(callback: Callback) -> dt.datetime:
    """When the caller should have been rung by: booked + the target for its rank (settings)."""
    minutes = {0: settings.VOICE_CALLBACK_URGENT_MINUTES, 1: settings.VOICE_CALLBACK_VULNERABLE_MINUTES}.get(
        callback.rank, settings.VOICE_CALLBACK_OTHER_MINUTES
    )
    return callback.created_at + dt.timedelta(minutes=minutes)


def waiting_counts(user) -> dict[str, int]:
    """``{"waiting", "urgent"}`` for the staff menu, in one query: callers waiting that ``user`` may
    see, and how many of them gave an emergency (rank 0)."""
    return callback_list(user).order_by().aggregate(waiting=Count("id"), urgent=Count("id", filter=Q(rank=0)))


def callback_number(call: Call) -> str | None:
    """The number to ring the caller back on: the one they gave on the call, else the one it came from."""
    given = Callback.objects.filter(call=call).values_list("number", flat=True).first()
    return _given_or_presented(given, call)


def number_to_ring(callback: Callback) -> str | None:
    """``callback_number`` for a callback already in hand (no query)."""
    return _given_or_presented(callback.number, callback.call)


def _given_or_presented(given: str | None, call: Call) -> str | None:
    return given or (normalise_uk_phone(call.caller) if call.caller else None)
