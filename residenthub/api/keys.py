"""Creating, checking and revoking API keys. A key is ``rh_<prefix>_<secret>``; only its hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from .models import ApiKey, Scope


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_key(name: str, scopes: list[str] | None = None, user=None) -> tuple[ApiKey, str]:
    """A new key for a client; returns it with the only copy of the key itself."""
    scopes = list(scopes if scopes is not None else [Scope.OPEN311])
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValueError(f"unknown scopes {sorted(unknown)}; known: {Scope.values}")
    if not name.strip():
        raise ValueError("the key needs a name")
    prefix = secrets.token_hex(5)
    raw = f"rh_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name.strip()[:100], prefix=prefix, key_hash=_hash(raw), scopes=scopes, user=user
    )
    return key, raw


def authenticate(raw: str | None) -> ApiKey | None:
    """The active key for ``raw``, else None."""
    if not raw or not raw.startswith("rh_") or raw.count("_") < 2:
        return None
    prefix = raw.split("_", 2)[1]
    key = ApiKey.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(raw)):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def revoke(key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key
