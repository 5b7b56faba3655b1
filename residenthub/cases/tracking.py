"""Signed links that take a resident straight to their case's tracking page."""

from __future__ import annotations

from django.core import signing

_SALT = "residenthub.track"
LINK_VALID_DAYS = 400


def make_token(case) -> str:
    return signing.dumps(case.reference, salt=_SALT, compress=False)


def read_token(token: str) -> str | None:
    """The reference in a valid, unexpired token, else None."""
    try:
        return signing.loads(token, salt=_SALT, max_age=LINK_VALID_DAYS * 86400)
    except signing.BadSignature:
        return None
