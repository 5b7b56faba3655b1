"""A small client for GOV.UK Pay's public API (v1): create, get, refund, search, webhook signatures.

Only what Resident Hub uses, written from GOV.UK Pay's documentation: amounts in pence, the
payment's ``state.status`` (created, started, submitted, capturable, success, failed, cancelled,
error) with codes such as P0010 (declined), P0020 (expired), P0030 (cancelled by the user), an
``Idempotency-Key`` header on creation, errors as ``{"code", "description"}`` (and ``field``).
The standard library's urllib is enough; no card data passes through here, ever.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)


class PayError(Exception):
    """GOV.UK Pay refused a request (4xx) or could not be reached (timeout, 5xx)."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "", transient: bool = False):
        super().__init__(message)
        self.status = status
        self.code = code
        self.transient = transient


class NotConfigured(PayError):
    pass


@dataclass(frozen=True)
class PayState:
    """The parts of a GOV.UK Pay payment Resident Hub keeps (never card details)."""

    payment_id: str
    status: str
    finished: bool
    amount: int
    reference: str
    code: str = ""
    message: str = ""
    next_url: str = ""
    refund_available: int | None = None
    settled_date: str = ""
    created_date: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PayState:
        state = data.get("state") or {}
        links = data.get("_links") or {}
        refunds = data.get("refund_summary") or {}
        settlement = data.get("settlement_summary") or {}
        return cls(
            payment_id=str(data.get("payment_id", "")),
            status=str(state.get("status", "")),
            finished=bool(state.get("finished", False)),
            amount=int(data.get("amount", 0)),
            reference=str(data.get("reference", "")),
            code=str(state.get("code", "")),
            message=str(state.get("message", "")),
            next_url=str((links.get("next_url") or {}).get("href", "")),
            refund_available=refunds.get("amount_available"),
            settled_date=str(settlement.get("settled_date") or ""),
            created_date=str(data.get("created_date", "")),
        )


def configured(*, moto: bool = False) -> bool:
    return bool(_key(moto))


def _key(moto: bool) -> str:
    return (
        (settings.GOVUK_PAY_MOTO_API_KEY or settings.GOVUK_PAY_API_KEY)
        if moto
        else settings.GOVUK_PAY_API_KEY
    )


def _call(
    method: str, path: str, *, body: dict | None = None, moto: bool = False, headers: dict | None = None
) -> tuple[int, dict]:
    key = _key(moto)
    if not key:
        raise NotConfigured("GOV.UK Pay is not configured (GOVUK_PAY_API_KEY is not set)")
    url = settings.GOVUK_PAY_BASE_URL.rstrip("/") + path
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - a configured https URL
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=settings.GOVUK_PAY_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            payload = json.loads(exc.read() or b"{}")
        except ValueError:
            payload = {}
        code = str(payload.get("code", ""))
        description = str(payload.get("description") or payload.get("message") or exc.reason)
        logger.warning("GOV.UK Pay %s %s answered %s %s", method, path.split("?")[0], exc.code, code)
        raise PayError(description, status=exc.code, code=code, transient=exc.code >= 500) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        logger.warning("GOV.UK Pay %s %s did not answer: %s", method, path.split("?")[0], type(exc).__name__)
        raise PayError("GOV.UK Pay did not answer in time", transient=True) from exc


def create_payment(
    *,
    amount: int,
    reference: str,
    description: str,
    return_url: str,
    idempotency_key: str,
    metadata: dict[str, Any] | None = None,
    language: str = "en",
    moto: bool = False,
) -> PayState:
    body: dict[str, Any] = {
        "amount": amount,
        "reference": reference,
        "description": description[:255],
        "return_url": return_url,
        "language": "cy" if language == "cy" else "en",
        "delayed_capture": False,
    }
    if metadata:
        body["metadata"] = metadata
    if moto:
        body["moto"] = True
    _status, data = _call(
        "POST", "/v1/payments", body=body, moto=moto, headers={"Idempotency-Key": idempotency_key}
    )
    return PayState.from_json(data)


def get_payment(payment_id: str, *, moto: bool = False) -> PayState:
    _status, data = _call("GET", f"/v1/payments/{urllib.parse.quote(payment_id)}", moto=moto)
    return PayState.from_json(data)


def refund(payment_id: str, *, amount: int, refund_amount_available: int, moto: bool = False) -> dict:
    _status, data = _call(
        "POST",
        f"/v1/payments/{urllib.parse.quote(payment_id)}/refunds",
        body={"amount": amount, "refund_amount_available": refund_amount_available},
        moto=moto,
    )
    return data


def get_refund(payment_id: str, refund_id: str, *, moto: bool = False) -> dict:
    path = f"/v1/payments/{urllib.parse.quote(payment_id)}/refunds/{urllib.parse.quote(refund_id)}"
    return _call("GET", path, moto=moto)[1]


def _search(path: str, params: dict[str, Any], *, moto: bool) -> list[dict]:
    """Every page of a search (``display_size`` 500, GOV.UK Pay's largest page)."""
    results: list[dict] = []
    page = 1
    while True:
        query = urllib.parse.urlencode({**params, "page": page, "display_size": 500})
        data = _call("GET", f"{path}?{query}", moto=moto)[1]
        results.extend(data.get("results", []))
        if not (data.get("_links") or {}).get("next_page") or not data.get("results"):
            return results
        page += 1


def settled_payments(day: str, *, moto: bool = False) -> list[dict]:
    """Payments GOV.UK Pay settled on ``day`` (YYYY-MM-DD)."""
    return _search("/v1/payments", {"from_settled_date": day, "to_settled_date": day}, moto=moto)


def settled_refunds(day: str, *, moto: bool = False) -> list[dict]:
    return _search("/v1/refunds", {"from_settled_date": day, "to_settled_date": day}, moto=moto)


def signature(body: bytes, secret: str) -> str:
    """The ``Pay-Signature`` header GOV.UK Pay sends: HMAC-SHA256 of the body, hex."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, header: str) -> bool:
    """Signed by the main account's webhook secret, or the phone (MOTO) account's if it has its own."""
    given = (header or "").strip().lower()
    secrets = [s for s in (settings.GOVUK_PAY_WEBHOOK_SECRET, settings.GOVUK_PAY_MOTO_WEBHOOK_SECRET) if s]
    return bool(given) and any(hmac.compare_digest(signature(body, secret), given) for secret in secrets)
