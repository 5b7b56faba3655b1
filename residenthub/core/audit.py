"""Writing the audit trail. Every action function calls ``record``."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings

from .models import AuditEntry


def client_ip(request) -> str | None:
    """The client's address. ``X-Forwarded-For`` counts only when the connection comes from one of
    ``TRUSTED_PROXIES``; then the right-most address that is not itself a trusted proxy is the client
    (left-most entries are whatever the client chose to send)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.TRUSTED_PROXIES
    if not remote or not trusted or not _within(remote, trusted):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a garbled header: trust nothing in it
        if not _within(hop, trusted):
            return hop
    return remote


def _within(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


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
