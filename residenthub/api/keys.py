"""Creating, checking and revoking API keys. A key is ``rh_<prefix>_<secret>``; only its hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from residenthub.accounts import permissions
from residenthub.core.actions import ActionError, Actor, as_actor, audit

from .models import ApiKey, Scope

SYSTEM = Actor.system("command")  # the operator at the command line


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_key(name: str, scopes: list[str] | None = None, user=None, *, by=SYSTEM) -> tuple[ApiKey, str]:
    """A new key for a client; returns it with the only copy of the key itself.

    A key bound to a staff user acts as that user (their cases, their restricted data), so staff may
    mint keys only for themselves; binding one to someone else needs the key-administrator team
    (``API_KEY_ADMIN_TEAM``). The operator at the command line (``by`` the system) may do either.
    """
    actor = as_actor(by)
    other_user = actor.staff is not None and user is not None and user.pk != actor.staff.pk
    if other_user and not permissions.can_administer_keys(actor.staff):
        raise ActionError("You can create keys only for yourself. Ask a key administrator.")
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
    audit(actor, "api_key.created", key, scopes=scopes, bound_to=getattr(user, "pk", None))
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


def revoke(key: ApiKey, *, by=SYSTEM) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit(by, "api_key.revoked", key)
    return key
