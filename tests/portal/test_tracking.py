"""Check your request: by reference and email or postcode, signed links, emailed sign-in."""

import re

import pytest
from django.core import mail
from django.test import Client

from residenthub.cases import actions
from residenthub.cases.tracking import make_token
from residenthub.portal.models import SignInToken

NOT_FOUND = "We could not find a request with those details"


@pytest.mark.django_db
def test_track_by_reference_and_email_or_postcode(client, make_case):
    case = make_case(email="mary@example.com")
    response = client.post(
        "/track/", {"reference": case.reference.lower().replace("-", " "), "identity": "MARY@example.com"}
    )
    assert response.status_code == 302 and response.url == f"/track/{case.reference}/"
    page = client.get(response.url).content.decode()
    assert case.service.name in page and "We have received your request" in page
    other = Client()
    assert other.post("/track/", {"reference": case.reference, "identity": "e201ab"}).status_code == 302


@pytest.mark.django_db
def test_wrong_details_and_unknown_reference_get_the_same_answer(client, make_case):
    case = make_case(email="mary@example.com")
    wrong = client.post("/track/", {"reference": case.reference, "identity": "someone@else.com"})
    unknown = client.post("/track/", {"reference": "DBC-2222-2222", "identity": "mary@example.com"})
    garbage = client.post("/track/", {"reference": "<script>", "identity": "E20 1AB"})
    for response in (wrong, unknown, garbage):
        assert response.status_code == 400
        assert NOT_FOUND in response.content.decode()


@pytest.mark.django_db
def test_both_fields_are_needed(client):
    response = client.post("/track/", {"reference": "", "identity": ""})
    body = response.content.decode()
    assert "Enter your reference" in body and "Enter the email address or postcode" in body


@pytest.mark.django_db
def test_tracking_is_rate_limited(client, make_case, settings):
    settings.RATE_LIMIT_TRACK_PER_HOUR = 3
    case = make_case(email="mary@example.com")
    for _ in range(3):
        client.post("/track/", {"reference": case.reference, "identity": "guess@example.com"})
    blocked = client.post("/track/", {"reference": case.reference, "identity": "mary@example.com"})
    assert blocked.status_code == 429
    # The same reference from another address is also limited (no spraying guesses from many IPs).
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    assert (
        elsewhere.post("/track/", {"reference": case.reference, "identity": "mary@example.com"}).status_code
        == 429
    )


@pytest.mark.django_db
def test_a_case_page_is_only_for_whoever_proved_it_is_theirs(client, make_case):
    case = make_case()
    response = Client().get(f"/track/{case.reference}/")
    assert response.status_code == 302 and response.url == "/track/"
    assert Client().get("/track/DBC-2222-2222/").url == "/track/"


@pytest.mark.django_db
def test_signed_link_opens_the_case(client, make_case):
    case = make_case()
    response = client.get(f"/track/link/{make_token(case)}/")
    assert response.status_code == 302 and response.url == f"/track/{case.reference}/"
    assert client.get(response.url).status_code == 200
    assert Client().get(f"/track/link/{make_token(case)[:-2]}xx/").status_code == 404


@pytest.mark.django_db
def test_tracking_page_shows_public_timeline_but_not_internal_notes(client, make_case, highways_officer):
    case = make_case()
    case = actions.transition(case, "in_progress", by=highways_officer, public_message="Crew booked.")
    actions.add_internal_note(case, "Resident seems annoyed, handle with care.", by=highways_officer)
    client.get(f"/track/link/{make_token(case)}/")
    page = client.get(f"/track/{case.reference}/").content.decode()
    assert "Crew booked." in page
    assert "handle with care" not in page
    assert case.service.workflow.status("in_progress").public_label in page


