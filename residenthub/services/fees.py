"""Fees as data: the ``fee`` block of a catalogue service, validated and priced.

A fee is exactly one of a fixed ``amount``, a ``per_item`` price times a number answer, or a price
``by_answer`` to a choice question; ``concessions`` reduce it when an answer or a linked record
(the single resident view) shows the resident qualifies. Amounts are written in pounds as strings
("12.50") and held in pence, so no float ever touches money. See docs/payments.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

AMOUNT_RE = re.compile(r"\d{1,6}(\.\d{2})?")
LEDGER_RE = re.compile(r"[A-Z0-9][A-Z0-9/_.-]{1,39}")
MAX_PENCE = 10_000_000  # GOV.UK Pay's ceiling for one payment (£100,000)
VAT_RATE_PERCENT = 20
FEE_KEYS = {
    "description",
    "ledger_code",
    "vat",
    "amount",
    "per_item",
    "by_answer",
    "concessions",
    "pay_after",
}
CONCESSION_KEYS = {"name", "answer", "record", "free", "free_items", "percent_off"}


def to_pence(value: Any) -> int | None:
    """ "12.50" or 12 -> pence; None for anything that is not a plain amount in pounds."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    if not AMOUNT_RE.fullmatch(text):
        return None
    try:
        return int(Decimal(text) * 100)
    except InvalidOperation:
        return None


def pounds(pence: int) -> str:
    """1250 -> "£12.50"; whole pounds without pence ("£10")."""
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    if pence % 100 == 0:
        return f"{sign}£{pence // 100:,}"
    return f"{sign}£{pence // 100:,}.{pence % 100:02d}"


