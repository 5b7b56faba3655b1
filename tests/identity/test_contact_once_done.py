"""Issue 15's "Done means", walked end to end on the identity demo data.

A housing officer types a misspelt name and a postcode, finds the resident who appears in council
tax, housing and a web case under three spellings, opens the person and sees every case and record;
the resident signs in, changes address once, and the council tax and housing teams each get a task;
the resident chose "by post", so a letter PDF is made when her case is updated; after closing,
"how did we do?" arrives (by letter) and her answer shows on the team's page.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case, NotifyBy
from residenthub.core.models import AuditEntry
from residenthub.feedback.models import FeedbackResponse
from residenthub.identity import demo
from residenthub.letters.models import Letter
from residenthub.portal.models import SignInToken
from residenthub.residents.models import ResidentAccount, TeamTask

EMAIL = demo.DEMO_RESIDENT["email"]
POSTAL = "Maggie O'Brien\nFlat 2, 14 Station Road\nDemoborough\nE20 1AB"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(data))).pages)


@pytest.mark.django_db(transaction=True)
def test_contact_once_done_means(catalogue, make_case, housing_officer):
    call_command("identity", "demo", stdout=io.StringIO())
    person = demo.resident_person()

    # Her web case, third spelling, updates by post.
    case = make_case(
        "housing-repair",
        name="Maggie O'Brien",
        email=EMAIL,
        postcode="E20 1AB",
        notify_by=NotifyBy.POST,
        address=POSTAL,
    )
    assert case.identity_link.person == person
    assert Letter.objects.filter(case=case, kind="submitted", status="to_print").count() == 1

    officer = Client()
    officer.force_login(housing_officer)

    # A misspelt name and a postcode find her first.
    page = officer.get("/staff/identity/people/", {"q": "Margret OBrian E20 1AB"})
    assert page.status_code == 200
    results = page.context["results"]
    assert results and results[0].public_id == person.public_id
    first = results[0]
    assert {"Council tax", "Housing tenancies"} <= set(first.sources), first.sources
    assert first.open_cases == 1 and first.dob == demo.DEMO_RESIDENT["dob"]
    assert first.name == "Margaret O'Brien"  # as council tax wrote it, apostrophe kept
    assert "Flat 2, 14 Station Road" in first.address

    # The person: every record she has in sources the officer may see, and her case.
    html = officer.get(f"/staff/identity/person/{person.public_id}/").content.decode()
    assert case.reference in html and "O&#x27;Brien</h1>" in html.replace("\n", "")
    for key in ("council-tax", "housing", "cases"):
        assert person.links.filter(record__source__slug=key).exists()
    for source in ("Council tax", "Housing tenancies", "Cases (this system)"):
        assert source in html, source
    assert "ASC5001" not in html  # adult social care is restricted to its team

    # One click from the case to the person.
    case_page = officer.get(f"/staff/cases/{case.reference}/").content.decode()
    assert f'href="/staff/identity/person/{person.public_id}/"' in case_page

    # Her case is updated: she gets a letter, with her details and nobody else's.
    case_actions.transition(case, "in_progress", by=housing_officer, public_message="A repairer will call.")
    letter = Letter.objects.get(case=case, kind="status_changed")
    text = pdf_text(letter.pdf)
    assert "Maggie O'Brien" in text and case.reference in text and "A repairer will call." in text

    # She signs in, saves her details, and tells us once that she moved.
    resident = Client()
    token = SignInToken.issue(EMAIL)
    assert resident.get(f"/account/sign-in/{token}/").status_code == 302
    response = resident.post(
        "/account/details/", {"name": "Margaret O'Brien", "phone": "", "language": "en", "notify_by": "email"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resident.post("/account/address/", {"postcode": "E20 1AB", "uprn": "100090000057"})
    account = ResidentAccount.objects.get(email=EMAIL)
    assert account.address.uprn == "100090000057" and account.person == person
    response = resident.post(
        "/account/move/",
        {
            "postcode": "E20 1AB",
            "uprn": "100090000009",
            "moved-day": "1",
            "moved-month": "11",
            "moved-year": "2026",
            "adults": "1",
            "cases": [case.reference],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert resident.post("/account/move/check/").status_code == 302
    done = resident.get("/account/move/done/").content.decode()
    assert "We have your new address" in done

    tasks = TeamTask.objects.filter(person=person)
    teams = set(tasks.values_list("team__slug", flat=True))
    assert {"revenues", "housing-repairs"} <= teams, teams
    assert "adult-social-care" in teams  # the restricted source's own team hears too
    council_tax = Case.objects.get(service__code="council-tax-moving-home", contact_email=EMAIL)
    assert council_tax.answers["new_address"]["uprn"] == "100090000009"
    assert AuditEntry.objects.filter(action="resident.moved").count() == 1
    assert officer.get("/staff/tasks/").context["tasks"][0].team.slug == "housing-repairs"

    # Closing the case asks "how did we do?" by her chosen channel (post): the link is in the letter.
    case_actions.transition(case, "resolved", by=housing_officer)
    ask = Letter.objects.get(case=case, kind="feedback")
    link = re.search(r"/feedback/([^/\s]+)/", pdf_text(ask.pdf).replace("\n", ""))
    assert link, pdf_text(ask.pdf)
    answer = Client().post(f"/feedback/{link.group(1)}/", {"score": "4", "comment": "Quick, thank you."})
    assert answer.status_code == 200 and "Thank you for your feedback" in answer.content.decode()
    assert FeedbackResponse.objects.get(case=case).team.slug == "housing-repairs"
    results = officer.get("/staff/feedback/")
    assert [(r["team__name"], r["answers"]) for r in results.context["by_team"]] == [("Housing Repairs", 1)]
