"""Fees as data: the catalogue's fee blocks, checked with errors that name the service and field,
and priced from answers and linked records."""

from __future__ import annotations

import pytest

from residenthub.payments.fees import pounds, quote, to_pence, validate_fee
from residenthub.services.actions import parse_catalogue, read_lgsl

QUESTIONS = [
    {"name": "item_count", "type": "number", "label": "How many?"},
    {
        "name": "pest",
        "type": "choice",
        "label": "Pest?",
        "choices": [{"value": "rats", "label": "Rats"}, {"value": "mice", "label": "Mice"}],
    },
    {
        "name": "tenure",
        "type": "choice",
        "label": "Tenure?",
        "choices": [{"value": "council", "label": "C"}, {"value": "owner", "label": "O"}],
    },
]
WHERE = "services[9] (bulky-waste)"


def check(raw):
    problems: list[str] = []
    fee = validate_fee(raw, WHERE, QUESTIONS, problems, ["received", "approved"])
    return fee, problems


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ten pounds", "services[9] (bulky-waste).fee: must be a mapping"),
        ({"ledger_code": "GF-1", "amount": "ten"}, ".fee.amount: 'ten' must be an amount in pounds"),
        ({"ledger_code": "GF-1", "amount": 10.5}, ".fee.amount: 10.5 must be an amount"),
        ({"amount": "10.00"}, ".fee.ledger_code: None must be the fund and cost centre"),
        ({"ledger_code": "gf 1", "amount": "10.00"}, ".fee.ledger_code: 'gf 1'"),
        ({"ledger_code": "GF-1"}, "give exactly one of amount, per_item or by_answer (found none)"),
        (
            {
                "ledger_code": "GF-1",
                "amount": "1.00",
                "per_item": {"question": "item_count", "amount": "1.00"},
            },
            "give exactly one of amount, per_item or by_answer",
        ),
        (
            {"ledger_code": "GF-1", "per_item": {"question": "pest", "amount": "1.00"}},
            ".fee.per_item.question: 'pest' must be a number question",
        ),
        (
            {"ledger_code": "GF-1", "by_answer": {"question": "pest", "amounts": {"rats": "1.00"}}},
            ".fee.by_answer.amounts: no amount for choices ['mice']",
        ),
        (
            {
                "ledger_code": "GF-1",
                "by_answer": {"question": "pest", "amounts": {"rats": "1", "mice": "2", "bats": "3"}},
            },
            "['bats'] are not choices of 'pest'",
        ),
        ({"ledger_code": "GF-1", "amount": "1.00", "vat": "yes"}, ".fee.vat: must be true"),
        ({"ledger_code": "GF-1", "amount": "1.00", "price": 3}, ".fee: unknown keys ['price']"),
        (
            {"ledger_code": "GF-1", "amount": "1.00", "pay_after": "aproved"},
            ".fee.pay_after: 'aproved' must be a status",
        ),
        ({"ledger_code": "GF-1", "amount": "200000.00"}, ".fee.amount: '200000.00'"),
        (
            {"ledger_code": "GF-1", "amount": "1.00", "concessions": [{"name": "X", "free": True}]},
            ".fee.concessions[0]: give exactly one kind of evidence",
        ),
        (
            {
                "ledger_code": "GF-1",
                "amount": "1.00",
                "concessions": [{"name": "X", "answer": {"question": "nope", "equals": "y"}, "free": True}],
            },
            ".fee.concessions[0].answer.question: 'nope' is not a question",
        ),
        (
            {
                "ledger_code": "GF-1",
                "amount": "1.00",
                "concessions": [{"name": "X", "record": {"source": "benefits"}, "free_items": 2}],
            },
            ".fee.concessions[0].free_items: only a per_item fee has items",
        ),
        (
            {
                "ledger_code": "GF-1",
                "amount": "1.00",
                "concessions": [{"name": "X", "record": {"source": "benefits"}, "percent_off": 150}],
            },
            ".fee.concessions[0].percent_off: must be a whole number from 1 to 100",
        ),
        (
            {
                "ledger_code": "GF-1",
                "amount": "1.00",
                "concessions": [{"record": {"source": "benefits"}, "free": True}],
            },
            ".fee.concessions[0].name: is required",
        ),
    ],
)
def test_bad_fee_blocks_are_named_by_service_and_field(raw, message):
    fee, problems = check(raw)
    assert any(message in p for p in problems), problems
    assert all(p.startswith(WHERE) for p in problems)


