"""The REST channel, for integrations and tests: Rasa's contract, through doula's gateway.

POST /webhooks/rest/webhook   {"sender": "<id>", "message": "...", "metadata": {...}} -> [{"recipient_id", "text", ...}]
GET  /webhooks/rest/messages?sender=<id>  -> [{"recipient_id", "text"}]: staff messages waiting since the last call

Unlike Rasa's own REST channel, every message goes through the gateway: control characters are removed, a leading
"/" cannot bypass understanding (and with it the safety checks), long messages are cut without losing red-flag
sentences, and an open handoff keeps the bot paused. The sender id is the integrator's and is used as it is: it must
already be pseudonymous (never a phone number).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.json_message import BadMessage, error, read_message, too_many
from bot.channels.rate_limit import Throttle, client_address, slow_down_text
from bot.gateway.degraded import converse, prepare
from bot.gateway.inbound import clean
from bot.gateway.prepare import Gateway
from bot.gateway.translation import TRANSLATION_METADATA
from bot.policies.handoff import HANDOFF_METADATA
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
_SENDER = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.gateway = Gateway(self.settings)
        self.throttle = Throttle.from_settings(self.name(), self.settings, by_address=True)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("doula_rest", __name__)

        @rest.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                message = read_message(request, MAX_BODY_BYTES, _SENDER)
            except BadMessage as bad:
                return bad.response()
            sender, text, extra = message.sender, message.text, message.payload.get("metadata")
            if extra is not None and not isinstance(extra, dict):
                return error(400, "invalid_metadata")
            inbound = clean(text, self.settings.max_message_chars)
            verdict = self.throttle.admit(sender, inbound.text, client_address(request))
            if not verdict.allowed:
                return too_many(verdict.retry_after, slow_down_text(inbound.text, self.settings.triage_phone))
            # The client's metadata is kept, but whether a person has taken over is the database's to say, and whether
            # the text is a machine translation the gateway's.
            metadata = {k: v for k, v in (extra or {}).items() if k not in (HANDOFF_METADATA, TRANSLATION_METADATA)}
            if inbound.truncated:
                metadata["truncated"] = True
            text, metadata = await prepare(self.gateway, sender, inbound.text, metadata)
            collector = CollectingOutputChannel()
            outcome = await converse(on_new_message, UserMessage(text, collector, sender, input_channel=self.name(),
                                                                 metadata=metadata or None),
                                     self.settings, getattr(request.app.ctx, "agent", None))
            if outcome.failed:  # not processed (a store is down): say so, with what to tell her
                return response.json({"error": "temporarily_unavailable", "messages": outcome.messages}, status=503)
            return response.json(outcome.messages)

        @rest.route("/messages", methods=["GET"])
        async def messages(request: Request) -> HTTPResponse:
            sender = request.args.get("sender")
            if not isinstance(sender, str) or not _SENDER.match(sender):
                return error(400, "invalid_sender")
            return response.json([{"recipient_id": sender, "text": t} for t in await self.gateway.pull(sender)])

        return rest
