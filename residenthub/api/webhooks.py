"""Outgoing webhooks: public case events, signed with HMAC-SHA256, delivered by a job with retries.

Events come from the case timeline (``CaseEvent`` rows are only written by ``cases.actions``):
submitted -> case.created; a status change -> case.status_changed (and case.closed when the new
status is closed); a public update -> case.updated. Internal notes are never sent. Payloads carry
no personal data: the reference, service, status and the event's time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import mail_admins, send_mail
from django.db import transaction
from django.utils import timezone

from residenthub.cases.models import CaseEvent

from .models import WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)


def events_for(event: CaseEvent) -> list[str]:
    if not event.public:
        return []
    if event.kind == CaseEvent.Kind.SUBMITTED:
        return ["case.created"]
    if event.kind in {CaseEvent.Kind.STATUS_CHANGED, CaseEvent.Kind.DUPLICATE}:
        found = ["case.status_changed"]
        workflow = event.case.service.workflow
        if workflow.has(event.to_status) and workflow.status(event.to_status).is_closed:
            found.append("case.closed")
        return found
    if event.kind in {CaseEvent.Kind.PUBLIC_UPDATE, CaseEvent.Kind.REROUTED}:
        return ["case.updated"]
    return []


def payload(name: str, event: CaseEvent) -> dict:
    case = event.case
    return {
        "event": name,
        "event_id": event.pk,
        "at": timezone.localtime(event.at).isoformat(timespec="seconds"),
        "case": {
            "reference": case.reference,
            "service": case.service.code,
            "status": event.to_status or case.status,
            "open": case.is_open,
            "restricted": case.restricted,
        },
    }


def on_event(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    names = events_for(instance)
    if not names or instance.case.restricted:
        return
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True) if any(s.wants(n) for n in names)
    ]
    for subscription in subscriptions:
        for name in names:
            if subscription.wants(name):
                delivery = WebhookDelivery.objects.create(
                    subscription=subscription, event=name, payload=payload(name, instance)
                )
                transaction.on_commit(lambda pk=delivery.pk: deliver.delay(pk))


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def _post(subscription: WebhookSubscription, delivery: WebhookDelivery) -> int:
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 - subscribers are set by administrators
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "ResidentHub-Webhooks/1",
            "X-Hub-Event": delivery.event,
            "X-Hub-Delivery": str(delivery.pk),
            "X-Hub-Signature-256": signature(subscription.secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def deliver_now(delivery_id: int) -> str:
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
        try:
            code = _post(subscription, delivery)
            error = "" if 200 <= code < 300 else f"HTTP {code}"
        except Exception as exc:  # any network failure is recorded and retried
            code, error = None, f"{type(exc).__name__}: {exc}"[:500]
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
                delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save()
        if subscription.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER and subscription.active:
            subscription.active = False
            subscription.disabled_at = timezone.now()
            subscription.disabled_reason = (
                f"{subscription.consecutive_failures} deliveries failed in a row: {error}"[:300]
            )
            transaction.on_commit(lambda s=subscription: _tell_admins(s))
        subscription.save()
        return delivery.status


def _tell_admins(subscription: WebhookSubscription) -> None:
    subject = f"Webhook {subscription.name} was turned off"
    body = (
        f"Deliveries to {subscription.url} kept failing ({subscription.disabled_reason}). It has been turned "
        "off; fix the receiver, then tick Active on it in the admin under Webhook subscriptions."
    )
    recipients = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    logger.warning("webhook subscription %s disabled after repeated failures", subscription.pk)
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
    mail_admins(subject, body, fail_silently=True)


@shared_task(name="residenthub.api.webhooks.deliver")
def deliver(delivery_id: int) -> str:
    return deliver_now(delivery_id)


@shared_task(name="residenthub.api.webhooks.deliver_due")
def deliver_due(limit: int = 500) -> int:
    """Retry deliveries whose backoff has passed (run every minute by beat)."""
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        deliver_now(pk)
    return len(due)
