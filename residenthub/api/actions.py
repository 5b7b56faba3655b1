"""The writers of the API app: keys (create, revoke, last use) and which cases a client may touch."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from residenthub.accounts import permissions
from residenthub.core.actions import ActionError, Actor, as_actor, audit, require_staff

from .models import ApiKey, ClientCase, Scope

SYSTEM = Actor.system("command")  # the operator at the command line


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_key(
    name: str, scopes: list[str] | None = None, user: Any = None, *, by: Any = SYSTEM
) -> tuple[ApiKey, str]:
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
        name=name.strip()[:100], prefix=prefix, key_hash=key_hash(raw), scopes=scopes, user=user
    )
    audit(actor, "api_key.created", key, scopes=scopes, bound_to=getattr(user, "pk", None))
    return key, raw


def touch_key(key: ApiKey, now: dt.datetime) -> None:
    """Remember when a key was last used (at most once a minute, so reads stay cheap; not audited)."""
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def revoke(key: ApiKey, *, by: Any = SYSTEM) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit(by, "api_key.revoked", key)
    return key


def record_submission(case: Any, key: ApiKey, body_hash: str) -> ClientCase:
    """Remember that ``key``'s client sent ``case`` (it may then update it), once per case."""
    link, _created = ClientCase.objects.get_or_create(
        key=key, case=case, defaults={"kind": ClientCase.Kind.SUBMITTED, "body_hash": body_hash}
    )
    return link


@transaction.atomic
def share_case(case: Any, key: ApiKey, *, by: Any) -> ClientCase:
    """Let ``key``'s client post updates to ``case`` (e.g. a contractor's system). Staff of the team
    working the case only; restricted cases are never shared with a client."""
    user = require_staff(by)
    if not permissions.can_work_case(user, case):
        raise ActionError("Only the team working this case can share it with a client.")
    if case.restricted:
        raise ActionError("Restricted cases cannot be shared with an API client.")
    if key.revoked_at is not None:
        raise ActionError("That key has been revoked.")
    link, created = ClientCase.objects.get_or_create(
        key=key, case=case, defaults={"kind": ClientCase.Kind.SHARED, "shared_by": user}
    )
    if not created:
        raise ActionError(f"{key.name} can already update this case.")
    audit(by, "case.shared_with_client", case, key=key.prefix)
    return link


@transaction.atomic
def unshare_case(case: Any, key: ApiKey, *, by: Any) -> None:
    user = require_staff(by)
    if not permissions.can_work_case(user, case):
        raise ActionError("Only the team working this case can change who may update it.")
    deleted, _ = ClientCase.objects.filter(key=key, case=case, kind=ClientCase.Kind.SHARED).delete()
    if not deleted:
        raise ActionError(f"{key.name} was not given this case.")
    audit(by, "case.unshared_with_client", case, key=key.prefix)


# --- webhooks (api/webhooks.py decides what to send and posts it) --------------------------------


def webhook_backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def queue_delivery(subscription: Any, event: str, payload: dict[str, Any]) -> Any:
    """A webhook delivery written in the caller's transaction and handed to the worker after commit."""
    from .models import WebhookDelivery
    from .webhooks import deliver

    delivery = WebhookDelivery.objects.create(subscription=subscription, event=event, payload=payload)
    transaction.on_commit(partial(deliver.delay, delivery.pk))
    return delivery


def record_delivery(
    delivery_id: int,
    attempt: Callable[[Any, Any], tuple[int | None, str]],
    *,
    on_disabled: Callable[[Any], None],
) -> str:
    """Try one pending delivery with ``attempt`` and record the outcome: delivered, or the error and
    the next try (backoff), or failed after WEBHOOK_MAX_ATTEMPTS; a subscription failing
    WEBHOOK_DISABLE_AFTER times in a row is turned off and ``on_disabled`` tells the admins after
    commit. Returns the delivery's new status."""
    from django.conf import settings

    from .models import WebhookDelivery

    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return delivery.status if delivery else "missing"
        subscription = delivery.subscription
        if not subscription.active:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = "subscription disabled"
            delivery.save()
            return delivery.status
        delivery.attempts += 1
        code, error = attempt(subscription, delivery)
        delivery.response_status = code
        if not error:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
            subscription.consecutive_failures = 0
        else:
            delivery.last_error = error
            if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.FAILED
                subscription.consecutive_failures += 1
            else:
                delivery.next_attempt_at = timezone.now() + webhook_backoff(delivery.attempts)
        delivery.save()
        if subscription.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER and subscription.active:
            subscription.active = False
            subscription.disabled_at = timezone.now()
            subscription.disabled_reason = (
                f"{subscription.consecutive_failures} deliveries failed in a row: {error}"[:300]
            )
            transaction.on_commit(partial(on_disabled, subscription))
        subscription.save()
        return delivery.status
