"""Officers' decisions about which person a case belongs to (issue 15), the writers behind the case
page's person panel. Each is audited, locks the case's record so later linkage runs keep the
decision, and feeds the review queue's constraints (ADR 0071).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from residenthub.core.actions import ActionError, atomic, audit, require_staff

from .models import CaseLink, Person, PersonLink, ReviewPair


def _link_for(case) -> CaseLink:
    link = CaseLink.objects.select_for_update().filter(case=case).first()
    if link is None or link.record_id is None:
        raise ActionError(
            "This case has not been checked against the resident records yet. Try again shortly."
        )
    return link


def _label(user) -> str:
    return user.get_username()[:20]


@atomic
def confirm(case: Any, *, by: Any) -> CaseLink:
    """ "Yes, this is the person": the link is locked and marked as decided by the officer."""
    user = require_staff(by)
    link = _link_for(case)
    if link.person_id is None:
        raise ActionError("This case is not linked to anyone yet: find the person and link it.")
    PersonLink.objects.filter(record_id=link.record_id).update(locked=True)
    link.status, link.decided_by, link.at = CaseLink.Status.LINKED, _label(user), timezone.now()
    link.save(update_fields=["status", "decided_by", "at"])
    audit(by, "identity.case_link.confirmed", case, person=link.person.public_id)  # type: ignore[union-attr]
    return link


@atomic
def unlink(case: Any, *, by: Any) -> CaseLink:
    """ "Not this person": the case's record moves to a new person of its own (locked), and the pair
    (the case's record, the old person's best record) is recorded as "different people", so no later
    run puts them together and the decision shows in the review history."""
    from . import actions

    user = require_staff(by)
    link = _link_for(case)
    old = link.person
    if old is None:
        raise ActionError("This case is not linked to anyone.")
    others = list(
        PersonLink.objects.filter(person=old).exclude(record_id=link.record_id).order_by("-probability")
    )
    if others:
        actions.split_records([link.record], by=user)  # type: ignore[list-item]  # a case link has a record
        left, right = sorted([link.record_id, others[0].record_id])  # type: ignore[type-var]
        pair, created = ReviewPair.objects.get_or_create(
            record_l_id=left,
            record_r_id=right,
            defaults={"probability": link.probability or 0.0, "status": ReviewPair.Status.REJECTED},
        )
        if not created:
            pair.status = ReviewPair.Status.REJECTED
        pair.decided_by, pair.decided_at = user, timezone.now()
        pair.save()
    else:
        PersonLink.objects.filter(record_id=link.record_id).update(locked=True)
    new_person = PersonLink.objects.get(record_id=link.record_id).person
    link.person, link.status = new_person, CaseLink.Status.NEW
    link.decided_by, link.at = _label(user), timezone.now()
    link.save(update_fields=["person", "status", "decided_by", "at"])
    audit(by, "identity.case_link.rejected", case, person=old.public_id, now=new_person.public_id)
    return link


@atomic
def link_to(case: Any, person: Person, *, by: Any) -> CaseLink:
    """Link the case to another person found by search: its record joins that person, locked."""
    from . import actions

    user = require_staff(by)
    link = _link_for(case)
    if person.archived or person.merged_into_id:
        raise ActionError("That person's records were merged into another person: search again.")
    if link.person_id == person.pk:
        raise ActionError("The case is already linked to this person.")
    old = link.person
    moves = [[link.record_id, old.pk if old else None, person.pk]]
    PersonLink.objects.filter(record_id=link.record_id).update(person=person, locked=True)
    from .models import PersonEvent

    PersonEvent.objects.create(
        kind=PersonEvent.Kind.MANUAL_MERGE, person=person, other=old, moves=moves, actor=user
    )
    if old is not None and not PersonLink.objects.filter(person=old).exists():
        Person.objects.filter(pk=old.pk).update(archived=True)
    link.person, link.status = person, CaseLink.Status.LINKED
    link.decided_by, link.at = _label(user), timezone.now()
    link.save(update_fields=["person", "status", "decided_by", "at"])
    actions.rebuild_households()
    audit(by, "identity.case_link.changed", case, person=person.public_id, was=old.public_id if old else "")
    return link