def test_the_whole_catalogue_is_refused_with_the_fee_problem_listed():
    from pathlib import Path

    from residenthub.services.definitions import DefinitionError

    text = Path("residenthub/services/data/catalogue.yaml").read_text(encoding="utf-8")
    broken = text.replace(
        'per_item: {question: item_count, amount: "15.00"}', 'per_item: {question: items, amount: "x"}'
    )
    assert broken != text
    with pytest.raises(DefinitionError) as caught:
        parse_catalogue(broken, set(read_lgsl()))
    problems = caught.value.problems
    assert any(
        "(bulky-waste).fee.per_item.question: 'items' must be a number question" in p for p in problems
    )
    assert any("(bulky-waste).fee.per_item.amount: 'x'" in p for p in problems)


def test_per_item_with_free_items_from_a_linked_record():
    fee, problems = check(
        {
            "ledger_code": "GF-WST410",
            "per_item": {"question": "item_count", "amount": "15.00"},
            "concessions": [{"name": "First 3 free", "record": {"source": "benefits"}, "free_items": 3}],
        }
    )
    assert not problems
    full = quote(fee, {"item_count": 5}, service_name="Bulky waste")
    assert full.total == 7500 and full.concession == "" and full.lines[0].text == "5 items at £15 each"
    reduced = quote(fee, {"item_count": 5}, service_name="Bulky waste", record_sources={"benefits"})
    assert reduced.total == 3000 and reduced.concession == "First 3 free"
    assert reduced.evidence == {"record": "benefits"}
    assert quote(fee, {"item_count": 2}, service_name="B", record_sources={"benefits"}).total == 0


def test_by_answer_with_vat_and_a_free_concession():
    fee, problems = check(
        {
            "ledger_code": "GF-EHS220",
            "vat": True,
            "by_answer": {"question": "pest", "amounts": {"rats": "0.00", "mice": "45.00"}},
            "concessions": [
                {"name": "Tenants", "answer": {"question": "tenure", "equals": "council"}, "free": True}
            ],
        }
    )
    assert not problems
    mice = quote(fee, {"pest": "mice", "tenure": "owner"}, service_name="Pest control")
    assert mice.total == 4500 and mice.vat == 750  # 20% VAT inside £45
    assert quote(fee, {"pest": "mice", "tenure": "council"}, service_name="P").total == 0
    assert quote(fee, {"pest": "rats", "tenure": "owner"}, service_name="P").total == 0


def test_money_is_pence_never_floats():
    assert to_pence("12.50") == 1250 and to_pence("10") == 1000 and to_pence(10) == 1000
    assert to_pence("12.5") is None and to_pence(12.5) is None and to_pence(True) is None
    assert pounds(1250) == "£12.50" and pounds(1000) == "£10" and pounds(123456) == "£1,234.56"


@pytest.mark.django_db
def test_the_loader_stores_fees_and_forgets_removed_ones(catalogue):
    from residenthub.payments.models import ServiceFee

    codes = set(ServiceFee.objects.values_list("service__code", flat=True))
    assert codes == {"blue-badge", "bulky-waste", "pest-control"}
    fee = ServiceFee.objects.get(service__code="bulky-waste").definition
    assert fee["kind"] == "per_item" and fee["amount"] == 1500 and fee["ledger_code"] == "GF-WST410"


@pytest.mark.django_db
def test_a_linked_benefits_record_makes_three_items_free(make_case):
    """The concession evidenced by a linked record: the resident view links the case to a person
    with a council tax support (benefits) record; the charge is priced with it."""
    from residenthub.identity.models import CaseLink, Person, PersonLink, Source, SourceRecord
    from residenthub.payments import actions
    from residenthub.services.models import Service
    from tests.conftest import minimal_answers

    answers = minimal_answers(Service.objects.get(code="bulky-waste"))
    answers["item_count"] = 4
    case = make_case("bulky-waste", answers=answers)
    before = actions.open_charge(case)
    assert before.amount == 6000  # not linked yet
    person = Person.objects.create(public_id="P-TEST-0001")
    source = Source.objects.get_or_create(slug="benefits", defaults={"name": "Benefits"})[0]
    record = SourceRecord.objects.create(source=source, source_key="HB1", fingerprint="x")
    PersonLink.objects.create(record=record, person=person)
    CaseLink.objects.update_or_create(case=case, defaults={"person": person, "status": "linked"})
    case = type(case).objects.get(pk=case.pk)
    charge = actions.reprice(actions.open_charge(case))  # as the pay page and a payment's start do
    assert charge.events.filter(kind="charge.repriced", amount=-4500).exists()
    assert (
        charge.amount == 1500
        and charge.breakdown["concession"] == "First 3 items free with council tax support"
    )
