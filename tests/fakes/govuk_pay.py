"""A local HTTP server that speaks GOV.UK Pay's public API (v1), for payment tests.

It behaves as GOV.UK Pay's documentation describes, as far as Resident Hub uses it:

- ``POST /v1/payments`` (amount in pence 1..10,000,000, reference, description, return_url,
  language, metadata, moto, delayed_capture) answers 201 with ``payment_id``, ``state`` and
  ``_links.next_url``; an ``Idempotency-Key`` seen before with the same body answers 200 with the
  payment it created, with a different body 409.
- ``GET /v1/payments/{id}`` with ``state.status`` created, started, submitted, success, failed,
  cancelled, error and codes P0010 (declined), P0020 (expired), P0030 (cancelled by the user);
  ``refund_summary.amount_available``; ``settlement_summary.settled_date``.
- ``POST /v1/payments/{id}/cancel`` (204, or 400 P0501 once finished), ``POST .../refunds``
  (``amount`` and ``refund_amount_available``: 412 P0604 when the latter is stale), ``GET
  .../refunds/{rid}``, ``GET .../events``, search ``GET /v1/payments`` and ``GET /v1/refunds`` by
  settled date, paginated with ``_links.next_page``.
- Errors as ``{"code": "P0102", "field": ..., "description": ...}``; 401 without the API key.
- The hosted payment page at ``next_url``: a card form posted to this server (never to Resident
  Hub), test card 4000000000000002 is declined, then a redirect to the ``return_url``.
- Webhooks: a JSON message (``webhook_message_id``, ``resource_id``, ``resource_type``,
  ``event_type``, ``resource``) signed in a ``Pay-Signature`` header, the HMAC-SHA256 hex of the
  body with the signing secret; POSTed to ``webhook_url`` or kept in ``webhooks`` for a test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "api_test_resident_hub_key_0123456789abcdef"
MOTO_KEY = "api_test_resident_hub_moto_key_0123456789"
WEBHOOK_SECRET = "webhook_live_secret_for_tests_0123456789"
DECLINED_CARD = "4000000000000002"
GOOD_CARD = "4444333322221111"
FINISHED = {"success", "failed", "cancelled", "error"}


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class FakePay:
    def __init__(self):
        self.lock = threading.RLock()
        self.payments: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.by_token: dict[str, str] = {}
        self.idempotency: dict[str, tuple[str, str]] = {}
        self.webhooks: list[tuple[bytes, str]] = []  # (body, signature) when no webhook_url
        self.webhook_url = ""
        self.fail_next = 0  # answer the next N API calls with a 500
        self.delay_seconds = 0.0  # answer API calls this late (a timeout)
        self.requests: list[tuple[str, str]] = []
        self.card_posts: list[dict] = []  # what the hosted page received (the card stays here)
        self.created_calls = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def start(self) -> FakePay:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- The payment's life, as a paying user (or time) moves it ------------------------------

    def _now(self) -> str:
        return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _set(self, payment: dict, status: str, code: str = "", message: str = "") -> None:
        state = {"status": status, "finished": status in FINISHED}
        if code:
            state.update(code=code, message=message)
        payment["state"] = state
        payment["events"].append({"state": dict(state), "updated": self._now()})
        event = {
            "started": None,
            "success": "card_payment_succeeded",
            "failed": "card_payment_failed",
            "cancelled": "card_payment_cancelled",
        }.get(status)
        if code == "P0020":
            event = "card_payment_expired"
        if event:
            self._webhook(event, "payment", payment["payment_id"], self.public(payment))

    def complete(self, payment_id: str, card: str = GOOD_CARD) -> dict:
        """The paying user enters a card on the hosted page."""
        with self.lock:
            payment = self.payments[payment_id]
            if payment["state"]["finished"]:
                return payment
            if payment["state"]["status"] == "created":
                self._set(payment, "started")
            self._set(payment, "submitted")
            if card.replace(" ", "") == DECLINED_CARD:
                self._set(payment, "failed", "P0010", "Payment method rejected")
            else:
                payment["card_brand"] = "Visa"
                payment["refund_summary"] = {
                    "status": "available",
                    "amount_available": payment["amount"],
                    "amount_submitted": 0,
                }
                self._set(payment, "success")
            return payment

    def cancel_by_user(self, payment_id: str) -> None:
        with self.lock:
            self._set(self.payments[payment_id], "failed", "P0030", "Payment was cancelled by the user")

    def expire(self, payment_id: str) -> None:
        with self.lock:
            self._set(self.payments[payment_id], "failed", "P0020", "Payment expired")

    def settle(self, day: dt.date) -> None:
        """Everything paid or refunded and not yet settled is settled on ``day``."""
        with self.lock:
            for payment in self.payments.values():
                if payment["state"]["status"] == "success" and not payment["settlement_summary"].get(
                    "settled_date"
                ):
                    payment["settlement_summary"] = {
                        "capture_submit_time": self._now(),
                        "captured_date": day.isoformat(),
                        "settled_date": day.isoformat(),
                    }
            for refund in self.refunds.values():
                if refund["status"] == "success" and not refund["settlement_summary"].get("settled_date"):
                    refund["settlement_summary"] = {"settled_date": day.isoformat()}

    def add_settled(
        self, *, amount: int, reference: str, day: dt.date, payment_id: str | None = None
    ) -> dict:
        """A payment made and settled elsewhere (for generated months of data)."""
        payment_id = payment_id or secrets.token_hex(13)
        payment = self._new(amount, reference, "x", "https://example.invalid/return", {}, False, "en")
        payment["payment_id"] = payment_id
        payment["state"] = {"status": "success", "finished": True}
        payment["settlement_summary"] = {"settled_date": day.isoformat(), "captured_date": day.isoformat()}
        payment["refund_summary"] = {"status": "available", "amount_available": amount, "amount_submitted": 0}
        with self.lock:
            self.payments[payment_id] = payment
        return payment

    def add_settled_refund(self, payment_id: str, *, amount: int, day: dt.date, refund_id: str | None = None):
        refund = {
            "refund_id": refund_id or secrets.token_hex(13),
            "payment_id": payment_id,
            "created_date": self._now(),
            "amount": amount,
            "status": "success",
            "settlement_summary": {"settled_date": day.isoformat()},
        }
        with self.lock:
            self.refunds[refund["refund_id"]] = refund
        return refund

    def _account_of(self, refund: dict) -> str:
        payment = self.payments.get(refund["payment_id"])
        return payment["account"] if payment else "main"

    # --- Webhooks -------------------------------------------------------------------------------

    def _webhook(self, event_type: str, resource_type: str, resource_id: str, resource: dict) -> None:
        body = json.dumps(
            {
                "webhook_message_id": secrets.token_hex(13),
                "created_date": self._now(),
                "resource_id": resource_id,
                "api_version": 1,
                "resource_type": resource_type,
                "event_type": event_type,
                "resource": resource,
            }
        ).encode()
        self.webhooks.append((body, sign(body)))
        if self.webhook_url:
            threading.Thread(target=self.deliver, args=(body,), daemon=True).start()

    def deliver(self, body: bytes, url: str = "") -> int:
        request = urllib.request.Request(  # noqa: S310 - loopback
            url or self.webhook_url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Pay-Signature": sign(body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status
        except Exception:  # noqa: BLE001 - a failed delivery is what a webhook sender sees
            return 0

    # --- The API's shapes -----------------------------------------------------------------------

    def _new(self, amount, reference, description, return_url, metadata, moto, language) -> dict:
        payment_id = secrets.token_hex(13)
        token = secrets.token_urlsafe(16)
        return {
            "payment_id": payment_id,
            "amount": amount,
            "reference": reference,
            "description": description,
            "return_url": return_url,
            "language": language,
            "metadata": metadata,
            "moto": moto,
            "delayed_capture": False,
            "created_date": self._now(),
            "payment_provider": "sandbox",
            "state": {"status": "created", "finished": False},
            "refund_summary": {"status": "pending", "amount_available": amount, "amount_submitted": 0},
            "settlement_summary": {},
            "events": [],
            "token": token,
            "account": "main",
        }

    def public(self, payment: dict) -> dict:
        """The payment as the API shows it (no card number: GOV.UK Pay shows only a brand and last digits,
        which Resident Hub never keeps)."""
        data = {k: v for k, v in payment.items() if k not in {"events", "token", "card_brand", "account"}}
        links = {"self": {"href": f"{self.base_url}/v1/payments/{payment['payment_id']}", "method": "GET"}}
        if not payment["state"]["finished"]:
            links["next_url"] = {"href": f"{self.base_url}/secure/{payment['token']}", "method": "GET"}
        data["_links"] = links
        return data

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, code: str, description: str, field: str = "") -> None:
                body = {"code": code, "description": description}
                if field:
                    body["field"] = field
                self._reply(status, body)

            def _html(self, status: int, text: str) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _redirect(self, url: str) -> None:
                self.send_response(303)
                self.send_header("Location", url)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _authorised(self) -> bool:
                auth = self.headers.get("Authorization", "")
                if auth not in {f"Bearer {API_KEY}", f"Bearer {MOTO_KEY}"}:
                    self._error(401, "P0920", "Credentials are required to access this resource")
                    return False
                # Each API key is one GOV.UK Pay account (service): it sees only its own payments.
                self.account = "moto" if auth == f"Bearer {MOTO_KEY}" else "main"
                if fake.delay_seconds:
                    time.sleep(fake.delay_seconds)
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    self._error(500, "P0198", "Downstream system error")
                    return False
                return True

            def _body(self) -> dict | None:
                length = int(self.headers.get("Content-Length", 0))
                try:
                    return json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return None

            def do_GET(self):  # noqa: N802 - http.server's naming
                url = urllib.parse.urlparse(self.path)
                parts = [p for p in url.path.split("/") if p]
                if parts[:1] == ["secure"] and len(parts) == 2:
                    return self._hosted_page(parts[1])
                fake.requests.append(("GET", url.path))
                if not self._authorised():
                    return None
                query = dict(urllib.parse.parse_qsl(url.query))
                with fake.lock:
                    if parts == ["v1", "payments"]:
                        mine = [p for p in fake.payments.values() if p["account"] == self.account]
                        return self._search(mine, query, fake.public)
                    if parts == ["v1", "refunds"]:
                        mine = [r for r in fake.refunds.values() if fake._account_of(r) == self.account]
                        return self._search(mine, query, dict)
                    if len(parts) >= 3 and parts[:2] == ["v1", "payments"]:
                        payment = fake.payments.get(parts[2])
                        if payment is None or payment["account"] != self.account:
                            return self._error(404, "P0200", "Not found")
                        if len(parts) == 3:
                            return self._reply(200, fake.public(payment))
                        if parts[3:] == ["events"]:
                            return self._reply(200, {"payment_id": parts[2], "events": payment["events"]})
                        if len(parts) == 5 and parts[3] == "refunds" and parts[4] in fake.refunds:
                            return self._reply(200, fake.refunds[parts[4]])
                return self._error(404, "P0200", "Not found")

            def _search(self, items: list[dict], query: dict, shape) -> None:
                def settled(item):
                    return (item.get("settlement_summary") or {}).get("settled_date") or ""

                if "from_settled_date" in query:
                    items = [i for i in items if settled(i) and settled(i) >= query["from_settled_date"]]
                if "to_settled_date" in query:
                    items = [i for i in items if settled(i) and settled(i) <= query["to_settled_date"]]
                if "reference" in query:
                    items = [i for i in items if i.get("reference") == query["reference"]]
                try:
                    page = int(query.get("page", 1))
                    size = int(query.get("display_size", 500))
                except ValueError:
                    return self._error(422, "P0401", "Invalid parameters: page, display_size")
                if not 1 <= size <= 500:
                    return self._error(422, "P0401", "Invalid parameters: display_size")
                start = (page - 1) * size
                chunk = items[start : start + size]
                links = {"self": {"href": self.path}}
                if start + size < len(items):
                    links["next_page"] = {"href": f"?page={page + 1}"}
                self._reply(
                    200,
                    {
                        "total": len(items),
                        "count": len(chunk),
                        "page": page,
                        "results": [shape(i) for i in chunk],
                        "_links": links,
                    },
                )

            def do_POST(self):  # noqa: N802
                url = urllib.parse.urlparse(self.path)
                parts = [p for p in url.path.split("/") if p]
                if parts[:1] == ["secure"] and len(parts) == 2:
                    return self._card_form(parts[1])
                fake.requests.append(("POST", url.path))
                if not self._authorised():
                    return None
                body = self._body()
                if body is None:
                    return self._error(400, "P0197", "Unable to parse JSON")
                if parts == ["v1", "payments"]:
                    return self._create(body)
                if len(parts) == 4 and parts[:2] == ["v1", "payments"] and parts[3] == "cancel":
                    with fake.lock:
                        payment = fake.payments.get(parts[2])
                        if payment is None or payment["account"] != self.account:
                            return self._error(404, "P0500", "Not found")
                        if payment["state"]["status"] not in {"created", "started", "submitted"}:
                            return self._error(400, "P0501", "Cancellation of payment failed")
                        fake._set(payment, "cancelled", "P0040", "Payment was cancelled by the service")
                    return self._reply(204)
                if len(parts) == 4 and parts[:2] == ["v1", "payments"] and parts[3] == "refunds":
                    return self._refund(parts[2], body)
                return self._error(404, "P0200", "Not found")

            def _create(self, body: dict) -> None:
                for field in ("amount", "reference", "description", "return_url"):
                    if field not in body:
                        return self._error(400, "P0101", f"Missing mandatory attribute: {field}", field)
                amount = body["amount"]
                if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 10_000_000:
                    return self._error(
                        422,
                        "P0102",
                        "Invalid attribute value: amount. Must be between 1 and 10000000",
                        "amount",
                    )
                for field in ("reference", "description"):
                    if not isinstance(body[field], str) or not 0 < len(body[field]) <= 255:
                        return self._error(422, "P0102", f"Invalid attribute value: {field}", field)
                metadata = body.get("metadata") or {}
                if len(metadata) > 10:
                    return self._error(422, "P0102", "Invalid attribute value: metadata", "metadata")
                key = self.headers.get("Idempotency-Key", "")
                fingerprint = json.dumps(body, sort_keys=True)
                with fake.lock:
                    if key and key in fake.idempotency:
                        payment_id, seen = fake.idempotency[key]
                        if seen != fingerprint:
                            return self._error(
                                409, "P0102", "The Idempotency-Key was used with a different request body"
                            )
                        return self._reply(200, fake.public(fake.payments[payment_id]))
                    fake.created_calls += 1
                    payment = fake._new(
                        amount,
                        body["reference"],
                        body["description"],
                        body["return_url"],
                        metadata,
                        bool(body.get("moto")),
                        body.get("language", "en"),
                    )
                    payment["account"] = self.account
                    fake.payments[payment["payment_id"]] = payment
                    fake.by_token[payment["token"]] = payment["payment_id"]
                    payment["events"].append({"state": dict(payment["state"]), "updated": fake._now()})
                    if key:
                        fake.idempotency[key] = (payment["payment_id"], fingerprint)
                    public = fake.public(payment)
                self._reply(201, public, {"Location": public["_links"]["self"]["href"]})

            def _refund(self, payment_id: str, body: dict) -> None:
                with fake.lock:
                    payment = fake.payments.get(payment_id)
                    if payment is None or payment["account"] != self.account:
                        return self._error(404, "P0600", "Not found")
                    if payment["state"]["status"] != "success":
                        return self._error(400, "P0603", "The payment is not available for refund")
                    available = payment["refund_summary"]["amount_available"]
                    amount = body.get("amount")
                    if body.get("refund_amount_available") != available:
                        return self._error(412, "P0604", "Refund amount available mismatch")
                    if not isinstance(amount, int) or not 1 <= amount <= available:
                        return self._error(400, "P0603", "The payment is not available for refund")
                    refund = {
                        "refund_id": secrets.token_hex(13),
                        "payment_id": payment_id,
                        "created_date": fake._now(),
                        "amount": amount,
                        "status": "success",
                        "settlement_summary": {},
                    }
                    fake.refunds[refund["refund_id"]] = refund
                    payment["refund_summary"] = {
                        "status": "available" if available - amount else "full",
                        "amount_available": available - amount,
                        "amount_submitted": payment["amount"] - available + amount,
                    }
                    answer = dict(refund, status="submitted")
                fake._webhook("card_payment_refunded", "payment", payment_id, fake.public(payment))
                self._reply(202, answer)

            # --- The hosted payment pages (what a paying user sees) --------------------------

            def _hosted_page(self, token: str) -> None:
                with fake.lock:
                    payment = fake.payments.get(fake.by_token.get(token, ""))
                    if payment is None or payment["state"]["finished"]:
                        return self._html(
                            400,
                            "<!DOCTYPE html><html lang='en'><title>Link expired</title>"
                            "<main><h1>This payment link has expired</h1></main></html>",
                        )
                    if payment["state"]["status"] == "created":
                        fake._set(payment, "started")
                amount = f"£{payment['amount'] // 100}.{payment['amount'] % 100:02d}"
                self._html(
                    200,
                    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Enter card details"
                    "</title></head><body><main><h1>Enter card details</h1>"
                    f"<p>{html.escape(payment['description'])}</p><p id='amount'>Total amount: {amount}</p>"
                    f"<form method='post' action='/secure/{token}'>"
                    "<label for='card'>Card number</label> "
                    "<input id='card' name='card_number' autocomplete='cc-number'>"
                    "<button type='submit' name='action' value='pay'>Continue</button> "
                    "<button type='submit' name='action' value='cancel'>Cancel payment</button>"
                    "</form></main></body></html>",
                )

            def _card_form(self, token: str) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                with fake.lock:
                    payment_id = fake.by_token.get(token, "")
                    payment = fake.payments.get(payment_id)
                    if payment is None:
                        return self._html(404, "<!DOCTYPE html><title>Not found</title>")
                    fake.card_posts.append(form)
                    if form.get("action") == "cancel":
                        fake.cancel_by_user(payment_id)
                    else:
                        fake.complete(payment_id, form.get("card_number", ""))
                    return_url = payment["return_url"]
                self._redirect(return_url)

        return Handler
