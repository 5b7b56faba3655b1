"""A cloud speech adapter: the OpenAI-compatible ``POST /v1/audio/transcriptions`` API.

That protocol is spoken by OpenAI, Azure OpenAI and self-hosted Whisper servers (speaches,
faster-whisper-server, LocalAI), so a council can point ``SPEECH_CLOUD_URL`` at whichever it
contracts with. We send 16 kHz mono WAV as multipart form data with ``response_format=verbose_json``
and read ``language``, ``duration`` and ``segments`` (start, end, text, avg_logprob, no_speech_prob).
Errors come back as ``{"error": {"message": ...}}``.
"""

from __future__ import annotations

import io
import json
import secrets
import urllib.error
import urllib.request
import wave

import numpy as np

from .audio import pcm16_bytes
from .types import Segment, Transcript

# verbose_json names the language in English words; we keep ISO 639-1 codes everywhere.
LANGUAGE_NAMES = {
    "english": "en", "welsh": "cy", "polish": "pl", "romanian": "ro", "urdu": "ur", "bengali": "bn",
    "punjabi": "pa", "gujarati": "gu", "arabic": "ar", "somali": "so", "turkish": "tr", "portuguese": "pt",
    "spanish": "es", "french": "fr", "italian": "it", "german": "de", "lithuanian": "lt", "chinese": "zh",
    "tamil": "ta", "persian": "fa", "ukrainian": "uk", "russian": "ru", "hindi": "hi", "bulgarian": "bg",
}  # fmt: skip


class CloudError(RuntimeError):
    """The service could not be reached or refused the request (the message says which)."""


def _wav(samples: np.ndarray, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm16_bytes(samples))
    return buffer.getvalue()


def _multipart(fields: list[tuple[str, str]], audio: bytes) -> tuple[bytes, str]:
    boundary = "hub" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="audio.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n".encode()
        + audio
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class CloudWhisper:
    multilingual = True

    def __init__(self, url: str, *, api_key: str, model: str, timeout: int):
        self.url = url.rstrip("/") + "/v1/audio/transcriptions"
        self.name = f"cloud:{model}"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout

    def transcribe(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        vad: bool,
        prompt: str | None,
        fallback: bool = True,
        beam_size: int | None = None,
        window: float | None = None,
        alternatives: int = 0,
        rehear: tuple[str, ...] = (),
    ) -> Transcript:
        """``fallback``, ``beam_size``, ``window``, ``alternatives`` and ``rehear`` are the local
        engine's; a cloud service decodes as it sees fit (one hearing)."""
        if vad and not _has_speech(samples):
            return Transcript([], language or "en", 0.0, len(samples) / 16000, ["no_speech"])
        fields = [("model", self.model), ("response_format", "verbose_json")]
        fields.append(("timestamp_granularities[]", "segment"))
        if language:
            fields.append(("language", language))
        if prompt:
            fields.append(("prompt", prompt))
        body, content_type = _multipart(fields, _wav(samples))
        request = urllib.request.Request(self.url, data=body, method="POST")  # noqa: S310 (https or loopback)
        request.add_header("Content-Type", content_type)
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise CloudError(f"The speech service refused the audio ({exc.code}): {_message(exc)}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CloudError(f"The speech service could not be reached: {exc}") from exc
        except ValueError as exc:
            raise CloudError("The speech service answered with something that is not JSON") from exc
        return _parse(data, language)


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read().decode("utf-8"))["error"]["message"])[:200]
    except (ValueError, KeyError, TypeError):
        return exc.reason or "no reason given"


def _parse(data: dict, language: str | None) -> Transcript:
    if not isinstance(data, dict) or not isinstance(data.get("segments", []), list):
        raise CloudError("The speech service's answer has no segments list")
    named = str(data.get("language") or language or "en").lower()
    code = LANGUAGE_NAMES.get(named, named if len(named) == 2 else "und")
    segments = []
    for item in data.get("segments") or []:
        try:
            segments.append(
                Segment(
                    float(item["start"]),
                    float(item["end"]),
                    str(item["text"]).strip(),
                    float(item.get("avg_logprob", 0.0)),
                    float(item.get("no_speech_prob", 0.0)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CloudError(f"The speech service sent a segment we cannot read: {exc}") from exc
    if not segments and str(data.get("text", "")).strip():
        duration = float(data.get("duration") or 0.0)
        segments = [Segment(0.0, duration, str(data["text"]).strip())]
    # verbose_json gives no language probability: 1.0 when the service named one, else unknown.
    return Transcript(
        segments, code, 1.0 if data.get("language") else 0.0, float(data.get("duration") or 0.0)
    )


def _has_speech(samples: np.ndarray) -> bool:
    """Silero VAD (the ONNX file faster-whisper ships) before paying for a request."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return bool(get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=500)))
