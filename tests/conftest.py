"""Shared fixtures: the demo catalogue, named personas, a real SMTP server on loopback."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from residenthub.accounts.models import Membership, Team
from residenthub.cases import actions
from residenthub.cases.models import NotifyBy
from residenthub.services.models import Service

PASSWORD = "a-test-password-1234"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the catalogue and the demo addresses once per test session."""
    with django_db_blocker.unblock():
        call_command("load_catalogue", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("load_addresses", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def catalogue(db):
    """The demo catalogue and addresses, reloaded after a transactional test flushed them."""
    from residenthub.core.models import Address

    if not Service.objects.exists():
        call_command("load_catalogue", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if not Address.objects.exists():
        call_command("load_addresses", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


def _staff(username: str, team_slug: str | None, role=Membership.Role.OFFICER, **extra):
    if team_slug and not Team.objects.filter(slug=team_slug).exists():
        call_command("load_catalogue", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True, **extra)
    if team_slug:
        Membership.objects.create(user=user, team=Team.objects.get(slug=team_slug), role=role)
    return user


@pytest.fixture
def highways_officer(db):
    """Officer in the team that owns street reports."""
    return _staff(
        "highways.officer", "highways", email="officer@council.example", first_name="Hana", last_name="Okafor"
    )


@pytest.fixture
def housing_officer(db):
    """Officer in another team."""
    return _staff("housing.officer", "housing-repairs")


@pytest.fixture
def socialcare_officer(db):
    return _staff("socialcare.officer", "adult-social-care")


@pytest.fixture
def team_leader(db):
    """Team leader of the highways team."""
    return _staff("team.leader", "highways", Membership.Role.TEAM_LEADER, email="leader@council.example")


@pytest.fixture
def service_manager(db):
    return _staff("manager", "highways", Membership.Role.SERVICE_MANAGER, email="manager@council.example")


@pytest.fixture
def administrator(db):
    return _staff("admin", None, is_superuser=True)


@pytest.fixture
def pothole(catalogue) -> Service:
    return Service.objects.get(code="report-pothole")


@pytest.fixture
def make_case(catalogue):
    """Create a case through the real action, with sensible answers for its service."""

    def _make(
        code: str = "report-pothole",
        *,
        email="resident@example.com",
        notify_by=NotifyBy.EMAIL,
        answers=None,
        **kwargs,
    ):
        service = Service.objects.get(code=code)
        if answers is None:
            answers = minimal_answers(service)
        contact = actions.Contact(
            name=kwargs.pop("name", "Mary O'Brien"),
            email=email,
            phone=kwargs.pop("phone", ""),
            notify_by=notify_by,
            postcode=kwargs.pop("postcode", ""),
            address=kwargs.pop("address", ""),
        )
        return actions.create_case(service=service, answers=answers, contact=contact, **kwargs)

    return _make


def minimal_answers(service: Service) -> dict:
    """Valid answers to every required, shown question of a service."""
    answers: dict = {}
    for question in service.form.questions:
        if not question.is_shown(answers) or not question.required:
            continue
        kind = question.type
        if kind == "location":
            answers[question.name] = {"description": "Outside 14 Station Road", "postcode": "E20 1AB"}
        elif kind == "address":
            answers[question.name] = {
                "uprn": "",
                "text": "1 Test Street, Demoborough, E20 1AB",
                "postcode": "E20 1AB",
            }
        elif kind in {"choice"}:
            answers[question.name] = question.choices[0].value
        elif kind == "choices":
            answers[question.name] = [question.choices[0].value]
        elif kind == "yesno":
            answers[question.name] = "no"
        elif kind == "date":
            answers[question.name] = "2026-11-01"
        elif kind == "number":
            answers[question.name] = max(question.min or 1, 1)
        elif kind == "email":
            answers[question.name] = "someone@example.com"
        elif kind == "phone":
            answers[question.name] = "+447700900123"
        elif kind == "postcode":
            answers[question.name] = "E20 1AB"
        elif kind == "file":
            continue
        else:
            answers[question.name] = "Some details"
    return answers


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback; Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    class Collector:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.messages.append(envelope)
            return "250 OK"

    handler = Collector()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = handler.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


@pytest.fixture
def fake_notify(settings):
    """GOV.UK Notify's API served locally; the settings point the SMS sender at it."""
    from tests.fakes.notify import API_KEY, TEMPLATE_ID, FakeNotify

    server = FakeNotify().start()
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = server.base_url
    settings.NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
    yield server
    server.stop()
