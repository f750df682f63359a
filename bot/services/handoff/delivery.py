"""Delivery of staff messages (and "someone joined" / "back to the bot" notices) to her, on the channel she used.

* SMS and WhatsApp go through Twilio (:func:`bot.channels.twilio.later.send_later`, which keeps WhatsApp's 24-hour
  rule: a template outside it, or the message is *held* and the console shows it).
* Telegram goes through the Bot API to the chat she wrote from.
* The web chat and the REST channel cannot be pushed to: their messages stay queued until her page or client pulls
  them (bot.gateway.handoff), so they are never sent from here.

Addresses are decrypted only here, for the moment of sending; nothing is logged but the outcome.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import Forbidden, TelegramError

from bot.channels.telegram.input import make_bot
from bot.channels.twilio.later import Outcome, send_later
from bot.services.handoff.desk import FAILED, HELD, OPTED_OUT, SENT, HandoffDesk, Message, Request
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import engine_for

logger = logging.getLogger(__name__)

PUSH_CHANNELS = ("sms", "whatsapp", "telegram")
PULL_CHANNELS = ("webchat", "rest")

_TWILIO_STATES = {
    Outcome.SENT: SENT,
    Outcome.SENT_AS_TEMPLATE: SENT,
    Outcome.HELD: HELD,
    Outcome.OPTED_OUT: OPTED_OUT,
    Outcome.UNKNOWN: FAILED,
    Outcome.FAILED: FAILED,
}


class Deliverer:
    def __init__(self, settings: Settings, desk: HandoffDesk) -> None:
        self.settings = settings
        self.desk = desk

    async def deliver_pending(self) -> int:
        """Send every queued message on a push channel; returns how many were attempted."""
        pending = await asyncio.to_thread(self.desk.pending_deliveries, PUSH_CHANNELS)
        for request, message in pending:
            state = await self.send(request, message)
            await asyncio.to_thread(self.desk.mark_delivery, message.id, state)
            logger.info("handoff message %s to request %s: %s", message.id, request.id, state)
        return len(pending)

    async def send(self, request: Request, message: Message) -> str:
        """Send one message; returns its delivery state (sent, held, opted_out or failed)."""
        if request.channel in ("sms", "whatsapp"):
            if not (self.settings.twilio_account_sid and self.settings.twilio_auth_token):
                return FAILED
            outcome = await send_later(self.settings, request.sender_id, message.text)
            return _TWILIO_STATES[outcome]
        if request.channel == "telegram":
            return await self._telegram(request, message.text)
        return FAILED  # a channel we cannot reach her on (e.g. the terminal chat)

    async def _telegram(self, request: Request, text: str) -> str:
        if not self.settings.telegram_token:
            return FAILED
        contacts = ContactBook(engine_for(self.settings.database_url), self.settings.contact_key)
        contact = await asyncio.to_thread(contacts.lookup, request.sender_id)
        if contact is None or contact.channel != "telegram":
            return FAILED
        try:
            async with make_bot(self.settings) as bot:
                await bot.send_message(chat_id=int(contact.address), text=text)
        except Forbidden:
            return OPTED_OUT  # she blocked the bot
        except (TelegramError, ValueError):
            return FAILED
        return SENT
