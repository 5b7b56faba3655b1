"""Staff: payments by phone (MOTO), cash and cheques, refunds with two-person approval; who may do what."""

from __future__ import annotations

import pytest

from residenthub.core.models import AuditEntry
from residenthub.payments import actions
from residenthub.payments.models import Charge, Payment, Refund
from tests.fakes.govuk_pay import WEBHOOK_SECRET

from .helpers import local_path, pay_on_hosted_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulky_case(make_case):
    """A bulky waste case for 4 items (£60), with its charge."""
    from residenthub.services.models import Service
    from tests.conftest import minimal_answers

    answers = minimal_answers(Service.objects.get(code="bulky-waste"))
    answers["item_count"] = 4
    case = make_case("bulky-waste", answers=answers)
    actions.open_charge(case)
    return case


def signed_in(client, user):
    client.force_login(user)
    return client


def url(case):
    return f"/staff/payments/cases/{case.reference}/"


def test_persona_access_to_a_cases_payments(
    client, bulky_case, waste_officer, waste_leader, other_officer, outsider, administrator
):
    assert client.get(url(bulky_case)).status_code == 302  # a resident: to the staff sign-in
    for user, status in [
        (waste_officer, 200),
        (waste_leader, 200),
        (administrator, 200),
        (other_officer, 404),
        (outsider, 404),
    ]:
        client.logout()
        assert signed_in(client, user).get(url(bulky_case)).status_code == status, user.username
    client.logout()
    signed_in(client, other_officer)
    response = client.post(
        url(bulky_case), {"action": "record", "amount": "60.00", "method": "cash", "note": "x"}
    )
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_the_staff_case_page_shows_paid_or_unpaid(client, bulky_case, waste_officer):
    signed_in(client, waste_officer)
    page = client.get(f"/staff/cases/{bulky_case.reference}/").content.decode()
    assert "Not paid" in page and "£60" in page and url(bulky_case) in page
    actions.record_payment(
        bulky_case.charge, amount=6000, method="cash", note="Central Library", by=waste_officer
    )
    page = client.get(f"/staff/cases/{bulky_case.reference}/").content.decode()
    assert ">Paid<" in page


def test_record_cash_and_cheque_with_clear_errors(client, bulky_case, waste_officer):
    signed_in(client, waste_officer)
    bad = client.post(
        url(bulky_case), {"action": "record", "amount": "sixty", "method": "cash", "note": "Library"}
    )
    assert bad.status_code == 400 and "Enter the amount in pounds" in bad.content.decode()
    too_much = client.post(
        url(bulky_case), {"action": "record", "amount": "61.00", "method": "cash", "note": "L"}
    )
    assert too_much.status_code == 400 and "from £0.01 to £60" in too_much.content.decode()
    no_note = client.post(
        url(bulky_case), {"action": "record", "amount": "60", "method": "cheque", "note": ""}
    )
    assert no_note.status_code == 400 and "cheque number" in no_note.content.decode()
    assert (
        client.post(
            url(bulky_case),
            {"action": "record", "amount": "20.00", "method": "cheque", "note": "Cheque 000123"},
        ).status_code
        == 302
    )
    charge = Charge.objects.get(case=bulky_case)
    assert charge.status == Charge.Status.DUE  # £20 of £60
    assert (
        client.post(
            url(bulky_case),
            {"action": "record", "amount": "40.00", "method": "cash", "note": "Central Library"},
        ).status_code
        == 302
    )
    charge.refresh_from_db()
    assert charge.status == Charge.Status.PAID
    assert AuditEntry.objects.filter(action="payment.recorded").count() == 2


def test_moto_payment_for_a_caller(client, bulky_case, waste_officer, fake_pay):
    signed_in(client, waste_officer)
    response = client.post(url(bulky_case), {"action": "moto"})
    assert response.status_code == 303
    payment = Payment.objects.get()
    assert payment.method == Payment.Method.MOTO and payment.taken_by == waste_officer
    sent = fake_pay.payments[payment.provider_id]
    assert sent["moto"] is True and sent["amount"] == 6000
    back = pay_on_hosted_page(response["Location"])
    assert client.get(local_path(back))["Location"] == url(bulky_case)  # back to the staff page
    bulky_case.charge.refresh_from_db()
    assert bulky_case.charge.status == Charge.Status.PAID


def test_moto_without_a_key_says_so(client, bulky_case, waste_officer, no_pay):
    signed_in(client, waste_officer)
    page = client.get(url(bulky_case)).content.decode()
    assert "Card payments by phone are not set up" in page
    response = client.post(url(bulky_case), {"action": "moto"})
    assert response.status_code == 400 and "Record a payment made another way" in response.content.decode()


def test_small_refund_goes_straight_to_gov_uk_pay(bulky_case, waste_officer, fake_pay):
    payment = actions.start_card_payment(bulky_case.charge, by=waste_officer, moto=True)
    fake_pay.complete(payment.provider_id)
    actions.refresh(payment)
    refund = actions.request_refund(
        payment, amount=1500, reason="One item was not collected", by=waste_officer
    )
    assert refund.status == Refund.Status.SUBMITTED and refund.provider_id in fake_pay.refunds
    assert fake_pay.payments[payment.provider_id]["refund_summary"]["amount_available"] == 4500
    with pytest.raises(actions.ActionError, match="from £0.01 to £45"):
        actions.request_refund(payment, amount=5000, reason="Too much", by=waste_officer)
    with pytest.raises(actions.ActionError, match="reason"):
        actions.request_refund(payment, amount=100, reason=" ", by=waste_officer)


