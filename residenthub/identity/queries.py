"""Read helpers for the staff pages: what a user may see of a person."""

from __future__ import annotations

from residenthub.accounts.permissions import can_see_case
from residenthub.accounts.permissions import visible_sources as visible_sources

from .models import CaseLink, HouseholdMembership, PersonLink, ReviewPair, Source


def visible_source_ids(user) -> set[int]:
    cached = getattr(user, "_visible_source_ids", None)
    if cached is None:
        cached = set(Source.objects.filter(visible_sources(user)).values_list("pk", flat=True))
        if user is not None:
            user._visible_source_ids = cached
    return cached


def visible_source_rows(user) -> dict[int, tuple[str, str, bool]]:
    """The sources the user may see: pk -> (slug, name, restricted); one query per request."""
    cached = getattr(user, "_visible_source_rows", None)
    if cached is None:
        rows = Source.objects.filter(visible_sources(user)).values_list("pk", "slug", "name", "restricted")
        cached = {pk: (slug, name, restricted) for pk, slug, name, restricted in rows}
        if user is not None:
            user._visible_source_rows = cached
    return cached


def person_records(person, user):
    """The person's records from sources the user may see. The second value is kept for callers and
    is always 0: saying how many records are hidden would say that social care knows the person."""
    allowed = Source.objects.filter(visible_sources(user))
    links = (
        PersonLink.objects.filter(person=person, record__source__in=allowed)
        .select_related("record__source")
        .order_by("record__source__name", "-record__last_seen")
    )
    return [link.record for link in links], 0


CONTACT_FIELDS = (("email", "Email"), ("phone", "Phone"), ("postcode", "Postcode"), ("street", "Street"))


def contact_details(records) -> list[dict]:
    """Each distinct contact value with the sources that hold it and when it was last seen."""
    found: dict[tuple[str, str], dict] = {}
    for record in records:
        when = record.standard.get("record_date") or record.last_seen.date().isoformat()
        for field, label in CONTACT_FIELDS:
            value = record.standard.get(field)
            if not value:
                continue
            if field == "street":
                value = " ".join(x for x in [record.standard.get("number"), value] if x)
            item = found.setdefault(
                (label, value), {"label": label, "value": value, "sources": set(), "latest": ""}
            )
            item["sources"].add(record.source.name)
            item["latest"] = max(item["latest"], when)
    return sorted(found.values(), key=lambda d: (d["label"], d["latest"]), reverse=False)


def person_cases(person, user):
    links = CaseLink.objects.filter(person=person).select_related("case__service")
    return [link.case for link in links if can_see_case(user, link.case)]


def _visible(membership: HouseholdMembership, allowed: set[int]) -> bool:
    return bool(allowed.intersection(membership.source_ids or []))


def households(person, user):
    """The person's addresses that the user may know: those evidenced by a source they may see."""
    allowed = visible_source_ids(user)
    memberships = (
        HouseholdMembership.objects.filter(person=person)
        .select_related("household")
        .order_by("-current", "-since")
    )
    return [m for m in memberships if _visible(m, allowed)]


def household_members(household, user):
    """The household's members the user may know are there; empty means the user may not see it."""
    allowed = visible_source_ids(user)
    memberships = household.memberships.select_related("person").order_by("-current", "person__public_id")
    return [m for m in memberships if _visible(m, allowed)]


def review_queue(user):
    allowed = Source.objects.filter(visible_sources(user))
    return (
        ReviewPair.objects.filter(status=ReviewPair.Status.PENDING)
        .filter(record_l__source__in=allowed, record_r__source__in=allowed)
        .select_related("record_l__source", "record_r__source")
    )
