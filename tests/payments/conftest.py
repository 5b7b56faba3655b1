"""Payments fixtures: GOV.UK Pay served locally, and the personas around a bulky waste case."""

from __future__ import annotations

import pytest

from tests.conftest import _staff
from tests.fakes.govuk_pay import API_KEY, MOTO_KEY, WEBHOOK_SECRET, FakePay


@pytest.fixture
def fake_pay(settings, tmp_path):
    """GOV.UK Pay's API on loopback; the settings point Resident Hub at it."""
    server = FakePay().start()
    settings.GOVUK_PAY_API_KEY = API_KEY
    settings.GOVUK_PAY_MOTO_API_KEY = MOTO_KEY
    settings.GOVUK_PAY_BASE_URL = server.base_url
    settings.GOVUK_PAY_PAGES_ORIGIN = server.base_url
    settings.GOVUK_PAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.GOVUK_PAY_TIMEOUT_SECONDS = 2
    settings.PAYMENTS_EXPORT_DIR = tmp_path / "payments"
    yield server
    server.stop()


@pytest.fixture
def no_pay(settings):
    """No GOV.UK Pay key: fee services say how else to pay."""
    settings.GOVUK_PAY_API_KEY = ""
    settings.GOVUK_PAY_MOTO_API_KEY = ""


@pytest.fixture
def waste_officer(db, catalogue):
    """Officer in the team that owns bulky waste collections."""
    return _staff("waste.officer", "waste", email="waste.officer@council.example")


@pytest.fixture
def waste_leader(db, catalogue):
    """Team leader of the waste team: approves large refunds."""
    from residenthub.accounts.models import Membership

    return _staff("waste.leader", "waste", Membership.Role.TEAM_LEADER, email="waste.leader@council.example")


@pytest.fixture
def other_officer(db, catalogue):
    """Officer in another team (housing repairs)."""
    return _staff("housing.officer", "housing-repairs")


@pytest.fixture
def outsider(db):
    """Staff with no team at all."""
    return _staff("no.team", None)


@pytest.fixture
def finance_officer(db, catalogue):
    """Officer in the council tax (revenues) team: PAYMENTS_FINANCE_TEAMS."""
    return _staff("finance.officer", "revenues")
