"""The JSON request both browser-facing channels accept (web chat, REST): `{"sender": "...", "message": "..."}`.

One reader, so both refuse the same malformed input with the same clear error codes: 413 `message_too_large`,
400 `invalid_json`, `invalid_sender` or `invalid_message`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse


@dataclass(frozen=True)
class JsonMessage:
    payload: dict[str, Any]
    sender: str
    text: str | None


class BadMessage(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status, self.code = status, code

    def response(self) -> HTTPResponse:
        return error(self.status, self.code)


def error(status: int, code: str) -> HTTPResponse:
    return response.json({"error": code}, status=status)


def too_many(retry_after: int, text: str | None = None) -> HTTPResponse:
    """429 for a client over the rate limit: it is told when to try again, so nothing is lost silently, and (with
    `text`) what to tell her, in her language, as a bot message the web chat page shows."""
    body: dict = {"error": "rate_limited", "retry_after": retry_after}
    if text:
        body["messages"] = [{"text": text}]
    return response.json(body, status=429, headers={"Retry-After": str(retry_after)})


def read_message(request: Request, max_bytes: int, sender_pattern: re.Pattern[str]) -> JsonMessage:
    """The sender and text of `request`, or :class:`BadMessage` saying what is wrong with it."""
    if len(request.body or b"") > max_bytes:
        raise BadMessage(413, "message_too_large")
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadMessage(400, "invalid_json") from None
    if not isinstance(payload, dict):
        raise BadMessage(400, "invalid_json")
    sender, text = payload.get("sender"), payload.get("message")
    if not isinstance(sender, str) or not sender_pattern.match(sender):
        raise BadMessage(400, "invalid_sender")
    if text is not None and not isinstance(text, str):
        raise BadMessage(400, "invalid_message")
    return JsonMessage(payload, sender, text)
