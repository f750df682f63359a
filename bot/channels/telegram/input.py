"""Rasa input channel for Telegram, webhook mode.

POST /webhooks/telegram/webhook  an Update (JSON), with the header X-Telegram-Bot-Api-Secret-Token

The secret is compared in constant time (403 otherwise); an update_id seen before is dropped (Telegram retries);
the chat id becomes a pseudonymous sender id and is stored only encrypted; replies go out through
python-telegram-bot, menus as inline keyboards whose buttons send their number.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.channels.rate_limit import Throttle, slow_down_text
from bot.channels.telegram.updates import Incoming, read
from bot.content.catalog import load_catalog
from bot.content.render import Renderer
from bot.gateway.degraded import converse, prepare
from bot.gateway.identity import pseudonymous_id
from bot.gateway.inbound import clean
from bot.gateway.prepare import Gateway
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import engine_for
from bot.storage.handled import first_time

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO, and a Bot API URL contains the bot token.
logging.getLogger("httpx").setLevel(logging.WARNING)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 64 * 1024


def make_bot(settings: Settings) -> Bot:
    return Bot(settings.telegram_token, base_url=f"{settings.telegram_api_url}/bot")


def keyboard(buttons: list[dict]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b["title"], callback_data=str(b["payload"])[:64])]
                                 for b in buttons])


class TelegramInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._bot: Bot | None = None
        self._tasks: set[asyncio.Task] = set()
        self.throttle = Throttle.from_settings(self.name(), self.settings)

    @cached_property
    def gateway(self) -> Gateway:
        return Gateway(self.settings)

    @property
    def configured(self) -> bool:
        return bool(self.settings.telegram_token and self.settings.telegram_webhook_secret)

    async def bot(self) -> Bot:
        if self._bot is None:
            self._bot = make_bot(self.settings)
            await self._bot.initialize()
        return self._bot

    def _authentic(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER) or ""
        return hmac.compare_digest(given.encode(), self.settings.telegram_webhook_secret.encode())

    async def _answer(self, incoming: Incoming, messages: list[dict]) -> None:
        bot = await self.bot()
        try:
            if incoming.callback_query_id:
                await bot.answer_callback_query(incoming.callback_query_id)
            for message in messages:
                if message.get("text"):
                    await bot.send_message(incoming.chat_id, message["text"],
                                           reply_markup=keyboard(message.get("buttons") or []))
        except TelegramError as error:  # logged without the text or the chat id
            logger.warning("telegram reply failed: %s", type(error).__name__)

    def _in_background(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("telegram", __name__)

        @telegram.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @telegram.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.json({"error": "telegram_not_configured"}, status=503)
            if not self._authentic(request):
                logger.warning("telegram webhook rejected: missing or wrong secret token")
                return response.json({"error": "invalid_secret"}, status=403)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "too_large"}, status=413)
            bot = await self.bot()
            try:
                payload = json.loads(request.body or b"")
                if not isinstance(payload, dict):
                    raise ValueError("an update is a JSON object")
                update = Update.de_json(payload, bot)
                incoming = read(update) if update is not None else None
            # python-telegram-bot trusts the Bot API's types: a field of another type or an impossible date raises
            # AttributeError, OverflowError, OSError ... (found by tests/fuzz/test_webhook_parsers.py). Whatever it
            # raises, a malformed update is the sender's error (400), never a 500.
            except Exception:
                return response.json({"error": "invalid_update"}, status=400)
            engine = engine_for(self.settings.database_url)
            # Database calls run in a worker thread: a slow database must not stall every other conversation.
            sender_id = None  # of a private chat: her message ids are erased with her data
            if incoming is not None and not incoming.group:
                sender_id = pseudonymous_id(self.name(), str(incoming.chat_id), self.settings.sender_key)
            if update is None or not await asyncio.to_thread(first_time, engine, self.name(), str(update.update_id),
                                                             sender_id):
                return response.json({"ok": True})
            if incoming is None:
                return response.json({"ok": True})
            if incoming.group:
                if await asyncio.to_thread(first_time, engine, "telegram-group", str(incoming.chat_id)):
                    catalog = load_catalog()
                    text = Renderer(catalog, catalog.default_language).text("telegram.private_only")
                    self._in_background(self._answer(incoming, [{"text": text}]))
                return response.json({"ok": True})
            await asyncio.to_thread(ContactBook(engine, self.settings.contact_key).remember,
                                    sender_id, self.name(), str(incoming.chat_id))
            verdict = self.throttle.admit(sender_id, incoming.text)
            if not verdict.allowed:  # Telegram must get 200 (or it retries): she is told once per period instead
                if verdict.tell_her:
                    text = slow_down_text(incoming.text, self.settings.triage_phone)
                    self._in_background(self._answer(incoming, [{"text": text}]))
                return response.json({"ok": True})
            inbound = clean(incoming.text, self.settings.max_message_chars)
            metadata = {k: v for k, v in (("truncated", inbound.truncated), ("media", incoming.media)) if v}
            text, metadata = await prepare(self.gateway, sender_id, inbound.text, metadata)
            collector = CollectingOutputChannel()
            outcome = await converse(on_new_message, UserMessage(text, collector, sender_id, input_channel=self.name(),
                                                                 metadata=metadata or None),
                                     self.settings, getattr(request.app.ctx, "agent", None))
            self._in_background(self._answer(incoming, outcome.messages))
            return response.json({"ok": True})

        return telegram
