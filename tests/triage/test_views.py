"""The free-text box, result, prefilled form, human triage queue, webchat, phone API and staff pages."""

import json

import pytest
from django.urls import reverse

from residenthub.cases.models import Case, Channel, Priority
from residenthub.triage.models import Outcome, Resolution, TriageRecord
from tests.portal.helpers import q

pytestmark = pytest.mark.django_db


def triage(client, text, url="/triage/"):
    response = client.post(url, {"enquiry": text})
    assert response.status_code == 302, response.content[:500]
    return response, TriageRecord.objects.latest("id")


def test_home_page_has_the_free_text_box(client, catalogue):
    page = client.get("/").content.decode()
    assert 'action="/triage/"' in page and 'name="enquiry"' in page
    assert "Tell us what you need" in page


def test_box_to_suggestions_to_prefilled_form(client, catalogue):
    response, rec = triage(client, "Huge pothole outside 14 Station Road E20 1AB, nearly came off my bike")
    assert response["Location"] == f"/triage/result/{rec.token}/"
    assert rec.outcome == Outcome.SUGGESTED and rec.text.startswith("Huge pothole")
    page = client.get(response["Location"]).content.decode()
    assert "Report a pothole" in page and 'value="report-pothole"' in page
    assert 'value="none"' in page  # "none of these: send my message to a person"

    chosen = client.post(response["Location"], {"service": "report-pothole"})
    assert chosen["Location"] == "/services/report-pothole/"
    draft = client.session["drafts"]["report-pothole"]
    assert draft["answers"]["location"] == {"description": "outside 14 Station Road", "postcode": "E20 1AB"}
    assert draft["done"] == []  # prefilled, not answered: the resident confirms every page
    question = client.get(q("report-pothole", "location")).content.decode()
    assert ">outside 14 Station Road</textarea>" in question and 'value="E20 1AB"' in question
    assert "We have filled in some answers" in question
    rec.refresh_from_db()
    assert rec.resolution == Resolution.ACCEPTED and rec.chosen_service.code == "report-pothole"


def test_choosing_another_suggestion_is_recorded_as_changed(client, catalogue):
    response, rec = triage(client, "the bins weren't collected again and now there's rats")
    codes = [p["code"] for p in rec.predictions]
    assert {"missed-bin", "pest-control"} <= set(codes)
    other = next(c for c in codes if c != codes[0])
    client.post(response["Location"], {"service": other})
    rec.refresh_from_db()
    assert rec.resolution == Resolution.CHANGED


def test_choosing_something_not_offered_is_an_error(client, catalogue):
    response, _rec = triage(client, "Huge pothole outside 14 Station Road")
    page = client.post(response["Location"], {"service": "foi-request"})
    assert page.status_code == 400
    assert "Choose what your message is about" in page.content.decode()


def test_urgent_message_shown_at_once_and_case_lands_urgent(
    client, catalogue, settings, django_capture_on_commit_callbacks
):
    settings.OUT_OF_HOURS_PHONE = "020 7946 0999"
    response, rec = triage(client, "my neighbour's kids have been left alone for two days")
    assert rec.urgent
    page = client.get(response["Location"]).content.decode()
    assert "Get help now" in page and "999" in page and "020 7946 0999" in page
    assert "kids have been left alone" in page  # the phrase that triggered it
    assert page.index('value="child-safeguarding-concern"') < page.index('value="none"')

    client.post(response["Location"], {"service": "child-safeguarding-concern"})
    code = "child-safeguarding-concern"
    draft = client.session["drafts"][code]
    assert draft["answers"]["concern_details"].startswith("my neighbour's kids")
    for name, data in [
        ("child_name", {"child_name": ""}),
        ("child_postcode", {"child_postcode": ""}),
        ("concern_types", {"concern_types": ["neglect"]}),
        ("concern_details", {"concern_details": draft["answers"]["concern_details"]}),
        ("reporter_role", {"reporter_role": "public"}),
    ]:
        assert client.post(q(code, name), data).status_code == 302, name
    contact = client.post(
        f"/services/{code}/your-details/",
        {"name": "", "email": "", "postcode": "E20 1AB", "notify_by": "none"},
    )
    assert contact.status_code == 302, contact.context["errors"]
    check = client.get(f"/services/{code}/check-your-answers/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/services/{code}/check-your-answers/", {"submission_key": check.context["submission_key"]}
        )
    case = Case.objects.get(service__code=code)
    assert case.priority == Priority.URGENT
    rec.refresh_from_db()
    assert rec.case == case
    assert (
        Case.objects.filter(service__team__slug="childrens-services").order_by("priority", "due_date")[0]
        == case
    )


