"""Read helpers for the resident 360 page and the case page's person panel (issue 15).

Everything here reads through the same rules as the rest of identity: records of restricted sources
only for their teams (``queries.person_records``), cases only where ``can_see_case``/
``case_visibility`` allow, and the things hanging off cases (triage messages, notifications,
letters) only for cases the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from residenthub.accounts.permissions import case_visibility, team_ids_for

from . import hooks, queries
from .models import CaseLink, Person, PersonLink
from .search import address_label, display_name

TIMELINE_KINDS = (
    ("cases", "Cases"),
    ("requests", "Information requests"),
    ("triage", "Front door messages"),
    ("notifications", "Notifications sent"),
    ("records", "Records from council systems"),
)


@dataclass
class Item:
    at: object
    kind: str
    title: str
    text: str = ""
    url: str = ""


def person_name(records) -> str:
    """The name to head a person with, as written: a council system's record before one typed into
    a web case, else any record with a name."""
    named = [r for r in records if r.standard.get("first_name") or r.standard.get("last_name")]
    best = next((r for r in named if r.source.slug != "cases"), named[0] if named else None)
    return display_name(best.standard, best.data) if best else ""


def visible_person_cases(person, user):
    """The person's cases the user may see, newest first (one query)."""
    from residenthub.cases.models import Case

    return (
        Case.objects.filter(case_visibility(user), identity_link__person=person)
        .select_related("service", "team")
        .order_by("-created_at")
    )


def emails(records, cases) -> set[str]:
    """The person's email addresses, from their records and their cases' contact details."""
    found = {r.standard.get("email") for r in records if r.standard.get("email")}
    return found | {c.contact_email.lower() for c in cases if c.contact_email}


def timeline(person, user, records, cases, kinds: set[str]) -> list[Item]:
    """One list across cases, information requests, front-door messages, notifications and
    records, newest first, limited to ``kinds``."""
    from django.urls import reverse

    items: list[Item] = []
    case_ids = [c.pk for c in cases]
    if "cases" in kinds:
        from residenthub.cases.models import CaseEvent

        by_case = {c.pk: c for c in cases}
        events = CaseEvent.objects.filter(
            case_id__in=case_ids, kind__in=["submitted", "status_changed", "public_update"]
        ).order_by("-at")[:200]
        for event in events:
            case = by_case[event.case_id]
            items.append(
                Item(
                    event.at,
                    "cases",
                    f"{case.reference} {case.service.name}: {event.get_kind_display().lower()}"
                    + (f" ({event.to_status.replace('_', ' ')})" if event.to_status else ""),
                    url=reverse("backoffice:case", args=[case.reference]),
                )
            )
    # Information requests (foi) and whatever else an app above adds, through identity.hooks.
    items.extend(hooks.timeline_items.items(person, user, records, cases, kinds))
    if "triage" in kinds:
        from residenthub.triage.models import TriageRecord

        for message in TriageRecord.objects.filter(case_id__in=case_ids)[:50]:
            flags = ", ".join(message.flag_labels)
            items.append(
                Item(
                    message.created_at,
                    "triage",
                    f"Front door message ({message.get_channel_display()})" + (f": {flags}" if flags else ""),
                    text=message.short_text,
                )
            )
    if "notifications" in kinds:
        from residenthub.core.models import OutboxMessage
        from residenthub.letters.models import Letter

        for message in OutboxMessage.objects.filter(case_id__in=case_ids).select_related("case")[:100]:
            items.append(
                Item(
                    message.sent_at or message.created_at,
                    "notifications",
                    f"{message.get_channel_display()} about {message.case.reference}: "
                    f"{message.get_status_display().lower()}",
                    text=message.subject,
                )
            )
        for letter in Letter.objects.filter(case_id__in=case_ids).select_related("case")[:100]:
            items.append(
                Item(
                    letter.sent_at or letter.created_at,
                    "notifications",
                    f"Letter about {letter.case.reference}: {letter.get_status_display().lower()}",
                    url=reverse("letters:pdf", args=[letter.pk]),
                )
            )
    if "records" in kinds:
        import datetime as dt

        from django.utils import timezone

        for record in records:
            when = record.first_seen
            if record.standard.get("record_date"):
                try:
                    day = dt.date.fromisoformat(record.standard["record_date"])
                    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
                except ValueError:
                    pass
            items.append(
                Item(
                    when,
                    "records",
                    f"{record.source.name} record {record.source_key}",
                    text=" ".join(
                        x
                        for x in [display_name(record.standard, record.data), address_label(record.standard)]
                        if x
                    ),
                )
            )
    items.sort(key=lambda i: i.at, reverse=True)
    return items


