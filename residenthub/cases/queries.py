"""Read helpers for cases: visibility, queues, service-level status, search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from residenthub.accounts.queries import case_visibility
from residenthub.core import references
from residenthub.core.calendar import add_working_days
from residenthub.core.validators import normalise_postcode, normalise_uk_phone

from .models import Case

DUE_SOON_WORKING_DAYS = 2


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility(user))


@dataclass(frozen=True)
class Sla:
    key: str  # overdue | due_soon | on_track | on_hold | closed
    label: str
    colour: str  # a GOV.UK tag modifier


SLA = {
    "overdue": Sla("overdue", "Overdue", "red"),
    "due_soon": Sla("due_soon", "Due soon", "yellow"),
    "on_track": Sla("on_track", "On track", "green"),
    "on_hold": Sla("on_hold", "Clock paused", "grey"),
    "closed": Sla("closed", "Closed", "grey"),
}


def due_soon_limit(today: dt.date | None = None) -> dt.date:
    return add_working_days(today or timezone.localdate(), DUE_SOON_WORKING_DAYS)


def sla_of(case: Case, today: dt.date, soon: dt.date) -> Sla:
    if not case.is_open:
        return SLA["closed"]
    if case.on_hold_since:
        return SLA["on_hold"]
    if case.due_date < today:
        return SLA["overdue"]
    if case.due_date <= soon:
        return SLA["due_soon"]
    return SLA["on_track"]


def sla_filter(key: str, today: dt.date, soon: dt.date) -> Q:
    running = Q(is_open=True, on_hold_since__isnull=True)
    return {
        "overdue": running & Q(due_date__lt=today),
        "due_soon": running & Q(due_date__gte=today, due_date__lte=soon),
        "on_track": running & Q(due_date__gt=soon),
        "on_hold": Q(is_open=True, on_hold_since__isnull=False),
    }.get(key, Q())


def queue_counts(queryset: QuerySet[Case], user: Any, today: dt.date, soon: dt.date) -> dict[str, int]:
    """Open, overdue, due soon, unassigned (and "mine" for an officer), in one query over the open cases."""
    counts = {
        "open": Count("pk"),
        "overdue": Count("pk", filter=sla_filter("overdue", today, soon)),
        "due_soon": Count("pk", filter=sla_filter("due_soon", today, soon)),
        "unassigned": Count("pk", filter=Q(assigned_to__isnull=True)),
    }
    if user is not None:
        counts["mine"] = Count("pk", filter=Q(assigned_to=user))
    return queryset.filter(is_open=True).aggregate(**counts)


_TEAM_VERSION = "queue-version:{}"
TEAM_COUNTS_SECONDS = 600


def team_queue_counts(team_ids: set[int], user: Any, today: dt.date, soon: dt.date) -> dict[str, int]:
    """``queue_counts`` for the teams' queue, cached until any case of those teams changes.

    Counting 40,000 open cases takes tens of milliseconds, more than the rest of the page; every
    case action bumps its teams' version (``forget_team_counts``), so a cached figure is never
    stale, and the day is part of the key because "overdue" changes at midnight. "Mine" is
    per officer and cheap (an index), so it is counted each time.
    """
    from django.core.cache import cache

    version_keys = [_TEAM_VERSION.format(team) for team in sorted(team_ids)]
    versions = cache.get_many(version_keys)
    key = "queue-counts:{}:{}".format(
        ",".join(f"{k.rsplit(':', 1)[1]}.{versions.get(k, 0)}" for k in version_keys), today.isoformat()
    )
    counts = cache.get(key)
    if counts is None:
        counts = queue_counts(Case.objects.filter(team_id__in=team_ids), None, today, soon)
        cache.set(key, counts, TEAM_COUNTS_SECONDS)
    mine = Case.objects.filter(team_id__in=team_ids, assigned_to=user, is_open=True).count()
    return {**counts, "mine": mine}


def forget_team_counts(*team_ids: int | None) -> None:
    from django.core.cache import cache

    for team in {t for t in team_ids if t}:
        key = _TEAM_VERSION.format(team)
        if not cache.add(key, 1, None):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, None)


def search(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """By reference, email, phone, postcode (or district), name, or any words in the case.

    PostgreSQL uses full-text search over the resident's words; SQLite a simpler substring match.
    """
    text = text.strip()[:200]
    if not text:
        return queryset.none()
    reference = references.normalise(text, settings.REFERENCE_PREFIX)
    if reference:
        return queryset.filter(reference=reference)
    if "@" in text:
        return queryset.filter(contact_email__iexact=text)
    phone = normalise_uk_phone(text)
    if phone:
        return queryset.filter(contact_phone=phone)
    postcode = normalise_postcode(text)
    if postcode:
        return queryset.filter(postcode=postcode)
    if text.upper().replace(" ", "").isalnum() and 2 <= len(text) <= 4 and any(c.isdigit() for c in text):
        return queryset.filter(postcode__startswith=text.upper() + " ")
    words = Q(contact_name__icontains=text) | Q(location_text__icontains=text)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector
        from django.db.models import TextField
        from django.db.models.functions import Cast

        vector = SearchVector("contact_name", "location_text", Cast("answers", TextField()), config="english")
        return queryset.annotate(search=vector).filter(words | Q(search=SearchQuery(text, config="english")))
    return queryset.filter(words | Q(answers__icontains=text))


def share_services(cases: list[Case]) -> list[Case]:
    """Give cases of the same service one shared ``Service`` object.

    ``select_related("service")`` builds a copy of the service for every row, and each copy parses
    its form and workflow again; for a list of a thousand cases that parsing was most of the time.
    """
    shared: dict[int, Any] = {}
    for case in cases:
        case.service = shared.setdefault(case.service_id, case.service)
    return cases
