"""Outgoing webhooks: public case events, signed with HMAC-SHA256, delivered by a job with retries.

Events come from the case timeline (``CaseEvent`` rows are only written by ``cases.actions``):
submitted -> case.created; a status change -> case.status_changed (and case.closed when the new
status is closed); a public update -> case.updated. Internal notes are never sent. Payloads carry
no personal data: the reference, service, status and the event's time.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import mail_admins, send_mail
from django.utils import timezone

from residenthub.cases.models import CaseEvent

from . import actions
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
                actions.queue_delivery(subscription, name, payload(name, instance))


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


backoff = actions.webhook_backoff  # 1, 2, 4 ... minutes, capped at six hours


class Refused(Exception):
    """The subscriber's address may not be called; the message is what the delivery log keeps."""


def _allowed(address: str) -> bool:
    """Public addresses only: never loopback, private, link-local (cloud metadata), multicast or
    reserved ranges, unless an operator lists a range in ``WEBHOOK_ALLOWED_NETWORKS``."""
    ip = ipaddress.ip_address(address)
    if any(ip in network for network in settings.WEBHOOK_ALLOWED_NETWORKS):
        return True
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host name, port, the address to connect to, path) for a subscriber URL, checked
    after DNS so a name that points inside the network is refused."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise Refused("not an http(s) URL")
    if parts.scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise Refused("https required")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise Refused("host not found") from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(_allowed(a) for a in addresses):
        raise Refused("address not allowed")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, addresses[0], path


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connect to the address already checked (no second DNS lookup), verify the certificate for the
    host name."""

    def __init__(self, address: str, host: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, address: str, host: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _post(subscription: WebhookSubscription, delivery: WebhookDelivery) -> int:
    """POST once; redirects are not followed (a 3xx is a failed delivery)."""
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    scheme, host, port, address, path = resolve(subscription.url)
    connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = connection_class(address, host, port, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "ResidentHub-Webhooks/1",
                "X-Hub-Event": delivery.event,
                "X-Hub-Delivery": str(delivery.pk),
                "X-Hub-Signature-256": signature(subscription.secret, body),
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


def _attempt(subscription: WebhookSubscription, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST once; the status code and the error kept. Only the status code or a fixed reason is kept:
    an error text would let whoever sets the URL scan the network behind us."""
    try:
        code = _post(subscription, delivery)
    except Refused as exc:
        return None, f"refused: {exc}"
    except TimeoutError:
        return None, "timed out"
    except (OSError, http.client.HTTPException):  # any other network failure is retried
        return None, "could not connect"
    return code, "" if 200 <= code < 300 else f"HTTP {code}"


def deliver_now(delivery_id: int) -> str:
    """Try one pending delivery; its outcome is recorded by ``api.actions.record_delivery``."""
    return actions.record_delivery(delivery_id, _attempt, on_disabled=_tell_admins)


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