def household_members(person, user) -> list[dict]:
    """The other current members of the person's current households, as far as the user may know
    them (a membership counts only when a source the user may see puts the person there), named
    from records the user may see."""
    allowed = queries.visible_source_ids(user)
    members = []
    for membership in queries.households(person, user):
        if not membership.current:
            continue
        for other in queries.household_members(membership.household, user):
            if other.person_id == person.pk or not other.current:
                continue
            link = (
                PersonLink.objects.filter(person_id=other.person_id, record__source_id__in=allowed)
                .select_related("record")
                .first()
            )
            members.append(
                {
                    "public_id": other.person.public_id,
                    "name": display_name(link.record.standard, link.record.data) if link else "",
                    "since": other.since,
                }
            )
    return members


def preferences(person, cases) -> dict:
    """How the resident wants to hear from us and in which language: their account if they have
    one (residents answers ``hooks.preferences``), else their latest case."""
    saved = hooks.preferences.first(person)
    if saved:
        return saved
    latest = next(iter(cases), None)
    if latest:
        return {
            "source": f"Their latest case, {latest.reference}",
            "notify_by": latest.get_notify_by_display(),
            "language": latest.language,
            "updated": latest.created_at,
        }
    return {}


def flags(person, cases) -> list[dict]:
    """Flags staff set (with who and when; residents answers ``hooks.flags``) and vulnerability the
    front door found in the resident's own messages on cases the user may see."""
    from residenthub.triage.models import TriageRecord

    found = hooks.flags.items(person)
    for message in TriageRecord.objects.filter(case__in=[c.pk for c in cases]).exclude(flags=[]):
        labels = message.flag_labels
        if labels:
            found.append(
                {
                    "pk": None,
                    "label": "May be vulnerable",
                    "detail": ", ".join(labels),
                    "by": f"Front door, message about {message.case.reference}"
                    if message.case_id
                    else "Front door",
                    "at": message.created_at,
                    "removable": False,
                }
            )
    return found


# --- the case page's person panel ----------------------------------------------------------------


def case_panel(case, user) -> dict:
    """The person a case belongs to, how it was matched, and the person's other cases."""
    link = CaseLink.objects.filter(case=case).select_related("person").first()
    if link is None or link.person is None:
        return {"link": link, "person": None, "other_cases": [], "same_email": _same_email(case, user, [])}
    person = link.person
    while person.merged_into_id:
        person = Person.objects.get(pk=person.merged_into_id)
    records, hidden = queries.person_records(person, user)
    name = person_name(records)
    others = list(visible_person_cases(person, user).exclude(pk=case.pk)[:20])
    same_email = _same_email(case, user, [c.pk for c in others])
    how = {
        "system": "Matched automatically when the case came in",
        "linkage": "Matched by the last linkage run",
    }.get(link.decided_by, f"Set by {link.decided_by}")
    return {
        "link": link,
        "person": person,
        "name": name,
        "how": how,
        "confirmed": link.decided_by not in {"system", "linkage"},
        "sources": sorted({r.source.name for r in records if r.source.slug != "cases"}),
        "hidden": hidden,
        "other_cases": others,
        "same_email": same_email,
        "team_member": bool(team_ids_for(user)),
    }


def _same_email(case, user, exclude: list[int]) -> list:
    """Cases with the same email address that are *not* linked to this person: a hint that a match
    was missed (or that a household shares an address), for the officer to check and link."""
    from residenthub.cases.queries import visible_cases

    if not case.contact_email:
        return []
    return list(
        visible_cases(user)
        .filter(contact_email__iexact=case.contact_email)
        .exclude(pk__in=[case.pk, *exclude])
        .select_related("service")
        .order_by("-created_at")[:20]
    )
