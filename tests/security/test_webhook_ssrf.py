"""Finding 8 (medium): webhooks cannot reach the council's own network, follow no redirects, and keep
no error text that would let a subscriber scan ports."""

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from residenthub.api import webhooks
from residenthub.api.models import WebhookDelivery, WebhookSubscription
from residenthub.cases import actions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/",
        "http://[::1]:8000/",
        "http://localhost:5432/",
        "ftp://example.com/",
    ],
)
def test_internal_addresses_are_refused_after_dns(url, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ()
    with pytest.raises(webhooks.Refused):
        webhooks.resolve(url)


def test_plain_http_refused_when_not_allowed(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(webhooks.Refused, match="https required"):
        webhooks.resolve("http://93.184.216.34/hook")


@pytest.fixture
def redirector(settings):
    """A subscriber that answers with a redirect to an internal port."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:6379/")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            hits.append("GET " + self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.hits = hits
    yield server
    server.shutdown()


def test_redirects_are_not_followed_and_errors_keep_no_detail(
    redirector, settings, make_case, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"),)
    WebhookSubscription.objects.create(
        name="Redirects", url=f"http://127.0.0.1:{redirector.server_port}/hook", secret="x"
    )
    refused = WebhookSubscription.objects.create(name="Inside", url="http://10.9.9.9:22/", secret="x")
    with django_capture_on_commit_callbacks(execute=True):
        make_case("report-pothole")
    delivery = WebhookDelivery.objects.exclude(subscription=refused).get()
    assert delivery.last_error == "HTTP 307"
    assert redirector.hits == ["/hook"]  # one POST, no GET to the redirect target
    inside = WebhookDelivery.objects.get(subscription=refused)
    assert inside.last_error == "refused: address not allowed" and inside.response_status is None


def test_a_closed_port_leaves_no_detail(settings, make_case, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOWED_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"),)
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    WebhookSubscription.objects.create(name="Closed", url=f"http://127.0.0.1:{port}/", secret="x")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case("report-pothole")
    actions.add_internal_note(case, "nothing", by=None)
    assert WebhookDelivery.objects.get().last_error == "could not connect"
