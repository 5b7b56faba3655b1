"""Read helpers for the staff pages: what a user may see of a person."""

from __future__ import annotations

from django.db.models import Q

from residenthub.accounts.queries import can_see_case, team_ids_for

from .models import CaseLink, HouseholdMembership, PersonLink, ReviewPair, Source


def visible_sources(user) -> Q:
    """Unrestricted sources, and restricted ones owned by one of the user's teams."""
    return Q(restricted=False) | Q(restricted=True, team_id__in=team_ids_for(user))


def person_records(person, user):
    allowed = Source.objects.filter(visible_sources(user))
    links = (
        PersonLink.objects.filter(person=person, record__source__in=allowed)
        .select_related("record__source")
        .order_by("record__source__name", "-record__last_seen")
    )
    hidden = PersonLink.objects.filter(person=person).exclude(record__source__in=allowed).count()
    return [link.record for link in links], hidden


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


def households(person):
    return (
        HouseholdMembership.objects.filter(person=person)
        .select_related("household")
        .order_by("-current", "-since")
    )


def review_queue(user):
    allowed = Source.objects.filter(visible_sources(user))
    return (
        ReviewPair.objects.filter(status=ReviewPair.Status.PENDING)
        .filter(record_l__source__in=allowed, record_r__source__in=allowed)
        .select_related("record_l__source", "record_r__source")
    )
