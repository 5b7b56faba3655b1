"""Writing the audit trail. Every action function calls ``record``."""

from __future__ import annotations

from typing import Any

from .models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    obj,
    *,
    actor=None,
    actor_label: str = "",
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``. Keep personal data out of ``detail``.

    ``actor`` may be a staff user, None, or a ``core.actions.Actor`` (whose label and IP are used)."""
    if actor is not None and not hasattr(actor, "is_authenticated") and hasattr(actor, "label"):
        actor_label = actor.label or actor_label
        ip = ip or actor.ip
        actor = actor.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label or ("" if actor else "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail=detail or {},
        ip_address=ip,
    )
