"""Triage test fixtures: the shipped model loaded once per session, in a temporary place."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from residenthub.triage import answers
from residenthub.triage import model as triage_model


@pytest.fixture(scope="session", autouse=True)
def triage_model_for_tests(tmp_path_factory):
    """The shipped model (trained on the committed real-data corpus), loaded once per session with
    the sentence encoder, and kept out of var/."""
    path = tmp_path_factory.mktemp("triage") / "model.joblib"
    django_settings.TRIAGE_MODEL_PATH = str(path)
    shipped = triage_model.load_shipped()
    shipped.save(path)
    triage_model.set_model(shipped)
    yield shipped
    triage_model.set_model(None)


@pytest.fixture(scope="session", autouse=True)
def pages_index_for_tests(tmp_path_factory):
    """The index of the shipped demo pages, kept out of var/ (rebuilt on first use, as in production)."""
    path = tmp_path_factory.mktemp("pages") / "pages-index.json"
    django_settings.TRIAGE_PAGES_INDEX = str(path)
    answers.set_index(None)
    yield path
    answers.set_index(None)


@pytest.fixture
def customer_services_officer(db):
    from tests.conftest import _staff

    return _staff("cs.officer", "customer-services")
