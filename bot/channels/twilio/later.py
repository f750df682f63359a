"""Messages that are not a reply: a midwife's answer after a handoff, a reminder. They may come hours later.

WhatsApp allows free text only within 24 hours of her last message; after that only an approved template may be sent
(`TWILIO_WHATSAPP_TEMPLATE_SID`, its variable {{1}} carrying the message). Without a template the message is held,
and the caller (the staff console) is told, so a person can reach her another way. SMS has no such window.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from enum import Enum

from bot.channels.twilio.formatting import sms_parts, whatsapp_parts
from bot.channels.twilio.sender import TwilioSender
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import engine_for

WHATSAPP_WINDOW = timedelta(hours=24)
WHATSAPP_MAX_CHARS = 1600


class Outcome(str, Enum):
    SENT = "sent"
    SENT_AS_TEMPLATE = "sent_as_template"
    HELD = "held"  # outside WhatsApp's window and no template configured: not delivered
    OPTED_OUT = "opted_out"
    UNKNOWN = "unknown"  # no such contact on Twilio
    FAILED = "failed"


async def send_later(settings: Settings, sender_id: str, text: str, now: datetime | None = None) -> Outcome:
    contact = ContactBook(engine_for(settings.database_url), settings.contact_key).lookup(sender_id)
    if contact is None or contact.channel not in ("sms", "whatsapp"):
        return Outcome.UNKNOWN
    if contact.opted_out:
        return Outcome.OPTED_OUT
    sender = TwilioSender(settings.twilio_account_sid, settings.twilio_auth_token, api_url=settings.twilio_api_url,
                          status_callback=f"{settings.public_base_url}/webhooks/twilio/status")
    if contact.channel == "sms":
        results = await sender.send_all(settings.twilio_sms_number, contact.address,
                                        sms_parts(text, settings.sms_max_segments))
        return Outcome.SENT if results and all(r.ok for r in results) else Outcome.FAILED
    own = "whatsapp:" + settings.twilio_whatsapp_number
    now = now or datetime.now(timezone.utc)
    if contact.last_inbound_at and now - contact.last_inbound_at < WHATSAPP_WINDOW:
        results = await sender.send_all(own, contact.address, whatsapp_parts(text, WHATSAPP_MAX_CHARS))
        return Outcome.SENT if results and all(r.ok for r in results) else Outcome.FAILED
    if not settings.twilio_whatsapp_template_sid:
        return Outcome.HELD
    result = await sender.send_template(own, contact.address, settings.twilio_whatsapp_template_sid,
                                        json.dumps({"1": text[:1024]}))
    return Outcome.SENT_AS_TEMPLATE if result.ok else Outcome.FAILED
