"""100 residents paying at once, with webhooks (repeated, out of order) and returns interleaved:
no one is charged twice and no payment is without its case. Threads with their own database
connections, so this runs on PostgreSQL (CI sets DATABASE_URL); SQLite serialises every write
and cannot show a race, so there it is skipped."""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from residenthub.cases.models import Case
from residenthub.payments import actions
from residenthub.payments.models import Charge, Payment

from .helpers import answer_bulky_waste, check_page, local_path, pay_on_hosted_page, submission_key

RESIDENTS = 100
THREADS = 16


@pytest.fixture
def postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writes, so no race shows"
        )


def test_parallel_submissions_never_charge_twice_or_lose_a_case(postgres_only, catalogue, fake_pay):
    rng = random.Random(19)
    plans = [
        rng.choice(["pay", "pay", "closed_tab", "declined_then_pay", "two_tabs", "double_submit"])
        for _ in range(RESIDENTS)
    ]
    stop = threading.Event()

    def deliver_webhooks():
        """GOV.UK Pay's webhooks, each sent twice, some late and out of order, while residents pay."""
        client = Client()
        sent = 0
        try:
            while not stop.is_set() or sent < len(fake_pay.webhooks):
                batch = fake_pay.webhooks[sent:]
                if not batch:
                    stop.wait(0.02)
                    continue
                sent += len(batch)
                random.Random(sent).shuffle(batch)
                for body, signature in batch + batch:
                    response = client.post(
                        "/pay/webhook/", body, content_type="application/json", HTTP_PAY_SIGNATURE=signature
                    )
                    assert response.status_code in {200, 503}, response.content
        finally:
            connections.close_all()

    def resident(index: int) -> str:
        plan = plans[index]
        client = Client()
        try:
            answer_bulky_waste(client, items=1 + index % 5, email=f"r{index}@example.com")
            key = submission_key(check_page(client))
            url = "/services/bulky-waste/check-your-answers/"
            if plan == "double_submit":
                with ThreadPoolExecutor(2) as pool:
                    first, second = pool.map(lambda _: client.post(url, {"submission_key": key}), range(2))
                response = first if first["Location"].startswith("http") else second
            else:
                response = client.post(url, {"submission_key": key})
            case = Case.objects.filter(submission_key=key).first()
            assert case is not None, (
                plan,
                response.status_code,
                response.get("Location"),
                [str(m) for m in getattr(response.wsgi_request, "_messages", [])],
                client.session.get("drafts", {}).get("bulky-waste", {}).get("key"),
                key,
            )
            reference = case.reference
            next_url = response["Location"]
            if not next_url.startswith("http"):  # our pay page (GOV.UK Pay was slow): pay from there
                next_url = client.post(f"/pay/{reference}/")["Location"]
            if plan == "closed_tab":
                pay_on_hosted_page(next_url)  # paid, never came back
            elif plan == "declined_then_pay":
                client.get(local_path(pay_on_hosted_page(next_url, card="4000000000000002")))
                again = client.post(f"/pay/{reference}/")
                client.get(local_path(pay_on_hosted_page(again["Location"])))
            elif plan == "two_tabs":
                with ThreadPoolExecutor(2) as pool:
                    answers = list(pool.map(lambda _: client.post(f"/pay/{reference}/"), range(2)))
                urls = [a["Location"] for a in answers if a.status_code == 303]
                for target in urls:  # the resident tries to pay in both tabs
                    try:
                        back = pay_on_hosted_page(target)
                    except Exception:  # noqa: BLE001, S112 - a cancelled link shows GOV.UK Pay's expired page
                        continue
                    client.get(local_path(back))
            else:
                try:
                    back = pay_on_hosted_page(next_url)
                except Exception as exc:
                    token = next_url.rsplit("/", 1)[1]
                    pid = fake_pay.by_token.get(token)
                    raise AssertionError(
                        (
                            plan,
                            reference,
                            pid and fake_pay.payments[pid]["state"],
                            pid and fake_pay.payments[pid]["reference"],
                            list(
                                Payment.objects.filter(charge__case__reference=reference).values_list(
                                    "state", "provider_id"
                                )
                            ),
                            next_url,
                        )
                    ) from exc
                client.get(local_path(back))
            return reference
        finally:
            connections.close_all()

    sender = threading.Thread(target=deliver_webhooks)
    sender.start()
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            references = list(pool.map(resident, range(RESIDENTS)))
    finally:
        stop.set()
        sender.join(timeout=120)
    actions.check_unfinished(older_than_minutes=0)  # the closed tabs

    assert len(set(references)) == RESIDENTS == Case.objects.count() == Charge.objects.count()
    succeeded = [p for p in fake_pay.payments.values() if p["state"]["status"] == "success"]
    per_case = Counter(p["reference"] for p in succeeded)
    assert not [ref for ref, n in per_case.items() if n > 1], "charged twice"
    assert set(per_case) == set(references), "someone could not pay"
    local = {p.provider_id: p for p in Payment.objects.select_related("charge__case")}
    for paid in succeeded:
        payment = local.get(paid["payment_id"])
        assert payment is not None and payment.state == "success", "paid at GOV.UK Pay, unknown here"
        assert payment.charge.case.reference == paid["reference"]
    assert Charge.objects.filter(status=Charge.Status.PAID).count() == RESIDENTS
    assert fake_pay.created_calls == Payment.objects.exclude(state="creating").count()
