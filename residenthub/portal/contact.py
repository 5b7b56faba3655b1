"""The "How can we contact you?" page every service ends with."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from residenthub.cases.models import NotifyBy
from residenthub.core.validators import normalise_postcode, normalise_uk_phone

from .questions import Outcome, clean_email


def needs_postcode(service, answers: dict[str, Any]) -> bool:
    """Ask for a postcode when the answers give none (tracking needs an email or a postcode)."""
    for question in service.form.questions:
        value = answers.get(question.name)
        if question.type in {"address", "location"} and isinstance(value, dict) and value.get("postcode"):
            return False
    return True


def parse_contact(post, *, service, answers: dict[str, Any]) -> Outcome:
    raw = {key: (post.get(key) or "") for key in ("name", "email", "phone", "notify_by", "postcode")}
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
        }
    return outcome
