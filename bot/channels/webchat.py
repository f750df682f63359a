"""The local web chat: a page anyone can open in a browser to try the bot, and the JSON endpoint it talks to.

GET  /webhooks/webchat/         the page (its text comes from content/ui/<lang>.yml, keys `webchat.*`)
POST /webhooks/webchat/webhook  {"sender": "<random id the page keeps>", "message": "..."} -> [{"text", "buttons"}]
GET  /webhooks/webchat/messages?sender=<id>  -> [{"text"}]: messages from the maternity team since the last call

The page makes up a random id and keeps it in the browser; the server turns it into a pseudonymous sender id, so
even that random id never reaches the tracker.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.json_message import BadMessage, error, read_message, too_many
from bot.channels.rate_limit import Throttle, client_address, slow_down_text
from bot.content.catalog import load_catalog
from bot.content.render import Renderer
from bot.gateway.degraded import converse, prepare
from bot.gateway.identity import pseudonymous_id
from bot.gateway.inbound import clean
from bot.gateway.prepare import Gateway
from bot.settings import Settings

logger = logging.getLogger(__name__)

PAGE = Path(__file__).with_name("webchat.html")
MAX_BODY_BYTES = 16 * 1024
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class WebChatInput(InputChannel):
    """Rasa input channel for the local web chat page."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.gateway = Gateway(self.settings)
        self.throttle = Throttle.from_settings(self.name(), self.settings, by_address=True)

    def page(self, language: str | None) -> str:
        catalog = load_catalog()
        renderer = Renderer(catalog, language or catalog.default_language)
        info = catalog.languages[renderer.language]
        values = {
            "lang": renderer.language,
            "dir": info.direction,
            "title": renderer.text("webchat.title"),
            "intro": renderer.text("webchat.intro"),
            "placeholder": renderer.text("webchat.placeholder"),
            "send": renderer.text("webchat.send"),
            "restart": renderer.text("webchat.restart"),
            "error": renderer.text("webchat.error"),
        }
        page = PAGE.read_text(encoding="utf-8")
        for key, value in values.items():
            page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
        return page

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat", __name__)

        @webchat.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            language = request.args.get("lang")
            if language not in load_catalog().ui:
                language = None
            return response.html(
                self.page(language),
                headers={
                    "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'; "
                    "script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer",
                },
            )

        @webchat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                message = read_message(request, MAX_BODY_BYTES, _SENDER)
            except BadMessage as bad:
                return bad.response()
            sender, text = message.sender, message.text

            inbound = clean(text, self.settings.max_message_chars)
            collector = CollectingOutputChannel()
            sender_id = pseudonymous_id(self.name(), sender, self.settings.sender_key)
            verdict = self.throttle.admit(sender_id, inbound.text, client_address(request))
            if not verdict.allowed:
                return too_many(verdict.retry_after, slow_down_text(inbound.text, self.settings.triage_phone))
            metadata = {"truncated": True} if inbound.truncated else {}
            text, metadata = await prepare(self.gateway, sender_id, inbound.text, metadata)
            message = UserMessage(text, collector, sender_id, input_channel=self.name(),
                                  metadata=metadata or None)
            # Rasa's reply, or a short one in her language (with urgent advice) when the bot cannot answer.
            outcome = await converse(on_new_message, message, self.settings, getattr(request.app.ctx, "agent", None))
            logger.debug("webchat message handled (%d replies)", len(outcome.messages))
            return response.json(
                [{"text": m.get("text", ""), "buttons": m.get("buttons") or []} for m in outcome.messages]
            )

        @webchat.route("/messages", methods=["GET"])
        async def messages(request: Request) -> HTTPResponse:
            sender = request.args.get("sender")
            if not isinstance(sender, str) or not _SENDER.match(sender):
                return error(400, "invalid_sender")
            sender_id = pseudonymous_id(self.name(), sender, self.settings.sender_key)
            return response.json([{"text": text} for text in await self.gateway.pull(sender_id)])

        return webchat
