"""The only writers of resident accounts, address changes, team tasks and person flags.

"Tell us once" (``report_move``) is one transaction: the account's address changes, the open cases
the resident chose get a note (and, for letters, the new address), the council tax moving-home case
is raised through ``cases.actions.create_case``, and every team that keeps the person's records gets
a task; each step is audited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from residenthub.accounts.models import Team
from residenthub.accounts.permissions import team_ids_for
from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case, NotifyBy
from residenthub.core.actions import ActionError, Actor, atomic, audit, require_staff
from residenthub.core.models import Address
from residenthub.services.models import Service

from .models import AddressChange, PersonFlag, ResidentAccount, TeamTask

MOVING_HOME_SERVICE = "council-tax-moving-home"
LANGUAGES = ("en", "cy", "pl", "ro", "bn", "ur", "so", "ar", "pt", "es")


def person_for_email(email: str):
    """The person the resident's latest linked case belongs to (the point-of-entry check's answer)."""
    from residenthub.identity.models import CaseLink

    link = (
        CaseLink.objects.filter(case__contact_email__iexact=email, person__isnull=False)
        .select_related("person")
        .order_by("-case__created_at")
        .first()
    )
    if link is None:
        return None
    person = link.person
    while person.merged_into_id:
        person = person.merged_into
    return person


@atomic
def save_account(
    email: str,
    *,
    name: str,
    phone: str,
    language: str,
    notify_by: str,
    address: Address | None = None,
    keep_address: bool = True,
    by: Actor,
) -> ResidentAccount:
    """Create or update a resident's account (they are signed in as ``email``)."""
    email = email.strip().lower()
    if not email:
        raise ActionError("Sign in to save your details.")
    if notify_by not in NotifyBy.values:
        raise ActionError("Choose how you would like to hear from us.")
    if language not in LANGUAGES:
        raise ActionError("Choose a language from the list.")
    account, created = ResidentAccount.objects.select_for_update().get_or_create(email=email)
    account.name, account.phone = name.strip()[:200], phone.strip()[:20]
    account.language, account.notify_by = language, notify_by
    if address is not None or not keep_address:
        account.address = address
    if notify_by == NotifyBy.POST and account.address is None:
        raise ActionError("Choose your address from the list so we can send you letters.")
    if notify_by == NotifyBy.SMS and not account.phone:
        raise ActionError("Enter a mobile number so we can text you, or choose another option.")
    if account.person_id is None:
        account.person = person_for_email(email)
    account.save()
    audit(by, "resident.account.created" if created else "resident.account.saved", account)
    return account


# --- tell us once --------------------------------------------------------------------------------


def _teams_holding(person) -> dict[Team, list[str]]:
    """Each team that keeps records of the person: the source's own team, else the team named for
    the source in ``TELL_US_ONCE_TEAMS``, with the record keys it holds."""
    from residenthub.identity.models import PersonLink

    slugs = settings.TELL_US_ONCE_TEAMS
    teams = {t.slug: t for t in Team.objects.filter(slug__in=set(slugs.values()))}
    held: dict[Team, list[str]] = {}
    links = PersonLink.objects.filter(person=person, record__removed=False).select_related(
        "record__source__team"
    )
    for link in links:
        source = link.record.source
        if source.slug == "cases":
            continue
        team = source.team or teams.get(slugs.get(source.slug, ""))
        if team is not None:
            held.setdefault(team, []).append(f"{source.name} {link.record.source_key}")
    return held


def _address_answer(address: Address | None) -> dict | str:
    if address is None:
        return ""
    return {"uprn": address.uprn, "text": address.single_line, "postcode": address.postcode}


