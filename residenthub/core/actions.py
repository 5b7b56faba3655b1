"""The toolkit every app's ``actions.py`` is written with.

One rule (docs/adr/0060-action-layer.md): a domain model is written only by an action function. An
action takes the actor as a keyword (``by=``), validates, changes the records inside one
``transaction.atomic`` block, writes the timeline event and the audit entry, and leaves side effects
that must not happen on rollback (cache invalidation, webhooks, sending) to ``after_commit``.

``Actor`` carries who acted and from where, so the audit entry of an action started by a request,
a job or an API client always says the same things in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from . import audit as _audit


class ActionError(Exception):
    """A change the rules do not allow. The message is written for the person who asked; ``field`` names
    the action's argument that is wrong, when one is, so a page can show the message at that field."""

    def __init__(self, message: str = "", *, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Actor:
    """Who is acting: a staff user, or a labelled non-staff actor ("resident", "system:clock",
    "api:<client>"), with the request's IP address where there was a request."""

    user: Any = None
    label: str = ""
    ip: str | None = None

    @classmethod
    def from_request(cls, request, *, label: str = "") -> Actor:
        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False):
            user = None
        return cls(user=user, label=label or ("" if user else "resident"), ip=_audit.client_ip(request))

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(label=name if name.startswith("system") else f"system:{name}")

    @property
    def staff(self):
        """The staff user, or None for residents, jobs and API clients."""
        user = self.user
        return user if getattr(user, "is_authenticated", False) else None

    def __str__(self) -> str:
        return str(self.staff or self.label or "system")


def as_actor(by: Any, ip: str | None = None) -> Actor:
    """Accept an ``Actor``, a user, or None (the system) where older actions took ``by=user``."""
    if isinstance(by, Actor):
        return by if ip is None or by.ip else Actor(user=by.user, label=by.label, ip=ip)
    if getattr(by, "is_authenticated", False):
        return Actor(user=by, ip=ip)
    return Actor(label="system", ip=ip)


def require_staff(by: Any, message: str = "Only signed-in staff can do this.") -> Any:
    """The staff user behind ``by``, or ``ActionError``: for actions residents and jobs may not take."""
    user = as_actor(by).staff
    if user is None or not user.is_staff or not user.is_active:
        raise ActionError(message)
    return user


def audit(by: Any, action: str, obj, **detail) -> Any:
    """Record ``action`` on ``obj`` by ``by`` (an Actor, user or None). Keep personal data out of detail."""
    actor = as_actor(by)
    return _audit.record(action, obj, actor=actor.staff, actor_label=actor.label, detail=detail, ip=actor.ip)


def after_commit(fn: Callable[[], Any]) -> None:
    """Run ``fn`` once the surrounding transaction commits (at once outside a transaction)."""
    transaction.on_commit(fn)


atomic = transaction.atomic
