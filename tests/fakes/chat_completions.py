"""A local HTTP server speaking the OpenAI-compatible chat completions protocol (POST /v1/chat/completions).

It checks what a real server checks (bearer key when one is set, JSON with ``model`` and a
``messages`` list of role/content objects) and answers in the documented shape:
``{"id", "object": "chat.completion", "choices": [{"index", "message": {"role", "content"},
"finish_reason"}], "usage"}``, or 4xx/5xx with ``{"error": {"message", "type"}}``.
"""

from __future__ import annotations

import json
import uuid

from .server import JsonHandler, LoopbackServer


class FakeChat(LoopbackServer):
    base_path = "/v1"

    def __init__(self, *, api_key: str = "", reply=None):
        self.api_key = api_key
        self.reply = reply or (
            lambda messages: "Members heard that " + messages[-1]["content"].split("- ", 1)[-1]
        )
        self.received: list[dict] = []
        self.fail_next = 0
        super().__init__()

    def _handler(self):
        fake = self

        class Handler(JsonHandler):
            _send = JsonHandler.send_json

            def do_POST(self):  # noqa: N802
                if self.path != "/v1/chat/completions":
                    return self._send(
                        404, {"error": {"message": "Not found", "type": "invalid_request_error"}}
                    )
                if fake.api_key and self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    return self._send(
                        401, {"error": {"message": "Invalid API key", "type": "invalid_api_key"}}
                    )
                try:
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                    messages = body["messages"]
                    assert isinstance(body["model"], str) and messages
                    assert all({"role", "content"} <= set(m) for m in messages)
                except (ValueError, KeyError, AssertionError, TypeError):
                    return self._send(
                        400, {"error": {"message": "Invalid request", "type": "invalid_request_error"}}
                    )
                fake.received.append(body)
                if fake.fail_next:
                    fake.fail_next -= 1
                    return self._send(503, {"error": {"message": "Overloaded", "type": "server_error"}})
                content = fake.reply(messages)
                return self._send(
                    200,
                    {
                        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
                        "object": "chat.completion",
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

        return Handler
