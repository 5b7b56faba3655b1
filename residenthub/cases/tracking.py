"""Signed links that take a resident straight to their case's tracking page."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction

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


def track_page_key(reference: str, language: str) -> str:
    return f"track-page:{reference}:{language}"


def forget_track_page(reference: str) -> None:
    """Drop the cached tracking page of a case that has just changed.

    Called now and again after commit: a request that re-renders the page between the two
    (seeing the old state) cannot leave it cached.
    """

    def forget() -> None:
        cache.delete_many([track_page_key(reference, code) for code, _name in settings.LANGUAGES])

    forget()
    transaction.on_commit(forget)
