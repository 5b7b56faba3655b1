"""Retention in a real browser: the records manager's pages pass axe-core, the hold form's errors
use the GOV.UK error summary, and an erasure is carried out from the person's page."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, _staff
from tests.retention.conftest import world  # noqa: F401 - the fixture

from .conftest import DESKTOP
from .helpers import assert_error_summary, follow, heading, press, sign_in, visit

pytestmark = pytest.mark.browser


def test_records_manager_pages_and_an_erasure(open_page, check_page, world):  # noqa: F811
    w = world()
    _staff("records.manager", "information-governance", "team_leader")
    page = open_page(viewport=DESKTOP)
    sign_in(page, "records.manager", PASSWORD)
    visit(page, "/staff/retention/")
    assert heading(page) == "Retention schedule"
    check_page(page, "retention schedule")
    follow(page, "Sweeps and reports")
    check_page(page, "sweeps")
    press(page, "Run a dry run now")
    assert heading(page).startswith("Dry run of")
    check_page(page, "dry run report")
    visit(page, "/staff/retention/holds/")
    page.get_by_label("Person id, case reference or request reference").fill("NOPE-1")
    press(page, "Place the hold", status=400)
    assert_error_summary(page, "target", "No person has the reference NOPE-1")
    check_page(page, "holds with an error")
    visit(page, f"/staff/identity/person/{w.person.public_id}/")
    follow(page, "Erase this person's records")
    check_page(page, "new erasure request")
    press(page, "Continue")
    assert "9 records in 4 sources" in page.content()
    check_page(page, "erasure plan")
    page.get_by_label("Erase or anonymise the records marked above. This cannot be undone.").check()
    press(page, "Erase")
    assert page.locator(".govuk-panel__title").inner_text().strip() == "Erased"
    check_page(page, "erasure done")
