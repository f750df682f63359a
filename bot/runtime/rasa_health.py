"""`GET /webhooks/health/` on the Rasa server: does the worker that answers have a model loaded?

Rasa answers HTTP before its model is loaded, and keeps answering if loading failed, so "the port is open" is not
"the bot can answer". Listed in credentials.yml like a channel; it receives no messages. `doula run`'s `/health`
(bot/runtime/health.py) asks it; with several workers, whichever worker the kernel picks answers (its pid says which).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


class RasaHealthInput(InputChannel):
    """200 `{"model_loaded": true, "worker": <pid>}` when this worker can answer, else 503."""

    @classmethod
    def name(cls) -> str:
        return "health"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("doula_health", __name__)

        @health.route("/", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            loaded = bool(agent is not None and agent.is_ready())
            return response.json({"model_loaded": loaded, "worker": os.getpid()}, status=200 if loaded else 503)

        return health