def test_large_refund_needs_a_second_person(client, bulky_case, waste_officer, waste_leader, settings):
    from residenthub.accounts.models import Membership
    from tests.conftest import _staff

    settings.PAYMENTS_REFUND_APPROVAL_ABOVE = 2000
    payment = actions.record_payment(
        bulky_case.charge, amount=6000, method="cash", note="Library", by=waste_officer
    )
    refund = actions.request_refund(payment, amount=6000, reason="Collection cancelled", by=waste_leader)
    assert refund.status == Refund.Status.AWAITING_APPROVAL
    with pytest.raises(actions.ActionError, match="Someone else"):
        actions.approve_refund(refund, by=waste_leader)
    signed_in(client, waste_officer)  # an officer is not a manager
    page = client.post(url(bulky_case), {"action": "approve", "refund": refund.pk})
    assert page.status_code == 400 and "Only a team leader" in page.content.decode()
    client.logout()
    manager = _staff("waste.manager", "waste", Membership.Role.SERVICE_MANAGER)
    signed_in(client, manager)
    assert client.post(url(bulky_case), {"action": "approve", "refund": refund.pk}).status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.RECORDED and refund.approved_by == manager
    bulky_case.charge.refresh_from_db()
    assert bulky_case.charge.status == Charge.Status.REFUNDED
    assert AuditEntry.objects.filter(action="payment.refund_approved").count() == 1


def test_rejected_refund_changes_nothing(bulky_case, waste_officer, waste_leader, settings):
    settings.PAYMENTS_REFUND_APPROVAL_ABOVE = 0
    payment = actions.record_payment(
        bulky_case.charge, amount=6000, method="cash", note="Library", by=waste_officer
    )
    refund = actions.request_refund(payment, amount=100, reason="Asked", by=waste_officer)
    refund = actions.reject_refund(refund, reason="Collected in full", by=waste_leader)
    assert refund.status == Refund.Status.REJECTED
    bulky_case.charge.refresh_from_db()
    assert bulky_case.charge.status == Charge.Status.PAID


def test_waive_a_charge(client, bulky_case, waste_officer):
    signed_in(client, waste_officer)
    empty = client.post(url(bulky_case), {"action": "waive", "waive_reason": ""})
    assert empty.status_code == 400 and "Say why there is no charge" in empty.content.decode()
    assert (
        client.post(
            url(bulky_case), {"action": "waive", "waive_reason": "Council tax support shown"}
        ).status_code
        == 302
    )
    bulky_case.charge.refresh_from_db()
    assert bulky_case.charge.status == Charge.Status.NOT_REQUIRED and bulky_case.charge.amount == 0


def test_mismatch_list_is_for_finance_staff_only(
    client, waste_officer, finance_officer, administrator, outsider
):
    for user, status in [(finance_officer, 200), (administrator, 200), (waste_officer, 404), (outsider, 404)]:
        client.logout()
        assert signed_in(client, user).get("/staff/payments/mismatches/").status_code == status, user.username
        assert client.get("/staff/payments/finance-2026-11-25.csv").status_code == status
    client.logout()
    assert client.get("/staff/payments/mismatches/").status_code == 302


def test_a_refund_webhook_confirms_the_refund(client, bulky_case, waste_officer, fake_pay, settings):
    settings.GOVUK_PAY_WEBHOOK_SECRET = "the-main-accounts-secret"  # the MOTO account signs with its own
    settings.GOVUK_PAY_MOTO_WEBHOOK_SECRET = WEBHOOK_SECRET
    payment = actions.start_card_payment(bulky_case.charge, by=waste_officer, moto=True)
    fake_pay.complete(payment.provider_id)
    actions.refresh(payment)
    fake_pay.webhooks.clear()
    refund = actions.request_refund(payment, amount=1500, reason="One item fewer", by=waste_officer)
    assert refund.status == Refund.Status.SUBMITTED
    body, signature = next(w for w in fake_pay.webhooks if b"card_payment_refunded" in w[0])
    answer = client.post("/pay/webhook/", body, content_type="application/json", HTTP_PAY_SIGNATURE=signature)
    assert answer.status_code == 200
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCESS


def test_a_card_payment_after_a_part_payment_asks_only_for_the_rest(bulky_case, waste_officer, fake_pay):
    actions.record_payment(
        bulky_case.charge, amount=2000, method="cheque", note="Cheque 000123", by=waste_officer
    )
    payment = actions.start_card_payment(bulky_case.charge, by=waste_officer, moto=True)
    assert payment.amount == 4000 and fake_pay.payments[payment.provider_id]["amount"] == 4000
    fake_pay.complete(payment.provider_id)
    actions.refresh(payment)
    bulky_case.charge.refresh_from_db()
    assert bulky_case.charge.status == Charge.Status.PAID
