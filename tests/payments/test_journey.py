"""The resident pays inside the journey: check answers shows the fee, GOV.UK Pay takes the card,
the return and the webhook record it once, failures can be retried, nothing is charged twice."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from residenthub.payments.models import Charge, Payment, PaymentEvent

from .helpers import (
    answer_bulky_waste,
    check_page,
    latest_case,
    local_path,
    pay_on_hosted_page,
    submission_key,
    submit,
)

pytestmark = pytest.mark.django_db


def test_check_answers_shows_the_amount_and_submitting_goes_to_gov_uk_pay(client, catalogue, fake_pay):
    answer_bulky_waste(client, items=3)
    page = check_page(client).content.decode()
    assert "What you will pay" in page
    assert "3 items at £15 each" in page and "£45" in page
    assert "Accept and pay" in page
    response, _key = submit(client)
    assert response.status_code == 302
    assert response["Location"].startswith(fake_pay.base_url + "/secure/")
    case = latest_case()
    assert case.charge.amount == 4500 and case.charge.status == Charge.Status.DUE
    sent = fake_pay.payments[case.charge.payments.get().provider_id]
    assert sent["amount"] == 4500 and sent["reference"] == case.reference
    assert sent["return_url"].startswith("http://127.0.0.1:8000/pay/return/")
    assert sent["metadata"]["ledger_code"] == "GF-WST410"


def test_paying_returns_to_the_confirmation_with_a_receipt(
    client, catalogue, fake_pay, django_capture_on_commit_callbacks
):
    answer_bulky_waste(client, items=3)
    response, _key = submit(client)
    back = pay_on_hosted_page(response["Location"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        landed = client.get(local_path(back), follow=True)
    case = latest_case()
    assert landed.redirect_chain[-1][0] == "/services/bulky-waste/confirmation/"
    html = landed.content.decode()
    assert case.reference in html and "Paid" in html
    case.charge.refresh_from_db()
    assert case.charge.status == Charge.Status.PAID
    receipts = [m for m in mail.outbox if "Payment received" in m.subject]
    assert len(receipts) == 1 and "£45" in receipts[0].body and case.reference in receipts[0].body


def test_declined_card_can_be_retried_from_the_tracking_page(client, catalogue, fake_pay):
    answer_bulky_waste(client, items=2)
    response, _key = submit(client)
    back = pay_on_hosted_page(response["Location"], card="4000000000000002")
    page = client.get(local_path(back), follow=True)
    assert "Your payment was declined. No money has been taken." in page.content.decode()
    case = latest_case()
    assert case.charge.status == Charge.Status.DUE
    track = client.get(f"/track/{case.reference}/").content.decode()
    assert "Not paid" in track and f"/pay/{case.reference}/" in track
    again = client.post(f"/pay/{case.reference}/")
    assert again.status_code == 303
    back = pay_on_hosted_page(again["Location"])
    client.get(local_path(back))
    case.charge.refresh_from_db()
    assert case.charge.status == Charge.Status.PAID
    assert [p.state for p in case.charge.payments.order_by("id")] == ["failed", "success"]
    assert fake_pay.created_calls == 2


def test_webhook_before_the_return_and_duplicate_webhooks_count_once(
    client, catalogue, fake_pay, django_capture_on_commit_callbacks
):
    answer_bulky_waste(client, items=1)
    response, _key = submit(client)
    fake_pay.webhooks.clear()
    back = pay_on_hosted_page(response["Location"])
    succeeded = [w for w in fake_pay.webhooks if b"card_payment_succeeded" in w[0]]
    body, signature = succeeded[0]
    mail.outbox.clear()
    for _ in range(3):  # the same message three times, before the resident is back
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(
                "/pay/webhook/", body, content_type="application/json", HTTP_PAY_SIGNATURE=signature
            )
        assert answer.status_code == 200
    case = latest_case()
    case.charge.refresh_from_db()
    assert case.charge.status == Charge.Status.PAID
    client.get(local_path(back))
    assert PaymentEvent.objects.filter(charge=case.charge, kind="payment.success").count() == 1
    assert PaymentEvent.objects.filter(charge=case.charge, kind="webhook").count() == 1
    assert len([m for m in mail.outbox if "Payment received" in m.subject]) == 1


def test_a_webhook_with_a_bad_signature_changes_nothing(client, catalogue, fake_pay):
    answer_bulky_waste(client, items=1)
    response, _key = submit(client)
    fake_pay.webhooks.clear()
    payment_id = latest_case().charge.payments.get().provider_id
    fake_pay.complete(payment_id)
    body, _signature = [w for w in fake_pay.webhooks if b"succeeded" in w[0]][0]
    answer = client.post("/pay/webhook/", body, content_type="application/json", HTTP_PAY_SIGNATURE="0" * 64)
    assert answer.status_code == 401
    missing = client.post("/pay/webhook/", body, content_type="application/json")
    assert missing.status_code == 401
    assert latest_case().charge.status == Charge.Status.DUE


def test_paid_after_the_resident_closed_the_tab(client, catalogue, fake_pay):
    """No return and no webhook reached us: the background check finds the success."""
    from residenthub.payments import actions

    answer_bulky_waste(client, items=1)
    submit(client)
    case = latest_case()
    fake_pay.complete(case.charge.payments.get().provider_id)
    assert actions.check_unfinished(older_than_minutes=0) == 1
    case.charge.refresh_from_db()
    assert case.charge.status == Charge.Status.PAID


def test_closing_the_tab_then_paying_again_cancels_the_first_attempt(client, catalogue, fake_pay):
    answer_bulky_waste(client, items=1)
    response, _key = submit(client)
    case = latest_case()
    first = case.charge.payments.get()
    client.get(local_path(response["Location"]).replace("/secure/", "/nothing/"))  # the resident wanders off
    again = client.post(f"/pay/{case.reference}/")
    assert again.status_code == 303
    first.refresh_from_db()
    assert first.state == Payment.State.CANCELLED
    assert fake_pay.payments[first.provider_id]["state"]["status"] == "cancelled"
    back = pay_on_hosted_page(again["Location"])
    client.get(local_path(back))
    assert case.charge.payments.filter(state="success").count() == 1


def test_gov_uk_pay_timing_out_charges_nothing_and_the_retry_reuses_the_key(client, catalogue, fake_pay):
    answer_bulky_waste(client, items=1)
    fake_pay.delay_seconds = 3  # longer than GOVUK_PAY_TIMEOUT_SECONDS
    response, _key = submit(client)
    case = latest_case()
    assert response["Location"] == f"/pay/{case.reference}/"
    page = client.get(response["Location"]).content.decode()
    assert "We could not reach the payment service" in page
    attempt = case.charge.payments.get()
    assert attempt.state == Payment.State.CREATING
    fake_pay.delay_seconds = 0
    again = client.post(f"/pay/{case.reference}/")
    assert again.status_code == 303
    attempt.refresh_from_db()
    # The slow first call did create a payment at GOV.UK Pay; the retry with the same
    # Idempotency-Key found it rather than making a second.
    assert fake_pay.created_calls == 1 and attempt.provider_id in fake_pay.payments
    assert case.charge.payments.count() == 1


def test_a_second_press_of_submit_does_not_charge_twice(client, catalogue, fake_pay):
    answer_bulky_waste(client, items=2)
    key = check_page(client).context["submission_key"]
    first = client.post("/services/bulky-waste/check-your-answers/", {"submission_key": key})
    second = client.post("/services/bulky-waste/check-your-answers/", {"submission_key": key})
    assert first.status_code == 302 and second.status_code == 302
    assert Charge.objects.count() == 1 and Payment.objects.count() == 1
    assert fake_pay.created_calls == 1


def test_without_a_key_the_resident_is_told_how_else_to_pay(client, catalogue, no_pay):
    answer_bulky_waste(client, items=2)
    page = check_page(client).content.decode()
    assert "£30" in page and "You cannot pay online at the moment" in page
    assert "Accept and send" in page
    response, _key = submit(client)
    confirmation = client.get(response["Location"]).content.decode()
    case = latest_case()
    assert "Not paid" in confirmation
    pay = client.get(f"/pay/{case.reference}/").content.decode()
    assert "Other ways to pay" in pay and "020 7946 0000" in pay and case.reference in pay
    assert client.post(f"/pay/{case.reference}/").status_code == 400


def test_pay_pages_are_only_for_the_resident_who_made_the_request(client, catalogue, fake_pay):
    answer_bulky_waste(client, items=1)
    submit(client)
    case = latest_case()
    from django.test import Client

    stranger = Client()
    assert stranger.get(f"/pay/{case.reference}/")["Location"] == "/track/"
    assert stranger.post(f"/pay/{case.reference}/")["Location"] == "/track/"
    assert stranger.get("/pay/return/not-a-token/").status_code == 404


def test_free_through_a_concession_needs_no_payment(client, catalogue, fake_pay):
    code = "pest-control"
    steps = [
        (
            "address",
            {
                "action": "manual",
                "address-line1": "2 Mill Lane",
                "address-town": "Demoborough",
                "address-manual_postcode": "E20 1AB",
            },
        ),
        ("pest", {"pest": "mice"}),
        ("where_seen", {"where_seen": ["kitchen"]}),
        ("tenure", {"tenure": "council_tenant"}),
    ]
    for name, data in steps:
        assert client.post(f"/services/{code}/{name}/", data).status_code == 302
    client.post(
        f"/services/{code}/your-details/", {"name": "A B", "email": "a@example.com", "notify_by": "email"}
    )
    page = client.get(f"/services/{code}/check-your-answers/")
    html = page.content.decode()
    assert "Free for council tenants" in html and "There is nothing to pay" in html
    response = client.post(
        f"/services/{code}/check-your-answers/", {"submission_key": page.context["submission_key"]}
    )
    assert response["Location"] == f"/services/{code}/confirmation/"
    assert latest_case().charge.status == Charge.Status.NOT_REQUIRED
    assert fake_pay.created_calls == 0


def test_no_card_number_is_stored_or_logged(client, catalogue, fake_pay, caplog, django_db_blocker):
    """Card details go to GOV.UK Pay only: nothing PAN-like in any table or log line."""
    from django.db import connection

    caplog.set_level("DEBUG")
    answer_bulky_waste(client, items=1)
    response, _key = submit(client)
    back = pay_on_hosted_page(response["Location"], card="4444 3333 2222 1111")
    client.get(local_path(back))
    assert fake_pay.card_posts  # the card went to GOV.UK Pay's page
    pan = re.compile(r"(?<!\d)(?:\d[ -]?){13,19}(?!\d)")
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, str) and (
                        "4444333322221111" in value.replace(" ", "")
                        or (pan.search(value) and "1111" in value)
                    ):
                        found.append((table, value[:80]))
    assert not found
    assert "4444" not in caplog.text.replace(" ", "")


def test_receipt_by_text_message_when_the_resident_chose_texts(client, catalogue, fake_pay):
    from residenthub.core.models import OutboxMessage

    answer_bulky_waste(client, items=2, notify_by="sms")
    response, _key = submit(client)
    client.get(local_path(pay_on_hosted_page(response["Location"])))
    case = latest_case()
    texts = OutboxMessage.objects.filter(
        case=case, channel="sms", body_text__contains="payment of £30 received"
    )
    assert texts.count() == 1 and texts.get().recipient == "+447700900123"
    assert not OutboxMessage.objects.filter(case=case, channel="email").exists()


def test_blue_badge_is_paid_for_once_approved(client, catalogue, fake_pay):
    """A fee with ``pay_after``: nothing to pay on sending; "Pay now" once the case is approved."""
    from residenthub.cases import actions as case_actions
    from tests.conftest import _staff

    code = "blue-badge"
    steps = [
        ("applying_for", {"applying_for": "myself"}),
        (
            "date_of_birth",
            {"date_of_birth-day": "7", "date_of_birth-month": "4", "date_of_birth-year": "1958"},
        ),
        (
            "address",
            {
                "action": "manual",
                "address-line1": "2 Mill Lane",
                "address-town": "Demoborough",
                "address-manual_postcode": "E20 1AB",
            },
        ),
        ("qualifying_benefit", {"qualifying_benefit": "pip"}),
        ("evidence", {}),
    ]
    for name, data in steps:
        assert client.post(f"/services/{code}/{name}/", data).status_code == 302, name
    client.post(
        f"/services/{code}/your-details/", {"name": "A B", "email": "a@example.com", "notify_by": "email"}
    )
    page = client.get(f"/services/{code}/check-your-answers/")
    html = page.content.decode()
    assert "£10" in html and "You do not pay now" in html and "Your application has been approved" in html
    assert "Accept and send" in html
    response = client.post(f"/services/{code}/check-your-answers/", {"submission_key": submission_key(page)})
    assert response["Location"] == f"/services/{code}/confirmation/"
    case = latest_case()
    assert "Not due yet" in client.get(response["Location"]).content.decode()
    refused = client.post(f"/pay/{case.reference}/")
    assert refused.status_code == 400 and "You cannot pay for this yet" in refused.content.decode()
    assert fake_pay.created_calls == 0

    officer = _staff("parking.officer", "parking")
    case_actions.transition(case, "approved", by=officer)
    track = client.get(f"/track/{case.reference}/").content.decode()
    assert "Not paid" in track and f"/pay/{case.reference}/" in track
    assert client.post(f"/pay/{case.reference}/").status_code == 303
    assert fake_pay.created_calls == 1


def test_success_reported_after_we_thought_it_failed_still_counts(client, catalogue, fake_pay):
    """GOV.UK Pay's word that money was taken always wins over an earlier failure we recorded."""
    from residenthub.payments import actions, govuk_pay

    answer_bulky_waste(client, items=1)
    submit(client)
    payment = latest_case().charge.payments.get()
    actions.apply_state(
        payment,
        govuk_pay.PayState(payment.provider_id, "failed", True, 1500, "", "P0050", "x"),
        source="test",
    )
    fake_pay.complete(payment.provider_id)
    actions.refresh(payment)
    payment.refresh_from_db()
    assert payment.state == "success" and payment.charge.status == "paid"
    # ...while a late "failed" never undoes a success.
    actions.apply_state(
        payment,
        govuk_pay.PayState(payment.provider_id, "failed", True, 1500, "", "P0010", "x"),
        source="test",
    )
    payment.refresh_from_db()
    assert payment.state == "success"


def test_a_signed_message_that_is_not_a_webhook_is_refused_clearly(client, fake_pay):
    from tests.fakes.govuk_pay import sign

    for body in (b"not json", b'{"resource": {}}'):
        answer = client.post(
            "/pay/webhook/", body, content_type="application/json", HTTP_PAY_SIGNATURE=sign(body)
        )
        assert answer.status_code == 400 and answer.content == b"not a GOV.UK Pay webhook message"
    unknown = (
        b'{"webhook_message_id": "m1", "resource_id": "nope", "resource_type": "payment", "resource": {}}'
    )
    answer = client.post(
        "/pay/webhook/", unknown, content_type="application/json", HTTP_PAY_SIGNATURE=sign(unknown)
    )
    assert answer.status_code == 200 and answer.content == b"unknown payment"  # acknowledged; reconciliation
    assert client.get("/pay/webhook/").status_code == 405
