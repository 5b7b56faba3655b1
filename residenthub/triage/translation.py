"""Translation adapter: a LibreTranslate-compatible HTTP API the council runs (or a provider that
speaks the same API), named by ``TRIAGE_TRANSLATE_URL``. Nothing is sent anywhere unless it is set.

Request: ``POST {url}/translate`` with JSON ``{"q", "source", "target": "en", "format": "text",
"api_key"}``; answer: ``{"translatedText": "..."}``. Any failure returns None: the message is then
kept in its own language and sent to a person, never lost.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

log = logging.getLogger(__name__)


def base_url() -> str:
    return settings.TRIAGE_TRANSLATE_URL.rstrip("/")


def configured() -> bool:
    return base_url().startswith(("http://", "https://"))


def translate(text: str, *, source: str, target: str = "en") -> str | None:
    if not configured():
        return None
    body = {"q": text[:5000], "source": source, "target": target, "format": "text"}
    key = settings.TRIAGE_TRANSLATE_API_KEY
    if key:
        body["api_key"] = key
    request = urllib.request.Request(  # noqa: S310 - the URL is the council's own setting, http(s) only
        base_url() + "/translate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    timeout = settings.TRIAGE_TRANSLATE_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = json.loads(response.read(1_000_000).decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        log.warning("translation failed: %s", type(exc).__name__)
        return None
    translated = payload.get("translatedText") if isinstance(payload, dict) else None
    return translated.strip() if isinstance(translated, str) and translated.strip() else None
