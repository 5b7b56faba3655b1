"""A local HTTP server speaking the OpenAI-compatible audio transcription API.

``POST /v1/audio/transcriptions`` with multipart form data (``file``, ``model``,
``response_format``, optional ``language`` and ``prompt``) and ``Authorization: Bearer <key>``.
It checks what the real service checks (the key, a model, a file it can read as WAV) and answers
in the documented shapes: 200 with ``verbose_json`` (task, language as a word, duration, text,
segments) or 4xx with ``{"error": {"message", "type", "param", "code"}}``.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import wave

from .server import JsonHandler, LoopbackServer

API_KEY = "sk-test-speech-0123456789"


class FakeSpeechCloud(LoopbackServer):
    def __init__(self, text: str = "my bin was not collected", language: str = "english"):
        self.text = text
        self.language = language
        self.received: list[dict] = []
        super().__init__()

    def _handler(self):
        fake = self

        class Handler(JsonHandler):
            _reply = JsonHandler.send_json

            def _error(self, status: int, message: str, kind: str, param=None, code=None) -> None:
                self._reply(
                    status, {"error": {"message": message, "type": kind, "param": param, "code": code}}
                )

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path != "/v1/audio/transcriptions":
                    return self._error(404, "Not found")
                if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                    return self._error(401, "Incorrect API key provided", None, "invalid_api_key")
                header = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
                message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
                if not message.is_multipart():
                    return self._error(400, "Expected multipart/form-data")
                fields, audio = {}, None
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    if name == "file":
                        audio = part.get_payload(decode=True)
                    else:
                        fields[name] = part.get_content().strip()
                if not fields.get("model"):
                    return self._error(400, "you must provide a model parameter", "model")
                if audio is None:
                    return self._error(400, "you must provide a file", "file")
                try:
                    with wave.open(io.BytesIO(audio)) as wav:
                        duration = wav.getnframes() / wav.getframerate()
                except (wave.Error, EOFError):
                    return self._error(400, "Invalid file format.", "file")
                fake.received.append({"fields": fields, "duration": duration, "bytes": len(audio)})
                if fields.get("response_format") != "verbose_json":
                    return self._reply(200, {"text": fake.text})
                half = round(duration / 2, 2)
                words = fake.text.split()
                first, second = " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])
                segment = {"id": 0, "seek": 0, "tokens": [], "temperature": 0.0, "compression_ratio": 1.1}
                self._reply(
                    200,
                    {
                        "task": "transcribe",
                        "language": fake.language,
                        "duration": duration,
                        "text": fake.text,
                        "segments": [
                            {**segment, "start": 0.0, "end": half, "text": " " + first,
                             "avg_logprob": -0.2, "no_speech_prob": 0.01},
                            {**segment, "id": 1, "start": half, "end": duration, "text": " " + second,
                             "avg_logprob": -0.3, "no_speech_prob": 0.02},
                        ],
                    },
                )  # fmt: skip

        return Handler
