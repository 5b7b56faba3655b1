"""Checking API keys. A key is ``rh_<prefix>_<secret>``; only its hash is stored.

Creating and revoking keys are actions (``api.actions.create_key``, ``revoke``), re-exported here.
"""

from __future__ import annotations

import hmac

from django.utils import timezone

from .actions import SYSTEM, create_key, key_hash, revoke, touch_key
from .models import ApiKey

__all__ = ["SYSTEM", "authenticate", "create_key", "revoke"]


def authenticate(raw: str | None) -> ApiKey | None:
    """The active key for ``raw``, else None."""
    if not raw or not raw.startswith("rh_") or raw.count("_") < 2:
        return None
    prefix = raw.split("_", 2)[1]
    key = ApiKey.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.key_hash, key_hash(raw)):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        touch_key(key, now)
    return key