@atomic
def report_move(
    account: ResidentAccount,
    new_address: Address,
    *,
    moved_on: dt.date,
    adults: int,
    update_cases: list[str],
    by: Actor,
) -> AddressChange:
    """Tell us once: the resident moved to ``new_address`` on ``moved_on``."""
    account = (
        ResidentAccount.objects.select_for_update(of=("self",)).select_related("address").get(pk=account.pk)
    )
    if account.address_id == new_address.pk:
        raise ActionError("That is the address we already have for you.")
    today = timezone.localdate()
    if moved_on > today + dt.timedelta(days=90):
        raise ActionError("Tell us about a move in the next 3 months, or one that has happened.")
    if moved_on < today - dt.timedelta(days=365 * 2):
        raise ActionError("For a move more than 2 years ago, call us so we can check your bills.")
    if not 1 <= adults <= 20:
        raise ActionError("Enter how many adults will live at your new address, from 1 to 20.")
    old = account.address
    open_cases = list(
        Case.objects.filter(contact_email__iexact=account.email, is_open=True).select_related("service")
    )
    chosen = [c for c in open_cases if c.reference in set(update_cases)]
    change = AddressChange.objects.create(
        account=account,
        old_address=old,
        new_address=new_address,
        moved_on=moved_on,
        offered_cases=[c.reference for c in open_cases],
        updated_cases=[c.reference for c in chosen],
    )
    account.address = new_address
    if account.person_id is None:
        account.person = person_for_email(account.email)
    account.save()
    audit(by, "resident.moved", account, change=change.pk, cases=len(chosen))
    postal = account.postal_address
    for case in chosen:
        case_actions.record_address_change(
            case, postal if case.notify_by == NotifyBy.POST else "", moved_on=moved_on, by=None
        )
    service = Service.objects.filter(code=MOVING_HOME_SERVICE, active=True).first()
    if service is not None:
        answers = {
            "move_type": "within" if old else "into",
            "move_date": moved_on.isoformat(),
            "new_address": _address_answer(new_address),
            "adults_count": adults,
        }
        if old:
            answers["old_address"] = _address_answer(old)
        case = case_actions.create_case(
            service=service,
            answers=answers,
            contact=case_actions.Contact(
                name=account.name,
                email=account.email,
                phone=account.phone,
                notify_by=account.notify_by,
                postcode=new_address.postcode,
                address=postal,
            ),
            channel_detail="Tell us once: moving home",
            language=account.language,
            ip=by.ip,
        )
        change.council_tax_case = case
        change.save(update_fields=["council_tax_case"])
    teams: dict[Team, list[str]] = _teams_holding(account.person) if account.person else {}
    for case in open_cases:
        teams.setdefault(case.team, [])
    for team, records in teams.items():
        task = TeamTask.objects.create(
            team=team,
            kind=TeamTask.Kind.ADDRESS_CHANGE,
            title=f"Resident moved on {moved_on:%-d %B %Y}: update your records",
            detail=f"New address: {new_address.single_line}",
            person=account.person,
            change=change,
            records=records,
        )
        audit(by, "resident.task.created", task, team=team.slug)
    return change


@atomic
def complete_task(task: TeamTask, *, by) -> TeamTask:
    user = require_staff(by)
    task = TeamTask.objects.select_for_update().get(pk=task.pk)
    if task.team_id not in team_ids_for(user):
        raise ActionError("Only the team the task is for can mark it done.")
    if task.done_at:
        raise ActionError("This task is already done.")
    task.done_at, task.done_by = timezone.now(), user
    task.save(update_fields=["done_at", "done_by"])
    audit(by, "resident.task.done", task)
    return task


# --- flags ----------------------------------------------------------------------------------------


@atomic
def set_flag(person, kind: str, detail: str, *, by) -> PersonFlag:
    user = require_staff(by)
    if kind not in PersonFlag.Kind.values:
        raise ActionError("Choose a flag from the list.")
    detail = " ".join(detail.split())
    if len(detail) > 500:
        raise ActionError("Keep what staff should know to 500 characters or fewer.")
    if kind != PersonFlag.Kind.VULNERABLE and not detail:
        raise ActionError("Say what staff should know, for example which language or which adjustment.")
    flag = PersonFlag.objects.create(person=person, kind=kind, detail=detail, set_by=user, source="staff")
    audit(by, "identity.flag.set", person, kind=kind)
    return flag


@atomic
def clear_flag(flag: PersonFlag, *, by) -> PersonFlag:
    user = require_staff(by)
    if flag.cleared_at:
        raise ActionError("This flag was already removed.")
    flag.cleared_at, flag.cleared_by = timezone.now(), user
    flag.save(update_fields=["cleared_at", "cleared_by"])
    audit(by, "identity.flag.cleared", flag.person, kind=flag.kind)
    return flag