def validate_fee(
    raw: Any,
    where: str,
    questions: list[dict[str, Any]],
    problems: list[str],
    statuses: list[str] | None = None,
) -> dict | None:
    """Check a service's ``fee`` block against its questions (and its workflow's ``statuses`` for
    ``pay_after``); returns the normalised fee or None.

    Every problem names the service and field, e.g. ``services[9] (bulky-waste).fee.per_item.question``.
    """
    if raw is None:
        return None
    path = f"{where}.fee"
    if not isinstance(raw, dict):
        problems.append(f"{path}: must be a mapping (amount, per_item or by_answer, ledger_code...)")
        return None
    unknown = set(raw) - FEE_KEYS
    if unknown:
        problems.append(f"{path}: unknown keys {sorted(unknown)}; allowed {sorted(FEE_KEYS)}")
    by_name = {q["name"]: q for q in questions if isinstance(q, dict) and "name" in q}
    clean: dict[str, Any] = {
        "description": str(raw.get("description") or "")[:255],
        "vat": raw.get("vat", False),
        "concessions": [],
    }
    if not isinstance(clean["vat"], bool):
        problems.append(f"{path}.vat: must be true (amounts include VAT at {VAT_RATE_PERCENT}%) or false")
    ledger = raw.get("ledger_code")
    if not isinstance(ledger, str) or not LEDGER_RE.fullmatch(ledger):
        problems.append(
            f"{path}.ledger_code: {ledger!r} must be the fund and cost centre for the finance system, "
            "capital letters, digits and - / _ . (e.g. GF-WST410)"
        )
    clean["ledger_code"] = ledger if isinstance(ledger, str) else ""
    pay_after = raw.get("pay_after", "")
    if pay_after and (not isinstance(pay_after, str) or (statuses is not None and pay_after not in statuses)):
        problems.append(
            f"{path}.pay_after: {pay_after!r} must be a status of the service's workflow "
            "(the resident pays once the case has reached it)"
        )
    clean["pay_after"] = pay_after if isinstance(pay_after, str) else ""
    kinds = [k for k in ("amount", "per_item", "by_answer") if k in raw]
    if len(kinds) != 1:
        problems.append(
            f"{path}: give exactly one of amount, per_item or by_answer (found {kinds or 'none'})"
        )
    if "amount" in raw:
        pence = to_pence(raw["amount"])
        if pence is None or not 0 < pence <= MAX_PENCE:
            problems.append(f'{path}.amount: {raw["amount"]!r} must be an amount in pounds like "10.00"')
        clean["kind"], clean["amount"] = "fixed", pence or 0
    if "per_item" in raw:
        item = raw["per_item"]
        if not isinstance(item, dict) or set(item) - {"question", "amount"}:
            problems.append(f'{path}.per_item: must be {{question: NAME, amount: "12.50"}}')
            item = {}
        question = by_name.get(item.get("question"))
        if question is None or question.get("type") != "number":
            problems.append(
                f"{path}.per_item.question: {item.get('question')!r} "
                "must be a number question of this service"
            )
        pence = to_pence(item.get("amount"))
        if pence is None or not 0 < pence <= MAX_PENCE:
            problems.append(f'{path}.per_item.amount: {item.get("amount")!r} must be an amount like "12.50"')
        clean.update(kind="per_item", question=item.get("question"), amount=pence or 0)
    if "by_answer" in raw:
        spec = raw["by_answer"]
        if not isinstance(spec, dict) or set(spec) - {"question", "amounts"}:
            problems.append(f'{path}.by_answer: must be {{question: NAME, amounts: {{choice: "45.00"}}}}')
            spec = {}
        question = by_name.get(spec.get("question"))
        amounts = spec.get("amounts")
        if question is None or question.get("type") != "choice":
            problems.append(
                f"{path}.by_answer.question: {spec.get('question')!r} "
                "must be a choice question of this service"
            )
        elif not isinstance(amounts, dict):
            problems.append(f"{path}.by_answer.amounts: must map every choice to an amount")
        else:
            values = [c["value"] for c in question.get("choices", [])]
            missing = [v for v in values if v not in amounts]
            extra = [k for k in amounts if k not in values]
            if missing:
                problems.append(f"{path}.by_answer.amounts: no amount for choices {missing}")
            if extra:
                problems.append(f"{path}.by_answer.amounts: {extra} are not choices of {question['name']!r}")
        priced = {}
        for value, amount in (amounts or {}).items() if isinstance(amounts, dict) else []:
            pence = to_pence(amount)
            if pence is None or pence > MAX_PENCE:
                problems.append(
                    f'{path}.by_answer.amounts.{value}: {amount!r} must be an amount like "45.00"'
                )
            priced[str(value)] = pence or 0
        clean.update(kind="by_answer", question=spec.get("question"), amounts=priced)
    concessions = raw.get("concessions") or []
    if not isinstance(concessions, list):
        problems.append(f"{path}.concessions: must be a list")
        concessions = []
    for index, item in enumerate(concessions):
        here = f"{path}.concessions[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{here}: must be a mapping")
            continue
        unknown = set(item) - CONCESSION_KEYS
        if unknown:
            problems.append(f"{here}: unknown keys {sorted(unknown)}")
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            problems.append(f"{here}.name: is required (residents and staff see it)")
        evidence = [k for k in ("answer", "record") if k in item]
        if len(evidence) != 1:
            problems.append(f"{here}: give exactly one kind of evidence, answer or record")
        concession: dict[str, Any] = {"name": str(item.get("name", ""))}
        if "answer" in item:
            answer = item["answer"]
            if (
                not isinstance(answer, dict)
                or "question" not in answer
                or not ("equals" in answer or "in" in answer)
            ):
                problems.append(
                    f"{here}.answer: must be {{question: NAME, equals: VALUE}} or {{question, in: [...]}}"
                )
            elif answer["question"] not in by_name:
                problems.append(
                    f"{here}.answer.question: {answer['question']!r} is not a question of this service"
                )
            else:
                wanted = answer["in"] if "in" in answer else [answer["equals"]]
                concession["answer"] = {"question": answer["question"], "in": [str(v) for v in wanted]}
        if "record" in item:
            record = item["record"]
            if not isinstance(record, dict) or not isinstance(record.get("source"), str):
                problems.append(f"{here}.record: must be {{source: SLUG}} of a resident-view source")
            else:
                concession["record"] = {"source": record["source"]}
        effects = [k for k in ("free", "free_items", "percent_off") if k in item]
        if len(effects) != 1:
            problems.append(f"{here}: give exactly one effect, free: true, free_items: N or percent_off: N")
        elif effects[0] == "free" and item["free"] is not True:
            problems.append(f"{here}.free: must be true")
        elif effects[0] == "free_items":
            if clean.get("kind") != "per_item":
                problems.append(f"{here}.free_items: only a per_item fee has items")
            elif not isinstance(item["free_items"], int) or item["free_items"] < 1:
                problems.append(f"{here}.free_items: must be a whole number, 1 or more")
        elif effects[0] == "percent_off" and (
            not isinstance(item["percent_off"], int) or not 0 < item["percent_off"] <= 100
        ):
            problems.append(f"{here}.percent_off: must be a whole number from 1 to 100")
        for key in effects[:1]:
            concession[key] = item[key]
        clean["concessions"].append(concession)
    return clean


