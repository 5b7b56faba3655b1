"""A local HTTP server that speaks GOV.UK Notify's v2 API, for SMS and precompiled letter tests.

It checks what the real service checks (the JWT signed with the key's secret, issuer = service
id, issued in the last 30 seconds; a JSON body with phone_number and template_id) and answers
in Notify's documented shapes: 201 with the notification, or 4xx with ``errors``.
"""

from __future__ import annotations

import json
import time
import uuid

import jwt

from .server import JsonHandler, LoopbackServer

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


class FakeNotify(LoopbackServer):
    def __init__(self):
        self.received: list[dict] = []
        self.letters: list[dict] = []  # precompiled letters: {"reference", "postage", "pdf": bytes}
        self.fail_next = 0  # answer the next N requests with a 500
        super().__init__()

    def _handler(self):
        fake = self

        class Handler(JsonHandler):
            _reply = JsonHandler.send_json

            def _error(self, status: int, kind: str, message: str) -> None:
                self._reply(status, {"status_code": status, "errors": [{"error": kind, "message": message}]})

            def do_POST(self):  # noqa: N802 - http.server's naming
                if self.path not in ("/v2/notifications/sms", "/v2/notifications/letter"):
                    return self._error(404, "NotFound", "Not found")
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer "):
                    return self._error(
                        401, "AuthError", "Unauthorized: authentication token must be provided"
                    )
                try:
                    claims = jwt.decode(auth[7:], SECRET, algorithms=["HS256"], options={"verify_iat": True})
                except jwt.PyJWTError:
                    return self._error(403, "AuthError", "Invalid token: signature, api token not found")
                if claims.get("iss") != SERVICE_ID or abs(time.time() - claims.get("iat", 0)) > 30:
                    return self._error(403, "AuthError", "Invalid token: iss or iat")
                length = int(self.headers.get("Content-Length", 0))
                try:
                    body = json.loads(self.rfile.read(length))
                except ValueError:
                    return self._error(400, "BadRequestError", "Invalid JSON")
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    return self._error(500, "Exception", "Internal server error")
                if self.path == "/v2/notifications/letter":
                    return self._letter(body)
                for field in ("phone_number", "template_id"):
                    if not body.get(field):
                        return self._error(400, "ValidationError", f"{field} is a required property")
                if body["template_id"] != TEMPLATE_ID:
                    return self._error(400, "BadRequestError", "Template not found")
                fake.received.append(body)
                text = body.get("personalisation", {}).get("body", "")
                self._reply(
                    201,
                    {
                        "id": str(uuid.uuid4()),
                        "reference": body.get("reference"),
                        "content": {"body": text, "from_number": "COUNCIL"},
                        "uri": f"{fake.base_url}/v2/notifications/x",
                        "template": {"id": TEMPLATE_ID, "version": 1, "uri": "x"},
                    },
                )

            def _letter(self, body: dict):
                """Precompiled letter: reference and base64 content (a PDF) required, postage optional."""
                import base64
                import binascii

                for field in ("reference", "content"):
                    if not body.get(field):
                        return self._error(400, "ValidationError", f"{field} is a required property")
                if body.get("postage", "second") not in {
                    "first",
                    "second",
                    "economy",
                    "europe",
                    "rest-of-world",
                }:
                    return self._error(400, "ValidationError", "postage invalid")
                try:
                    pdf = base64.b64decode(body["content"], validate=True)
                except (binascii.Error, ValueError):
                    return self._error(400, "ValidationError", "Cannot decode letter content")
                if not pdf.startswith(b"%PDF"):
                    return self._error(400, "ValidationError", "Letter content is not a valid PDF")
                fake.letters.append(
                    {"reference": body["reference"], "postage": body.get("postage"), "pdf": pdf}
                )
                self._reply(
                    201,
                    {"id": str(uuid.uuid4()), "reference": body["reference"], "postage": body.get("postage")},
                )

        return Handler