def test_low_confidence_goes_to_the_human_triage_queue(client, catalogue):
    response, rec = triage(client, "I need to talk to someone about my situation")
    assert rec.outcome in {Outcome.NOT_SURE, Outcome.NOT_COUNCIL}
    person = client.get(f"/triage/result/{rec.token}/person/")
    assert person.status_code == 200
    sent = client.post(
        f"/triage/result/{rec.token}/person/", {"name": "Ann", "email": "ann@example.com", "phone": ""}
    )
    assert sent["Location"] == f"/triage/result/{rec.token}/sent/"
    rec.refresh_from_db()
    assert rec.needs_human and rec.resolution == Resolution.HUMAN and rec.contact_email == "ann@example.com"
    assert "will read your message and contact you" in client.get(sent["Location"]).content.decode()


def test_person_form_checks_what_it_is_given(client, catalogue):
    _response, rec = triage(client, "hello?")
    page = client.post(f"/triage/result/{rec.token}/person/", {"email": "not-an-email", "phone": "12"})
    assert page.status_code == 400
    assert "Enter an email address in the correct format" in page.content.decode()


def test_polish_message_is_answered_honestly_in_polish(client, catalogue, settings):
    settings.TRIAGE_TRANSLATE_URL = ""
    response, rec = triage(
        client, "Dzień dobry, od dwóch tygodni nikt nie odebrał moich śmieci. Co mam zrobić?"
    )
    assert rec.outcome == Outcome.TRANSLATION_NEEDED and rec.needs_human
    page = client.get(response["Location"]).content.decode()
    assert 'lang="pl"' in page and "przeczyta" in page
    assert "cannot translate it automatically" in page


def test_empty_box_shows_an_error_and_keeps_nothing(client, catalogue):
    page = client.post("/triage/", {"enquiry": "   "})
    assert page.status_code == 400
    assert "Tell us what you need, in your own words" in page.content.decode()
    assert not TriageRecord.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "😀😀😀",
        "<script>alert(1)</script><img src=x onerror=alert(2)> my bin was missed",
        "x" * 25_000,
        "fix the f***ing road you useless idiots, pothole on Mill Lane",
        "my bin was missed, nikt nie odebrał śmieci",
    ],
    ids=["emoji", "html", "very-long", "abuse", "mixed"],
)
def test_bad_input_gets_a_safe_answer_and_is_kept_whole(client, catalogue, text):
    response, rec = triage(client, text)
    assert rec.text == text  # nothing lost
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "<script>alert(1)</script>" not in body and "<img src=x" not in body


def test_another_session_cannot_see_a_message(client, catalogue):
    response, _rec = triage(client, "my bin was missed")
    other = client.__class__()
    assert other.get(response["Location"]).status_code == 404


# --- Webchat -------------------------------------------------------------------------------------------


def test_webchat_without_javascript(client, catalogue):
    assert "Tell us what you need in your own words" in client.get("/triage/chat/").content.decode()
    first = client.post("/triage/chat/", {"enquiry": "pothole outside 3 Oak Road"})
    assert first.status_code == 302 and first["Location"] == "/triage/chat/#latest"
    client.post("/triage/chat/", {"enquiry": "I can smell gas in the hallway"})
    page = client.get("/triage/chat/").content.decode()
    assert page.count("hub-chat__turn--you") == 2
    assert "Report a pothole" in page and "0800 111 999" in page
    restart = client.post("/triage/chat/", {"action": "restart"})
    assert restart.status_code == 302
    assert "hub-chat__turn--you" not in client.get("/triage/chat/").content.decode()


