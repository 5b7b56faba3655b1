"""The front door's learning pages in a real browser: review training examples, see the model versions
and roll back, checked with axe-core; and a message about two things offers both, then the next one
after the first is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, _staff

from .conftest import DESKTOP
from .helpers import assert_error_summary, follow, heading, press, sign_in, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def customer_services_officer(hub):
    """An officer of the triage team."""
    return _staff("cs.officer", "customer-services")


def test_review_examples_and_roll_back_a_model(
    open_page, check_page, triage_model, customer_services_officer, tmp_path, monkeypatch
):
    from residenthub.services.models import Service
    from residenthub.triage import actions, engine
    from residenthub.triage import model as triage_model_module
    from residenthub.triage.models import ModelVersion, TrainingExample

    # The model file a roll-back writes goes to a temporary folder, not var/triage/.
    monkeypatch.setattr(triage_model_module, "model_path", lambda: tmp_path / "active.joblib")

    # Other officers get 403: tests/triage/test_learning.py checks every persona with the test client.
    # A desktop width, where officers work: these are wide tables, like the queues in test_staff.py.
    page = open_page(viewport=DESKTOP)
    sign_in(page, customer_services_officer.username, PASSWORD)
    rec = actions.record(engine.analyse("the lamp post by the school has been dark for a week"))
    rec.chosen_service = Service.objects.get(code="report-street-light")
    rec.save(update_fields=["chosen_service"])
    actions.collect_example(rec, "accepted")
    for name, active in (("hub-2-earlier", False), ("hub-2-current", True)):
        model = triage_model_module.load_shipped()
        model.version = name
        actions.record_model_version(
            model, model.save(tmp_path / f"{name}.joblib"), source="trained", activate=active
        )

    visit(page, "/triage/staff/examples/")
    assert heading(page) == "Training examples"
    expect(page.locator("tbody tr", has_text="lamp post by the school")).to_have_count(1)
    check_page(page, "training examples to review")
    press(page, "Use for training", exact=False)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approved for training")
    assert TrainingExample.objects.get().review == "approved"
    check_page(page, "training examples after a review")

    follow(page, "Triage models")
    assert heading(page) == "Triage models"
    expect(page.locator(".govuk-tag", has_text="In use")).to_have_count(1)
    check_page(page, "triage model versions")
    press(page, "Use this model hub-2-earlier", status=400, exact=False)
    assert_error_summary(page, "note", "Say why you are changing the model")
    check_page(page, "triage model versions, roll back without a reason")
    page.locator("#note").fill("the current one sends lights to trees")
    press(page, "Use this model hub-2-earlier", exact=False)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("hub-2-earlier")
    assert ModelVersion.objects.get(active=True).version == "hub-2-earlier"
    check_page(page, "triage model versions after a roll back")
    triage_model_module.set_model(triage_model)


def test_two_needs_in_one_message_are_offered_and_started_in_turn(
    open_page, check_page, triage_model, catalogue
):
    page = open_page()
    visit(page, "/triage/")
    page.get_by_label("Tell us what you need").fill(
        "huge pile of rubbish dumped behind the shops and rats everywhere, "
        "my neighbour is 90 and can't get out"
    )
    press(page, "Continue")
    expect(page.get_by_text("Your message is about more than one thing")).to_be_visible()
    expect(page.get_by_label("Report fly-tipping", exact=False)).to_have_count(1)
    expect(page.get_by_label("Book pest control", exact=False)).to_have_count(1)
    check_page(page, "a message about two things")
