"""Rasa input channel for Twilio SMS and WhatsApp.

POST /webhooks/twilio/webhook   her message (form-encoded, signed by Twilio)
POST /webhooks/twilio/status    delivery status callbacks (failures are recorded, never the text)

What happens to a message, in order: the signature is checked (403 if bad or missing, logged without the text); a
MessageSid seen before is acknowledged and dropped (Twilio retries); her number becomes a pseudonymous sender id and
is stored only encrypted; an opted-out number gets nothing; a photo, voice note or location without text reaches Rasa
as an empty message (the bot says it reads only text); otherwise the text, cleaned by the gateway, goes to Rasa. The
webhook answers Twilio at once with empty TwiML; the replies go out through the REST API in the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rate_limit import Throttle, slow_down_text
from bot.channels.twilio import opt_out
from bot.channels.twilio.formatting import sms_parts, whatsapp_parts, whatsapp_text
from bot.channels.twilio.sender import TwilioSender
from bot.channels.twilio.signature import is_valid, public_url
from bot.gateway.degraded import converse, prepare
from bot.gateway.identity import pseudonymous_id
from bot.gateway.inbound import clean
from bot.gateway.prepare import Gateway
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import delivery_failures, engine_for
from bot.storage.handled import first_time

logger = logging.getLogger(__name__)
# The twilio library logs every request at INFO, with the recipient's number: never let that reach the logs.
logging.getLogger("twilio").setLevel(logging.WARNING)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
WHATSAPP_PREFIX = "whatsapp:"
WHATSAPP_MAX_CHARS = 1600
FAILED_STATUSES = frozenset({"failed", "undelivered"})
MAX_BODY_BYTES = 64 * 1024  # a Twilio webhook is a few kilobytes; anything far larger is not from Twilio


def _form(request: Request) -> dict[str, str]:
    """The form parameters, blank ones included: Twilio signs them all (an empty Body, with a photo)."""
    body = (request.body or b"").decode("utf-8", errors="replace")
    return {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}


def _twiml() -> HTTPResponse:
    return response.text(EMPTY_TWIML, content_type="text/xml")


class TwilioInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._tasks: set[asyncio.Task] = set()  # replies being sent (kept so they are not garbage-collected)
        self.throttle = Throttle.from_settings(self.name(), self.settings)

    # -- helpers -----------------------------------------------------------------------------------------------------
    @cached_property
    def gateway(self) -> Gateway:
        return Gateway(self.settings)

    @property
    def configured(self) -> bool:
        return bool(self.settings.twilio_account_sid and self.settings.twilio_auth_token)

    def _engine(self):
        return engine_for(self.settings.database_url)

    def _contacts(self) -> ContactBook:
        return ContactBook(self._engine(), self.settings.contact_key)

    def _signed(self, request: Request, params: dict[str, str]) -> bool:
        url = public_url(self.settings.public_base_url, request.path, request.query_string)
        return is_valid(self.settings.twilio_auth_token, url, params, request.headers.get("X-Twilio-Signature"))

    def _record_failure(self, message_sid: str, state: str, error_code: str | None, to: str | None) -> None:
        sender_id = None
        if to:  # whose message failed (pseudonymous), so that erasing her data erases this row too
            kind = "whatsapp" if to.startswith(WHATSAPP_PREFIX) else "sms"
            sender_id = pseudonymous_id(kind, to, self.settings.sender_key)
        with self._engine().begin() as connection:
            connection.execute(delivery_failures.insert().values(
                channel=self.name(), message_id=message_sid, status=state, error_code=error_code, sender_id=sender_id))

    def _sender(self) -> TwilioSender:
        base = self.settings.public_base_url.rstrip("/")
        return TwilioSender(self.settings.twilio_account_sid, self.settings.twilio_auth_token,
                            api_url=self.settings.twilio_api_url, status_callback=f"{base}/webhooks/twilio/status")

    def _bodies(self, kind: str, texts: list[str]) -> list[str]:
        if kind == "whatsapp":
            return [part for text in texts for part in whatsapp_parts(whatsapp_text(text), WHATSAPP_MAX_CHARS)]
        # SMS: everything in one conversation turn, split into as few messages as the segment limit allows.
        return sms_parts("\n\n".join(texts), self.settings.sms_max_segments)

    async def _reply(self, kind: str, sender_id: str, to: str, texts: list[str]) -> None:
        if not texts or await asyncio.to_thread(self._contacts().opted_out, sender_id):
            return
        own_number = (WHATSAPP_PREFIX + self.settings.twilio_whatsapp_number if kind == "whatsapp"
                      else self.settings.twilio_sms_number)
        results = await self._sender().send_all(own_number, to, self._bodies(kind, texts))
        logger.info("twilio %s reply: %d part(s) sent, %d failed", kind, sum(r.ok for r in results),
                    sum(not r.ok for r in results))

    async def _converse(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], text: str, sender_id: str,
                        kind: str, metadata: dict, agent: Any = None) -> list[str]:
        """Her message through Rasa; the texts of the bot's replies (menus are numbered in the text already), or the
        degraded reply when the bot cannot answer (bot.gateway.degraded)."""
        collector = CollectingOutputChannel()
        outcome = await converse(on_new_message, UserMessage(text, collector, sender_id, input_channel=kind,
                                                             metadata=metadata or None), self.settings, agent)
        return [m["text"] for m in outcome.messages if m.get("text")]

    def _in_background(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- routes ------------------------------------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio = Blueprint("twilio", __name__)

        @twilio.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @twilio.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.json({"error": "twilio_not_configured"}, status=503)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "too_large"}, status=413)
            params = _form(request)
            if not self._signed(request, params):
                logger.warning("twilio webhook rejected: missing or invalid signature")
                return response.json({"error": "invalid_signature"}, status=403)
            message_sid, address = params.get("MessageSid") or params.get("SmsSid"), params.get("From")
            if not message_sid or not address:
                return response.json({"error": "missing_fields"}, status=400)
            # Database calls run in a worker thread: a slow database must not stall every other conversation.
            kind = "whatsapp" if address.startswith(WHATSAPP_PREFIX) else "sms"
            sender_id = pseudonymous_id(kind, address, self.settings.sender_key)
            if not await asyncio.to_thread(first_time, self._engine(), self.name(), message_sid, sender_id):
                logger.info("twilio retry of an already handled message ignored")
                return _twiml()

            contacts = self._contacts()
            opted_out = await asyncio.to_thread(contacts.remember, sender_id, kind, address)
            body = params.get("Body") or ""

            keyword = opt_out.keyword(body)
            if keyword == opt_out.STOP:
                logger.info("twilio %s sender opted out", kind)
                if kind == "whatsapp":  # on SMS Twilio confirms STOP itself and blocks any further message
                    texts = await self._converse(on_new_message, body, sender_id, kind, {})
                    await self._reply(kind, sender_id, address, texts)
                await asyncio.to_thread(contacts.set_opted_out, sender_id, True)
                return _twiml()
            if keyword == opt_out.START:
                await asyncio.to_thread(contacts.set_opted_out, sender_id, False)
            elif opted_out and not self.gateway.privacy.asks_erasure(body):
                return _twiml()  # silenced, except for "DELETE": a request to erase her data is honoured even then

            verdict = self.throttle.admit(sender_id, body)
            if not verdict.allowed:  # Twilio must get 200 (or it retries): she is told once per period instead
                if verdict.tell_her:
                    self._in_background(self._reply(kind, sender_id, address,
                                                    [slow_down_text(body, self.settings.triage_phone)]))
                return _twiml()

            # NumMedia is a count from Twilio; anything else is no media, never a 500 (found by tests/fuzz).
            num_media = (params.get("NumMedia") or "0").strip()
            has_media = (num_media.isdecimal() and int(num_media) > 0) or "Latitude" in params
            inbound = clean(body, self.settings.max_message_chars)
            metadata = {k: v for k, v in (("truncated", inbound.truncated), ("media", has_media)) if v}
            text, metadata = await prepare(self.gateway, sender_id, inbound.text, metadata)
            texts = await self._converse(on_new_message, text, sender_id, kind, metadata,
                                         getattr(request.app.ctx, "agent", None))
            self._in_background(self._reply(kind, sender_id, address, texts))
            return _twiml()

        @twilio.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            params = _form(request)
            if not self.configured or not self._signed(request, params):
                return response.json({"error": "invalid_signature"}, status=403)
            state = (params.get("MessageStatus") or "").lower()
            if state in FAILED_STATUSES and params.get("MessageSid"):
                await asyncio.to_thread(self._record_failure, params["MessageSid"], state, params.get("ErrorCode"),
                                        params.get("To"))
                logger.warning("twilio delivery %s (error %s)", state, params.get("ErrorCode"))
            return response.empty()

        return twilio

