"""Optional: rewrite an item's extractive summary with the council's own hosted model.

Speaks the OpenAI-compatible chat completions protocol (``POST {MINUTES_LLM_URL}/chat/completions``).
Off unless ``MINUTES_LLM_URL`` is set; any failure keeps the extractive summary, so the offline path
always stands on its own. Only the summary sentences go to the endpoint, never audio.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

SYSTEM = (
    "You rewrite notes from a UK council committee meeting as formal minutes in reported speech "
    '("Members heard that...", "It was noted that..."). Use only facts in the notes. Do not add '
    "names, numbers, decisions or actions that are not in them. Reply with the rewritten paragraph only."
)


class LLMError(Exception):
    pass


def enabled() -> bool:
    return bool(settings.MINUTES_LLM_URL)


def rewrite(title: str, sentences: list[str]) -> str:
    """The rewritten summary, or raise LLMError (callers keep the extractive text)."""
    if not enabled():
        raise LLMError("no endpoint configured")
    body = {
        "model": settings.MINUTES_LLM_MODEL or "default",
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM},
            {
                "role": "user",
                "content": f"Agenda item: {title}\nNotes:\n" + "\n".join(f"- {s}" for s in sentences),
            },
        ],
    }
    headers = {"Content-Type": "application/json"}
    if settings.MINUTES_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.MINUTES_LLM_API_KEY}"
    request = urllib.request.Request(  # noqa: S310 - the council's own configured endpoint
        f"{settings.MINUTES_LLM_URL}/chat/completions", data=json.dumps(body).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.MINUTES_LLM_TIMEOUT_SECONDS) as response:  # noqa: S310
            payload = json.loads(response.read().decode("utf-8"))
        text = payload["choices"][0]["message"]["content"].strip()
    except (urllib.error.URLError, TimeoutError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise LLMError(f"the summary model did not answer usefully: {type(exc).__name__}") from exc
    if not text:
        raise LLMError("the summary model answered with nothing")
    return text


def rewrite_or_keep(title: str, sentences: list[str]) -> tuple[str, bool]:
    """(text, rewritten?): the model's paragraph, or the extractive sentences joined."""
    if not enabled() or not sentences:
        return " ".join(sentences), False
    try:
        return rewrite(title, sentences), True
    except LLMError as exc:
        logger.warning("minutes summary rewrite skipped: %s", exc)
        return " ".join(sentences), False
