"""TwiML-style voice webhooks, so Twilio, Vonage (via its TwiML compatibility) or similar platforms
can drive the same conversation as the SIP agent.

The platform posts ``CallSid``, ``From``, ``CallStatus`` and, after ``<Gather input="speech">``,
``SpeechResult`` and ``Confidence`` (the platform's own recognition), or ``Digits`` when a callback
number is keyed (``<Gather input="dtmf speech">``); after ``<Record>``,
``RecordingUrl`` (we fetch the audio and transcribe it ourselves, ``VOICE_WEBHOOK_SPEECH=local``).
Every request must carry ``X-Twilio-Signature``: base64 HMAC-SHA1, keyed with the account's auth
token, of the full URL followed by each POST parameter's name and value in name order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings

from . import languages

RECORDING_MAX_BYTES = 10 * 1024 * 1024


def signature(url: str, params: dict[str, str], token: str) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def valid_signature(url: str, params: dict[str, str], given: str, token: str) -> bool:
    return bool(token and given) and hmac.compare_digest(signature(url, params, token), given)


def _say(text: str) -> str:
    return f'<Say voice="alice" language="en-GB">{escape(text)}</Say>'


def _says(reply) -> str:
    """The reply's ``<Say>``: first in an interpreter caller's language (the platform's voice for it)."""
    if not reply.first:
        return _say(reply.say)
    language, words = reply.first
    tag = languages.phrases(language).say_language
    return f"<Say language={quoteattr(tag)}>{escape(words)}</Say>{_say(reply.say)}"


HINTS = {
    "speech": "bin, pothole, street light, fly-tipping",
    "yesno": "yes, no",
    "number": "zero, one, two, three, four, five, six, seven, eight, nine, double, oh",
}


def response(reply, *, action_url: str) -> str:
    """The TwiML for one reply of the conversation."""
    parts = []
    if reply.action == "listen":
        if settings.VOICE_WEBHOOK_SPEECH == "local":
            parts.append(_says(reply))
            parts.append(
                f'<Record action={quoteattr(action_url)} method="POST" '
                f'maxLength="{settings.VOICE_MAX_UTTERANCE_SECONDS}" timeout="2" playBeep="false" '
                'trim="trim-silence"/>'
            )
        else:
            hints = HINTS.get(reply.expect, HINTS["speech"])
            # A phone number may be keyed as well as said (ended with #: the platform posts ``Digits``).
            keyed = {
                "number": ' input="dtmf speech" finishOnKey="#"',
                "yesno": ' input="dtmf speech" numDigits="1"',  # 1 for yes, 2 for no
            }.get(reply.expect, ' input="speech"')
            heard_in = languages.phrases(reply.first[0]).say_language if reply.first else "en-GB"
            parts.append(
                f'<Gather{keyed} action={quoteattr(action_url)} method="POST" speechTimeout="auto" '
                f'language="{heard_in}" hints={quoteattr(hints)}>{_says(reply)}</Gather>'
            )
        parts.append(f'<Redirect method="POST">{escape(action_url)}</Redirect>')  # no input: ask again
    elif reply.action == "transfer":
        parts.append(_says(reply))
        parts.append(f"<Dial>{escape(reply.transfer_to)}</Dial>")
    else:
        parts.append(_says(reply))
        parts.append("<Hangup/>")
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(parts) + "</Response>"


class RecordingError(Exception):
    pass


def fetch_recording(url: str) -> bytes:
    """The caller's recording, only from the platform's own hosts (never any URL we are sent)."""
    parsed = urllib.parse.urlparse(url)
    if (
        parsed.scheme not in {"https", "http"}
        or parsed.hostname not in settings.VOICE_WEBHOOK_RECORDING_HOSTS
    ):
        raise RecordingError("recording URL is not on an allowed host")
    if parsed.scheme == "http" and parsed.hostname not in {"127.0.0.1", "localhost"}:
        raise RecordingError("recording URL must use https")
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (host and scheme checked)
            data = answer.read(RECORDING_MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise RecordingError(f"could not fetch the recording: {exc}") from exc
    if len(data) > RECORDING_MAX_BYTES:
        raise RecordingError("recording too large")
    return data
