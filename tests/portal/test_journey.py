"""The resident journey: question pages, check your answers, confirmation."""

import re

import pytest
from django.core import mail

from residenthub.cases.models import Case

from .helpers import answer_pothole, check_url, contact_url, give_contact, png, q, submit

pytestmark = pytest.mark.usefixtures("catalogue")
REFERENCE = re.compile(r"DBC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


@pytest.mark.django_db(transaction=True)
def test_report_a_pothole_end_to_end(client):
    assert client.get("/services/report-pothole/").status_code == 200
    answer_pothole(client, injured="yes", photo=png())
    assert give_contact(client).status_code == 302
    page = client.get(check_url("report-pothole"))
    body = page.content.decode()
    for shown in [
        "Outside 14 Station Road",
        "E20 1AB",
        "A cyclist fell off.",
        "photo.png",
        "Siân O&#x27;Brien",
    ]:
        assert shown in body
    response, _key = submit(client)
    assert response.status_code == 302 and response.url == "/services/report-pothole/confirmation/"
    confirmation = client.get(response.url).content.decode()
    reference = REFERENCE.search(confirmation).group()
    case = Case.objects.get(reference=reference)
    assert case.answers["injured"] == "yes" and case.answers["injury_details"] == "A cyclist fell off."
    assert case.contact_name == "Siân O'Brien" and case.postcode == "E20 1AB"
    assert case.attachments.count() == 1
    assert len(mail.outbox) == 1 and reference in mail.outbox[0].subject
    # The resident can follow it straight away.
    assert client.get(f"/track/{reference}/").status_code == 200


@pytest.mark.django_db
def test_answers_survive_going_back_and_forth(client):
    answer_pothole(client)
    page = client.get(q("report-pothole", "location")).content.decode()
    assert "Outside 14 Station Road" in page and "E20 1AB" in page
    page = client.get(q("report-pothole", "size")).content.decode()
    assert 'value="large" checked' in page


@pytest.mark.django_db
def test_conditional_question_is_asked_only_when_it_applies(client):
    answer_pothole(client, injured="no")
    response = client.get(q("report-pothole", "injury_details"))
    assert response.status_code == 302  # not shown for "no"
    give_contact(client)
    # Change "injured" to yes from check answers: the follow-up is asked, then back to check.
    response = client.post(q("report-pothole", "injured") + "?change=1", {"injured": "yes"})
    assert response.url == q("report-pothole", "injury_details") + "?change=1"
    response = client.post(response.url, {"injury_details": "Twisted ankle"})
    assert response.url == check_url("report-pothole")
    # Change back to no: the follow-up answer is not sent.
    client.post(q("report-pothole", "injured") + "?change=1", {"injured": "no"})
    submit(client)
    assert "injury_details" not in Case.objects.get().answers


@pytest.mark.django_db
def test_skipped_pages_are_asked(client):
    response = client.get(q("report-pothole", "size"))
    assert response.status_code == 302 and response.url == q("report-pothole", "location")
    assert client.get(contact_url("report-pothole")).url == q("report-pothole", "location")
    assert client.get(check_url("report-pothole")).url == q("report-pothole", "location")


@pytest.mark.django_db
def test_unknown_question_and_service_are_404(client):
    assert client.get(q("report-pothole", "nope")).status_code == 404
    assert client.get("/services/no-such-service/").status_code == 404


@pytest.mark.django_db
def test_double_submission_makes_one_case(client):
    answer_pothole(client)
    give_contact(client)
    first, key = submit(client)
    second = client.post(check_url("report-pothole"), {"submission_key": key})
    assert second.status_code == 302 and second.url == "/services/report-pothole/confirmation/"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_tampered_submission_key_is_not_submitted(client):
    answer_pothole(client)
    give_contact(client)
    response = client.post(check_url("report-pothole"), {"submission_key": "forged"})
    assert response.status_code == 302 and response.url == check_url("report-pothole")
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_required_question_left_empty_shows_the_error_summary(client):
    response = client.post(q("report-pothole", "surface"), {})
    response = client.post(
        q("report-pothole", "location"), {"location-description": "", "location-postcode": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and 'href="#location-description"' in body
    assert "<title>Error:" in body


@pytest.mark.django_db
def test_tampered_choice_is_asked_again_not_stored(client):
    answer_pothole(client)
    response = client.post(q("report-pothole", "surface"), {"surface": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "Select one of the options" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_long_text_over_the_limit_keeps_what_was_typed(client):
    answer_pothole(client, injured="yes")
    text = "x" * 10_000
    response = client.post(q("report-pothole", "injury_details"), {"injury_details": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "2,000 characters or fewer" in body
    assert text in body  # nothing lost


@pytest.mark.django_db
def test_ten_thousand_characters_are_accepted_where_allowed(client):
    code = "give-a-compliment"
    client.post(q(code, "service_area"), {"service_area": "housing"})
    client.post(q(code, "staff_name"), {"staff_name": ""})
    response = client.post(q(code, "compliment"), {"compliment": "Thank you. " * 400})
    assert response.status_code == 302


@pytest.mark.django_db
def test_html_and_script_are_escaped_everywhere(client):
    answer_pothole(client, injured="yes")
    client.post(
        q("report-pothole", "injury_details"), {"injury_details": "<script>alert('x')</script><b>bold</b>"}
    )
    give_contact(client, name="<img src=x onerror=alert(1)>")
    body = client.get(check_url("report-pothole")).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["Mary O'Brien", "Siân Evans", "Zoë Clarke", "Nguyễn Văn An", "李伟", "Jean-Luc Picard"]
)
def test_names_from_everywhere_are_kept_exactly(client, name):
    answer_pothole(client)
    assert give_contact(client, name=name).status_code == 302
    submit(client)
    assert Case.objects.get().contact_name == name


@pytest.mark.django_db
@pytest.mark.parametrize("postcode", ["SW1A", "12345", "ZZ99 9ZZ", "<b>", "E20 1AB 1AB"])
def test_invalid_postcodes_are_refused(client, postcode):
    response = client.post(
        q("report-pothole", "location"),
        {"location-description": "By the park", "location-postcode": postcode},
    )
    assert response.status_code == 400
    assert "Enter a real UK postcode" in response.content.decode()
    assert "By the park" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date"),
        ("12", "", "2026", "must include a month"),
        ("31", "2", "2026", "must be a real date"),
        ("1", "1", "26", "must be a real date"),
        ("aa", "bb", "cccc", "must be a real date"),
    ],
)
def test_date_errors(client, day, month, year, message):
    client.post(q("report-noise", "noise_source"), {"noise_source": "music"})
    client.post(q("report-noise", "source_location"), {"source_location-description": "Flat 3 above me"})
    response = client.post(
        q("report-noise", "started"), {"started-day": day, "started-month": month, "started-year": year}
    )
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "ok"), [("3", True), ("12", True), ("three", False), ("2.5", False), ("", False)]
)
def test_number_question(client, value, ok):
    client.post(q("report-noise", "noise_source"), {"noise_source": "music"})
    client.post(q("report-noise", "source_location"), {"source_location-description": "Flat 3 above me"})
    client.post(
        q("report-noise", "started"), {"started-day": "1", "started-month": "11", "started-year": "2026"}
    )
    response = client.post(q("report-noise", "times_recently"), {"times_recently": value})
    assert (response.status_code == 302) is ok


@pytest.mark.django_db
def test_choices_question_needs_one_and_refuses_unknown_values(client):
    client.post(
        q("missed-bin", "address"),
        {
            "action": "manual",
            "address-line1": "1 Mill Lane",
            "address-town": "Demoborough",
            "address-manual_postcode": "E20 1AB",
        },
    )
    assert client.post(q("missed-bin", "bin_types"), {}).status_code == 400
    assert (
        client.post(q("missed-bin", "bin_types"), {"bin_types": ["rubbish", "plutonium"]}).status_code == 400
    )
    assert client.post(q("missed-bin", "bin_types"), {"bin_types": ["rubbish", "food"]}).status_code == 302


@pytest.mark.django_db
def test_address_lookup_pick_and_manual(client):
    url = q("missed-bin", "address")
    found = client.post(url, {"action": "find", "address-postcode": "e201ab"})
    assert found.status_code == 200
    addresses = found.context["addresses"]
    assert len(addresses) >= 8
    # A UPRN that is not at that postcode (tampered) is refused.
    refused = client.post(
        url, {"action": "pick", "address-postcode": "E20 1AB", "address-uprn": "999999999999"}
    )
    assert refused.status_code == 400 and "Select an address from the list" in refused.content.decode()
    chosen = client.post(
        url, {"action": "pick", "address-postcode": "E20 1AB", "address-uprn": addresses[0].uprn}
    )
    assert chosen.status_code == 302
    # Typed by hand instead.
    manual = client.post(
        url, {"action": "manual", "address-line1": "", "address-town": "", "address-manual_postcode": "nope"}
    )
    body = manual.content.decode()
    assert manual.status_code == 400
    for message in ["Enter address line 1", "Enter town or city", "Enter a real UK postcode"]:
        assert message in body


@pytest.mark.django_db
def test_address_lookup_with_no_addresses_offers_manual_entry(client):
    response = client.post(q("missed-bin", "address"), {"action": "find", "address-postcode": "SW1A 2AA"})
    body = response.content.decode()
    assert "We could not find any addresses for SW1A 2AA" in body
    assert "Enter the address manually" in body


@pytest.mark.django_db
def test_uploads_are_checked_for_size_type_and_content(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    answer_pothole(client)
    url = q("report-pothole", "photo")
    too_big = client.post(url, {"photo": png(size=6 * 1024 * 1024)})
    assert "must be smaller than 5MB" in too_big.content.decode()
    wrong_type = client.post(url, {"photo": png(name="notes.txt")})
    assert "must be a JPG, PNG or HEIC" in wrong_type.content.decode()
    disguised = client.post(url, {"photo": _file("evil.png", b"MZ\x90\x00 this is an exe")})
    assert "must be a JPG, PNG or HEIC" in disguised.content.decode()
    empty = client.post(url, {"photo": _file("empty.png", b"")})
    assert "The selected file is empty" in empty.content.decode()
    assert client.post(url, {"photo": png()}).status_code == 302


def _file(name, data):
    import io

    upload = io.BytesIO(data)
    upload.name = name
    return upload


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"notify_by": "email", "email": ""}, "email", "Enter an email address so we can email you"),
        ({"notify_by": "email", "email": "not-an-email"}, "email", "correct format"),
        ({"notify_by": "sms", "phone": ""}, "phone", "Enter a mobile number"),
        ({"notify_by": "sms", "phone": "020 7946 0000"}, "phone", "UK mobile number"),
        ({"notify_by": "sms", "phone": "12345"}, "phone", "Enter a UK phone number"),
        ({"notify_by": "carrier-pigeon"}, "notify_by", "Select how you would like"),
        ({"notify_by": "none", "email": "", "name": "x" * 201}, "name", "200 characters or fewer"),
    ],
)
def test_contact_details_errors(client, data, field, message):
    answer_pothole(client)
    response = give_contact(client, **data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and f'href="#{field}"' in body


@pytest.mark.django_db
def test_contact_required_services_need_a_way_to_reach_the_resident(client):
    code = "report-noise"
    client.post(q(code, "noise_source"), {"noise_source": "music"})
    client.post(q(code, "source_location"), {"source_location-description": "Flat 3"})
    client.post(q(code, "started"), {"started-day": "1", "started-month": "11", "started-year": "2026"})
    client.post(q(code, "times_recently"), {"times_recently": "4"})
    client.post(q(code, "details"), {"details": "Every night."})
    response = give_contact(client, code, name="", email="", notify_by="none")
    body = response.content.decode()
    assert "Enter your full name" in body and "Enter an email address or a phone number" in body


@pytest.mark.django_db
def test_anonymous_report_without_postcode_needs_email_or_postcode(client):
    code = "give-a-compliment"
    client.post(q(code, "service_area"), {"service_area": "housing"})
    client.post(q(code, "staff_name"), {})
    client.post(q(code, "compliment"), {"compliment": "Great work."})
    client.post(q(code, "can_share"), {"can_share": "yes"})
    response = give_contact(client, code, name="", email="", notify_by="none")
    assert "or your postcode so you can check your request later" in response.content.decode()
    assert (
        give_contact(client, code, name="", email="", notify_by="none", postcode="e20 1ab").status_code == 302
    )
    submit(client, code)
    assert Case.objects.get().postcode == "E20 1AB"


@pytest.mark.django_db
def test_search_finds_services_by_everyday_words(client):
    body = client.get("/?q=rubbish+not+collected").content.decode()
    assert "Report a missed bin collection" in body or "missed" in body.lower()
    body = client.get("/?q=zzzqqq").content.decode()
    assert "No services match" in body


@pytest.mark.django_db
def test_inactive_services_are_not_offered(client):
    from residenthub.services.models import Service

    Service.objects.filter(code="report-graffiti").update(active=False)
    assert client.get("/services/report-graffiti/").status_code == 404
    assert "report-graffiti" not in client.get("/").content.decode()
