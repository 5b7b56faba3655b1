"""Normalising what people type: UK postcodes, phone numbers, email addresses."""

from __future__ import annotations

import re

import phonenumbers

# Outward code: area (1-2 letters; not Q, V, X first; not I, J, Z second) and district; inward
# code: sector digit and two unit letters (never C, I, K, M, O, V).
_POSTCODE_RE = re.compile(r"^(GIR0AA|[A-PR-UWYZ](?:[A-HK-Y]?[0-9][0-9A-Z]?)[0-9][ABD-HJLNP-UW-Z]{2})$")

# Ofcom reserves these ranges for drama and examples; they are not "valid" to libphonenumber but
# are what demos, training and tests use, so they are accepted as UK mobile/landline numbers.
_OFCOM_DRAMA = ("447700900", "442079460", "441632960", "441214960", "441134960", "441314960")


def normalise_postcode(text: str) -> str | None:
    """``sw1a2aa`` -> ``SW1A 2AA``; None if it is not a UK postcode in the Royal Mail format."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if not 5 <= len(compact) <= 7 or not _POSTCODE_RE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_uk_phone(text: str, *, mobile_only: bool = False) -> str | None:
    """A UK phone number as E.164 (``+447700900123``), or None if it is not a valid one."""
    cleaned = (text or "").strip()
    if not cleaned or len(cleaned) > 30:
        return None
    try:
        number = phonenumbers.parse(cleaned, "GB")
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    drama = e164[1:].startswith(_OFCOM_DRAMA) and len(e164) == 13
    if number.country_code != 44 or not (drama or phonenumbers.is_valid_number(number)):
        return None
    if mobile_only:
        is_mobile = (
            e164.startswith("+447")
            if drama
            else phonenumbers.number_type(number)
            in {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
        )
        if not is_mobile:
            return None
    return e164


def display_uk_phone(e164: str) -> str:
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164, "GB"), phonenumbers.PhoneNumberFormat.NATIONAL
        )
    except phonenumbers.NumberParseException:
        return e164
