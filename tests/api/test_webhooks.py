"""Outgoing webhooks against a local HTTP server: signed, retried with backoff, logged, disabled."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from residenthub.api import webhooks
from residenthub.api.models import WebhookDelivery, WebhookSubscription
from residenthub.cases import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    import ipaddress

    # The receiver is on loopback, which subscribers may not use unless the operator allows it.
    settings.WEBHOOK_ALLOWED_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"),)
    received, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received, server.answers = received, answers
    server.url = f"http://127.0.0.1:{server.server_port}/hook"
    yield server
    server.shutdown()


def test_signed_events_for_public_changes_only(receiver, make_case, django_capture_on_commit_callbacks):
    WebhookSubscription.objects.create(name="Highways", url=receiver.url, secret="s3cret")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case("report-pothole")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_internal_note(case, "staff only", by=None)
        actions.transition(case, "resolved", by=None)
    events = [json.loads(body)["event"] for _h, body in receiver.received]
    assert events == ["case.created", "case.status_changed", "case.closed"]
    headers, body = receiver.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Hub-Signature-256"] == expected
    assert b"resident@example.com" not in body and b"Mary" not in body
    assert WebhookDelivery.objects.filter(status="delivered").count() == 3


def test_retries_then_disables_and_tells_admins(
    receiver, make_case, settings, administrator, django_capture_on_commit_callbacks
):
    administrator.email = "admin@council.example"
    administrator.save()
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_DISABLE_AFTER = 2
    sub = WebhookSubscription.objects.create(
        name="Flaky", url=receiver.url, secret="x", events=["case.created"]
    )
    receiver.answers.extend([500] * 10)
    with django_capture_on_commit_callbacks(execute=True):
        first = make_case("report-pothole")
    delivery = WebhookDelivery.objects.get(payload__case__reference=first.reference)
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.next_attempt_at
    assert delivery.last_error == "HTTP 500"
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliver_now(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        second = make_case("report-pothole")
        webhooks.deliver_now(WebhookDelivery.objects.get(payload__case__reference=second.reference).pk)
    sub.refresh_from_db()
    assert not sub.active and sub.disabled_at and "HTTP 500" in sub.disabled_reason
    assert any("Flaky" in m.subject and "admin@council.example" in m.to for m in mail.outbox)
    assert webhooks.backoff(1).total_seconds() == 60 and webhooks.backoff(3).total_seconds() == 240
