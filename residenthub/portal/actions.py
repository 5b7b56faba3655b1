"""The writers of the portal app: residents' one-time sign-in links (ADR 0060)."""

from __future__ import annotations

import secrets

from django.utils import timezone

from .models import LINK_LIFETIME, SignInToken


def issue_sign_in_link(email: str) -> str:
    """A new one-time sign-in token for ``email``; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    SignInToken.objects.create(token_hash=SignInToken.hash(token), email=email)
    return token


def redeem_sign_in_link(token: str) -> str | None:
    """The email the token was issued for, once; None if unknown, used or expired."""
    now = timezone.now()
    updated = SignInToken.objects.filter(
        token_hash=SignInToken.hash(token), used_at__isnull=True, created_at__gte=now - LINK_LIFETIME
    ).update(used_at=now)
    if not updated:
        return None
    return SignInToken.objects.get(token_hash=SignInToken.hash(token)).email
