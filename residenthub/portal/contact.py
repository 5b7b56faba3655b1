"""The "How can we contact you?" page every service ends with."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from residenthub.cases.models import NotifyBy
from residenthub.core.validators import normalise_postcode, normalise_uk_phone
from residenthub.services.questions import Outcome, clean_email

from . import hooks


def needs_postcode(service, answers: dict[str, Any]) -> bool:
    """Ask for a postcode when the answers give none (tracking needs an email or a postcode)."""
    for question in service.form.questions:
        value = answers.get(question.name)
        if question.type in {"address", "location"} and isinstance(value, dict) and value.get("postcode"):
            return False
    return True


def parse_contact(post, *, service, answers: dict[str, Any]) -> Outcome:
    raw = {
        key: (post.get(key) or "")
        for key in ("name", "email", "phone", "notify_by", "postcode", *ADDRESS_FIELDS)
    }
    outcome = Outcome(raw=raw)
    errors = outcome.errors
    name = raw["name"].strip()
    if len(name) > 200:
        errors.append(("name", _("Your name must be 200 characters or fewer")))
    elif not name and service.contact == "required":
        errors.append(("name", _("Enter your full name")))
    email = ""
    if raw["email"].strip():
        email = clean_email(raw["email"]) or ""
        if not email:
            errors.append(("email", _("Enter an email address in the correct format, like name@example.com")))
    phone = ""
    if raw["phone"].strip():
        phone = normalise_uk_phone(raw["phone"]) or ""
        if not phone:
            errors.append(("phone", _("Enter a UK phone number, like 07700 900 982")))
    notify_by = raw["notify_by"]
    if notify_by not in NotifyBy.values:
        errors.append(("notify_by", _("Select how you would like to hear about progress")))
        raw["notify_by"] = ""
    elif notify_by == NotifyBy.EMAIL and not raw["email"].strip():
        errors.append(("email", _("Enter an email address so we can email you, or choose another option")))
    elif notify_by == NotifyBy.SMS and not raw["phone"].strip():
        errors.append(("phone", _("Enter a mobile number so we can text you, or choose another option")))
    elif notify_by == NotifyBy.SMS and phone and not normalise_uk_phone(phone, mobile_only=True):
        errors.append(("phone", _("Enter a UK mobile number, like 07700 900 982, to get text messages")))
    address = ""
    if notify_by == NotifyBy.POST:
        address = _postal_address(raw, name, errors)
    postcode = ""
    ask_postcode = needs_postcode(service, answers)
    if ask_postcode and raw["postcode"].strip():
        postcode = normalise_postcode(raw["postcode"]) or ""
        if not postcode:
            errors.append(("postcode", _("Enter a real UK postcode, like SW1A 2AA")))
    if service.contact == "required" and not (raw["email"].strip() or raw["phone"].strip()):
        errors.append(("email", _("Enter an email address or a phone number so we can contact you")))
    elif not errors and not email and not postcode and ask_postcode:
        errors.append(
            ("email", _("Enter an email address or your postcode so you can check your request later"))
        )
    if not errors:
        outcome.value = {
            "name": name,
            "email": email,
            "phone": phone,
            "notify_by": notify_by,
            "postcode": postcode,
            "address": address,
        }
    return outcome


ADDRESS_FIELDS = ("address_line_1", "address_line_2", "address_town", "address_postcode")


def _postal_address(raw: dict, name: str, errors: list) -> str:
    """The address letters go to, for residents who chose post: name, lines, town, postcode."""
    line1 = raw["address_line_1"].strip()[:200]
    line2 = raw["address_line_2"].strip()[:200]
    town = raw["address_town"].strip()[:100]
    postcode = normalise_postcode(raw["address_postcode"]) if raw["address_postcode"].strip() else ""
    if not name:
        errors.append(("name", _("Enter your full name so we can address letters to you")))
    if not line1:
        errors.append(("address_line_1", _("Enter the first line of your address, like 14 Station Road")))
    if not town:
        errors.append(("address_town", _("Enter your town or city")))
    if not raw["address_postcode"].strip():
        errors.append(("address_postcode", _("Enter your postcode")))
    elif not postcode:
        errors.append(("address_postcode", _("Enter a real UK postcode, like SW1A 2AA")))
    return "\n".join(x for x in [name, line1, line2, town, postcode] if x)


def address_fields(contact: dict | None) -> dict:
    """The address lines of a saved contact back into the page's fields (to change them)."""
    lines = ((contact or {}).get("address") or "").splitlines()
    if len(lines) < 3:
        return {}
    body = lines[1:]
    fields = {
        "address_line_1": body[0],
        "address_postcode": body[-1],
        "address_town": body[-2] if len(body) > 2 else "",
    }
    if len(body) > 3:
        fields["address_line_2"] = body[1]
    return fields


def _signed_in_email(request) -> str:
    from .views import RESIDENT_EMAIL_KEY

    return request.session.get(RESIDENT_EMAIL_KEY) or ""


def account_prefill(request) -> dict:
    """A signed-in resident's saved details as this page's starting values (issue 15), from the
    resident account (the residents app answers ``hooks.contact_prefill``)."""
    email = _signed_in_email(request)
    prefill = hooks.contact_prefill.first(email) if email else None
    return {**prefill, **address_fields(prefill)} if prefill else {}


def account_address_answer(request) -> dict | None:
    """A signed-in resident's saved address as an address question's starting answer."""
    email = _signed_in_email(request)
    return hooks.address_answer.first(email) if email else None
