"""The gate in front of the phone-transcript API (``/triage/api/phone/``): a key, checked in constant
time, and a rate limit. The conversation itself is triage's (``triage.views.phone``).

A telephony platform sends ``Authorization: Bearer <key>`` with an API key that has the
``triage:phone`` scope (``hub open311 create-key "Telephony" --scope triage:phone``), or the older
single ``TRIAGE_API_TOKEN``. Without either the API answers 401, except in a development set-up with
``TRIAGE_PHONE_API_OPEN`` and no token configured (open is refused in production)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from residenthub.core import ratelimit
from residenthub.core.audit import client_ip
from residenthub.triage import views as triage_views

from . import keys
from .models import Scope


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _caller_identity(request) -> str | None:
    """The key's identity for the rate limit, or None when the request may not use the API."""
    header = request.headers.get("Authorization", "")
    raw = header[7:].strip() if header.startswith("Bearer ") else ""
    if raw:
        key = keys.authenticate(raw)
        if key is not None and Scope.TRIAGE_PHONE in key.scopes:
            return f"key:{key.pk}"
        token = settings.TRIAGE_API_TOKEN
        if token and hmac.compare_digest(raw.encode(), token.encode()):
            return "token"
        return None
    if settings.TRIAGE_PHONE_API_OPEN and not settings.TRIAGE_API_TOKEN:
        return f"ip:{client_ip(request) or '-'}"
    return None


@csrf_exempt
def phone(request):
    if request.method == "POST":
        identity = _caller_identity(request)
        if identity is None:
            return _error(
                401,
                "unauthorised",
                "Send an API key with the triage:phone scope as 'Authorization: Bearer <key>'.",
            )
        if not ratelimit.hit("triage-phone", identity, limit=settings.TRIAGE_PHONE_RATE_LIMIT_PER_HOUR):
            return _error(429, "rate_limited", "Too many calls from this client; try again later.")
    return triage_views.phone(request)
