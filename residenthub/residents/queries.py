"""Read helpers on resident accounts and person flags, and this app's answers to the hooks of the
apps below it (registered in ``ResidentsConfig.ready``): the portal's forms start from the
account (``portal.hooks``), the resident 360 page shows the account's preferences and the flags
(``identity.hooks``)."""

from __future__ import annotations

from typing import Any

from .models import PersonFlag, ResidentAccount


def account_for_email(email: str) -> ResidentAccount | None:
    """The account of a signed-in resident (``email`` as signed in), with its address."""
    if not email:
        return None
    return ResidentAccount.objects.select_related("address").filter(email=email).first()


# --- the portal's hooks ---------------------------------------------------------------------------


def contact_prefill(email: str) -> dict[str, str] | None:
    """The "your contact details" page's starting values from the account (the resident confirms)."""
    account = account_for_email(email)
    if account is None:
        return None
    return {
        "name": account.name,
        "email": account.email,
        "phone": account.phone,
        "notify_by": account.notify_by,
        "postcode": account.address.postcode if account.address else "",
        "address": account.postal_address,
    }


def address_answer(email: str) -> dict[str, str] | None:
    """The account's address as an address question's starting answer."""
    account = account_for_email(email)
    if account is None or account.address is None:
        return None
    a = account.address
    return {"uprn": a.uprn, "text": a.single_line, "postcode": a.postcode}


# --- the resident 360 page's hooks ----------------------------------------------------------------


def preferences(person: Any) -> dict[str, Any] | None:
    """How the person asked to hear from us, from their account (None: no account)."""
    account = ResidentAccount.objects.filter(person=person).select_related("address").first()
    if account is None:
        return None
    return {
        "source": "Their account",
        "notify_by": account.get_notify_by_display(),
        "language": account.language,
        "updated": account.updated_at,
    }


def flags(person: Any) -> list[dict[str, Any]]:
    """The flags staff set on the person and have not removed, with who and when."""
    return [
        {
            "pk": flag.pk,
            "label": flag.get_kind_display(),
            "detail": flag.detail,
            "by": (flag.set_by.get_full_name() or flag.set_by.username) if flag.set_by else "Front door",
            "at": flag.set_at,
            "removable": True,
        }
        for flag in PersonFlag.objects.filter(person=person, cleared_at__isnull=True).select_related("set_by")
    ]


def flag_kinds() -> list[tuple[str, str]]:
    return list(PersonFlag.Kind.choices)
