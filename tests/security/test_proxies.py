"""Finding 7 (medium): behind the proxy, the client's own address for lock-outs, limits and audit;
lock-out by username and address, so nobody can lock a named officer out from elsewhere."""

import ipaddress

import pytest
from django.test import Client, RequestFactory

from residenthub.core.audit import client_ip
from residenthub.core.models import AuditEntry
from tests.conftest import PASSWORD

PROXY = (ipaddress.ip_network("10.0.0.0/8"),)


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_counts_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = PROXY
    assert client_ip(_request("10.0.0.5", "203.0.113.9")) == "203.0.113.9"
    # The left-most entry is the client's to choose: the right-most untrusted hop counts.
    assert client_ip(_request("10.0.0.5", "198.51.100.1, 203.0.113.9, 10.0.0.4")) == "203.0.113.9"
    # From an untrusted address the header is ignored.
    assert client_ip(_request("203.0.113.50", "198.51.100.1")) == "203.0.113.50"
    assert client_ip(_request("10.0.0.5", "not-an-ip")) == "10.0.0.5"
    settings.TRUSTED_PROXIES = ()
    assert client_ip(_request("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


@pytest.mark.django_db
def test_lockout_is_per_username_and_address_behind_the_proxy(highways_officer, settings):
    settings.TRUSTED_PROXIES = PROXY
    attacker = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post("/staff/login/", {"username": "highways.officer", "password": "wrong"})
    locked = attacker.post("/staff/login/", {"username": "highways.officer", "password": PASSWORD})
    assert locked.status_code == 429
    # The officer, at another address behind the same proxy, still signs in.
    officer = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = officer.post("/staff/login/", {"username": "highways.officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    entry = AuditEntry.objects.filter(action="staff.signed_in").latest("at")
    assert entry.ip_address == "198.51.100.20"


def test_tracebacks_are_scrubbed_too():
    """Finding 15 (low): personal data in an exception's text does not reach the log."""
    import io
    import logging

    from residenthub.core.logging import ScrubPersonalData

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubPersonalData())
    logger = logging.getLogger("tests.scrub")
    logger.addHandler(handler)
    try:
        raise ValueError("could not send to mary.obrien@example.com on 07700 900982")
    except ValueError:
        logger.exception("sending failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "Traceback" in written and "ValueError" in written
    assert "mary.obrien" not in written and "900982" not in written