@dataclass(frozen=True)
class Line:
    text: str
    pence: int


@dataclass(frozen=True)
class Quote:
    """What a resident pays for one request, and why."""

    lines: tuple[Line, ...]
    total: int
    vat: int
    ledger_code: str
    description: str
    concession: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    pay_after: str = ""  # a workflow status: not payable before the case reaches it

    @property
    def display(self) -> str:
        return pounds(self.total)

    def as_json(self) -> dict[str, Any]:
        return {
            "lines": [{"text": line.text, "pence": line.pence} for line in self.lines],
            "total": self.total,
            "vat": self.vat,
            "ledger_code": self.ledger_code,
            "description": self.description,
            "concession": self.concession,
            "evidence": self.evidence,
            "pay_after": self.pay_after,
        }


def vat_in(total: int, vat: bool) -> int:
    """The VAT inside a VAT-inclusive amount, rounded to the penny (0 when not VAT-able)."""
    if not vat or total <= 0:
        return 0
    return int((Decimal(total) * VAT_RATE_PERCENT / (100 + VAT_RATE_PERCENT)).quantize(Decimal(1)))


def _answer_matches(rule: dict[str, Any], answers: dict[str, Any]) -> bool:
    given = answers.get(rule["question"])
    if isinstance(given, list):
        return any(str(item) in rule["in"] for item in given)
    return given is not None and str(given) in rule["in"]


def quote(fee: dict[str, Any], answers: dict[str, Any], *, service_name: str, record_sources=()) -> Quote:
    """Price ``answers`` with ``fee``; ``record_sources`` are the slugs of the resident's linked records."""
    lines: list[Line] = []
    items = 0
    if fee["kind"] == "fixed":
        lines.append(Line(fee["description"] or service_name, fee["amount"]))
    elif fee["kind"] == "per_item":
        try:
            items = max(int(answers.get(fee["question"]) or 0), 0)
        except (TypeError, ValueError):
            items = 0
        each = pounds(fee["amount"])
        lines.append(Line(f"{items} item{'s' if items != 1 else ''} at {each} each", items * fee["amount"]))
    else:
        value = answers.get(fee["question"])
        lines.append(Line(fee["description"] or service_name, fee["amounts"].get(str(value), 0)))
    subtotal = sum(line.pence for line in lines)
    applied, evidence = "", {}
    for concession in fee["concessions"]:
        if "answer" in concession:
            ok = _answer_matches(concession["answer"], answers)
            proof = {"answer": concession["answer"]["question"]}
        else:
            ok = concession["record"]["source"] in set(record_sources)
            proof = {"record": concession["record"]["source"]}
        if not ok or subtotal <= 0:
            continue
        if concession.get("free"):
            off = subtotal
        elif "free_items" in concession:
            off = min(items, concession["free_items"]) * fee["amount"]
        else:
            off = subtotal * concession["percent_off"] // 100
        if off > 0:
            lines.append(Line(f"{concession['name']}", -off))
            applied, evidence = concession["name"], proof
            break  # the first concession that applies; they do not stack
    total = max(sum(line.pence for line in lines), 0)
    return Quote(
        lines=tuple(lines),
        total=total,
        vat=vat_in(total, fee["vat"]),
        ledger_code=fee["ledger_code"],
        description=(fee["description"] or service_name)[:255],
        concession=applied,
        evidence=evidence,
        pay_after=fee.get("pay_after", ""),
    )