def test_webchat_with_javascript_gets_the_log_only(client, catalogue):
    response = client.post(
        "/triage/chat/", {"enquiry": "my bin was missed"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<ol class="govuk-list hub-chat__log"')
    assert "Report a missed bin collection" in body


def test_webchat_empty_message(client, catalogue):
    response = client.post("/triage/chat/", {"enquiry": ""})
    assert response.status_code == 400 and "Type your message" in response.content.decode()


# --- Phone API ---------------------------------------------------------------------------------------------


def phone(client, payload, **headers):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return client.post("/triage/api/phone/", body, content_type="application/json", headers=headers)


def test_phone_transcript_in_triage_and_prompt_out(client, catalogue):
    response = phone(client, {"transcript": "yeah hi my bins weren't collected on Tuesday", "call_id": "c-1"})
    assert response.status_code == 200
    data = response.json()
    assert data["call_id"] == "c-1"
    assert data["triage"]["outcome"] == "suggested"
    assert data["triage"]["services"][0]["code"] == "missed-bin"
    assert data["triage"]["services"][0]["lgsl"] == 524
    assert data["action"] == "confirm_service"
    assert "Report a missed bin collection" in data["next_prompt"]
    rec = TriageRecord.objects.get(token=data["record"])
    assert rec.channel == Channel.PHONE and rec.call_id == "c-1"


def test_phone_urgent_call_is_put_through(client, catalogue, settings):
    settings.OUT_OF_HOURS_PHONE = "020 7946 0999"
    data = phone(
        client, {"transcript": "my dad has fallen and can't get up", "caller": "07700 900123"}
    ).json()
    assert data["action"] == "emergency"
    assert data["triage"]["urgent"] is True
    assert "999" in data["next_prompt"]
    assert {"name": "Emergency services", "number": "999"} in data["emergency_contacts"]


def test_phone_unclear_call_goes_to_the_queue_with_the_callers_number(client, catalogue):
    data = phone(client, {"transcript": "erm I'm not sure really", "caller": "07700 900123"}).json()
    assert data["human_queue"] is True or data["action"] in {"not_council", "choose_service"}
    rec = TriageRecord.objects.get(token=data["record"])
    if rec.needs_human:
        assert rec.contact_phone == "+447700900123"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "invalid_json"),
        (b"\xff\xfe", 400, "invalid_json"),
        ("[1, 2]", 400, "invalid_body"),
        ({"call_id": "x"}, 400, "missing_transcript"),
        ({"transcript": 12}, 400, "missing_transcript"),
        ({"transcript": "hi", "caller": 7}, 400, "invalid_field"),
    ],
)
def test_phone_bad_requests_get_a_documented_error_body(client, catalogue, body, status, code):
    response = phone(client, body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_phone_empty_transcript_asks_again(client, catalogue):
    data = phone(client, {"transcript": ""}).json()
    assert data["action"] == "ask_again"


def test_phone_api_method_and_token(client, catalogue, settings):
    assert client.get("/triage/api/phone/").status_code == 405
    settings.TRIAGE_API_TOKEN = "s3cret"
    assert phone(client, {"transcript": "pothole"}).status_code == 401
    assert phone(client, {"transcript": "pothole"}, Authorization="Bearer s3cret").status_code == 200


# --- Staff ---------------------------------------------------------------------------------------------


def test_staff_pages_need_the_right_staff(client, catalogue, highways_officer):
    assert client.get("/triage/staff/")["Location"].startswith("/staff/login/")
    client.force_login(highways_officer)
    assert client.get("/triage/staff/").status_code == 403
    assert client.get("/triage/staff/queue/").status_code == 403


def test_triage_log_and_accuracy(client, catalogue, customer_services_officer):
    visitor = client.__class__()
    _response, rec = triage(visitor, "Huge pothole outside 14 Station Road")
    visitor.post(f"/triage/result/{rec.token}/", {"service": "report-pothole"})
    triage(visitor, "my neighbour's kids have been left alone for two days")
    client.force_login(customer_services_officer)
    page = client.get("/triage/staff/").content.decode()
    assert "Huge pothole outside 14 Station Road" in page
    assert "A child may be at risk" in page
    assert "100%" in page  # the one labelled message was predicted right
    urgent_only = client.get("/triage/staff/?urgent=1").content.decode()
    assert "Huge pothole" not in urgent_only


def test_human_queue_route_creates_an_urgent_case(client, catalogue, customer_services_officer):
    visitor = client.__class__()
    _response, rec = triage(
        visitor, "Dzień dobry, mój syn jest sam w domu od dwóch dni, nikt się nim nie zajmuje"
    )
    visitor.post(f"/triage/result/{rec.token}/person/", {"email": "matka@example.com"})
    rec.refresh_from_db()
    rec.urgent = True  # as if flagged; the rules read English only
    rec.save()
    client.force_login(customer_services_officer)
    queue = client.get("/triage/staff/queue/").content.decode()
    assert "Translation needed" in queue and "Urgent" in queue
    response = client.post(
        reverse("triage:staff_record", args=[rec.pk]),
        {"action": "route", "service": "child-safeguarding-concern", "note": "Translated by phone"},
    )
    assert response.status_code == 302
    case = Case.objects.get(service__code="child-safeguarding-concern")
    assert case.priority == Priority.URGENT
    assert case.answers["concern_details"] == rec.text
    assert case.contact_email == "matka@example.com"
    rec.refresh_from_db()
    assert rec.resolution == Resolution.REROUTED and rec.case == case and rec.handled_by is not None
    assert "Nothing waiting" in client.get("/triage/staff/queue/").content.decode()


def test_flagged_message_is_never_closed_without_a_note(client, catalogue, customer_services_officer):
    visitor = client.__class__()
    _response, rec = triage(visitor, "I have nowhere to sleep tonight")
    client.force_login(customer_services_officer)
    url = reverse("triage:staff_record", args=[rec.pk])
    refused = client.post(url, {"action": "close", "note": ""})
    assert refused.status_code == 400
    rec.refresh_from_db()
    assert rec.handled_at is None
    assert client.post(url, {"action": "close", "note": "Called back, placed in B&B"}).status_code == 302
    rec.refresh_from_db()
    assert rec.resolution == Resolution.CLOSED
