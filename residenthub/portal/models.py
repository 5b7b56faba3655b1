"""Resident sign-in by emailed one-time link."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

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
        token = secrets.token_urlsafe(32)
        cls.objects.create(token_hash=cls.hash(token), email=email)
        return token

    @classmethod
    def redeem(cls, token: str) -> str | None:
        """The email the token was issued for, once; None if unknown, used or expired."""
        now = timezone.now()
        updated = cls.objects.filter(
            token_hash=cls.hash(token), used_at__isnull=True, created_at__gte=now - LINK_LIFETIME
        ).update(used_at=now)
        if not updated:
            return None
        return cls.objects.get(token_hash=cls.hash(token)).email
