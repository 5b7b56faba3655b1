"""Resident sign-in by emailed one-time link."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import models
from django.utils import timezone

LINK_LIFETIME = dt.timedelta(minutes=30)


class SignInToken(models.Model):
    """A one-time sign-in link. Only the token's hash is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link of {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, email: str) -> str:
        """Kept for callers of the model; the writer is ``portal.actions.issue_sign_in_link``."""
        from .actions import issue_sign_in_link

        return issue_sign_in_link(email)

    @classmethod
    def redeem(cls, token: str) -> str | None:
        from .actions import redeem_sign_in_link

        return redeem_sign_in_link(token)