@pytest.mark.django_db(transaction=True)
def test_emailed_link_in_confirmation_reaches_the_tracking_page(client, make_case):
    case = make_case()
    link = re.search(r"http://[^\s]+/track/link/[^\s]+/", mail.outbox[0].body).group()
    path = link.split("8000", 1)[1] if "8000" in link else link
    response = Client().get(path, follow=True)
    assert response.status_code == 200 and case.reference in response.content.decode()


@pytest.mark.django_db
def test_sign_in_link_shows_only_your_requests(client, make_case):
    mine = make_case(email="mary@example.com")
    theirs = make_case(email="john@example.com")
    mail.outbox.clear()
    response = client.post("/account/sign-in/", {"email": "Mary@Example.com"})
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    token = re.search(r"/account/sign-in/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert client.get(f"/account/sign-in/{token}/").url == "/account/requests/"
    page = client.get("/account/requests/").content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert client.get(f"/track/{mine.reference}/").status_code == 200
    assert client.get(f"/track/{theirs.reference}/").status_code == 302
    # One time only.
    assert Client().get(f"/account/sign-in/{token}/").status_code == 404


@pytest.mark.django_db
def test_sign_in_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post("/account/sign-in/", {"email": "nobody@example.com"})
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []
    assert not SignInToken.objects.exists()


@pytest.mark.django_db
def test_sign_in_errors(client):
    assert "Enter your email address" in client.post("/account/sign-in/", {"email": ""}).content.decode()
    assert "correct format" in client.post("/account/sign-in/", {"email": "nope"}).content.decode()
    assert client.get("/account/requests/").url == "/account/sign-in/"


@pytest.mark.django_db
def test_expired_sign_in_links_do_not_work(client, make_case):
    import datetime as dt

    from django.utils import timezone

    make_case(email="mary@example.com")
    token = SignInToken.issue("mary@example.com")
    SignInToken.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert client.get(f"/account/sign-in/{token}/").status_code == 404


@pytest.mark.django_db
def test_sign_out_forgets_everything(client, make_case):
    case = make_case(email="mary@example.com")
    client.get(f"/track/link/{make_token(case)}/")
    client.post("/account/sign-out/")
    assert client.get(f"/track/{case.reference}/").status_code == 302


@pytest.mark.django_db
def test_the_tracking_page_shows_a_change_at_once(
    client, make_case, highways_officer, django_assert_max_num_queries
):
    case = make_case()
    client.get(f"/track/link/{make_token(case)}/")
    url = f"/track/{case.reference}/"
    assert "We have filled the pothole" not in client.get(url).content.decode()
    with django_assert_max_num_queries(1):  # the session only: the page and its owner are cached
        client.get(url)
    actions.add_public_update(case, "We have filled the pothole.", by=highways_officer)
    page = client.get(url)
    assert "We have filled the pothole." in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_tracking_survives_a_move_to_a_service_with_another_workflow(client, make_case, socialcare_officer):
    from residenthub.services.models import Service

    case = make_case("adult-social-care-assessment")
    case = actions.transition(case, "screening", by=socialcare_officer)
    case = actions.reroute(
        case,
        Service.objects.get(code="housing-repair"),
        by=socialcare_officer,
        reason="It is a housing repair.",
    )
    client.get(f"/track/link/{make_token(case)}/")
    page = client.get(f"/track/{case.reference}/")
    assert page.status_code == 200
    assert "Passed from" in page.content.decode()


@pytest.mark.django_db
def test_a_duplicate_shows_the_original_and_follows_its_changes(client, make_case, highways_officer):
    original = make_case(email="first@example.com")
    duplicate = make_case(email="second@example.com")
    actions.mark_duplicate(duplicate, original, by=highways_officer)
    client.get(f"/track/link/{make_token(duplicate)}/")
    url = f"/track/{duplicate.reference}/"
    page = client.get(url).content.decode()
    assert original.reference in page and "We have received your request" in page
    actions.transition(original, "in_progress", by=highways_officer)
    page = client.get(url).content.decode()
    assert original.service.workflow.status("in_progress").public_label in page
