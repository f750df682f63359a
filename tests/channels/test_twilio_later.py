"""Messages sent later (staff replies, reminders) and WhatsApp's 24-hour rule, through the real twilio client."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.channels.twilio.later import Outcome, send_later
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import engine_for
from tests.fakes.twilio_api import start_fake_twilio


@pytest.fixture()
def fake():
    fake = start_fake_twilio()
    yield fake
    fake.stop()


def settings(fake, tmp_path, **extra) -> Settings:
    return Settings.from_env({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'doula.db'}", "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "TWILIO_AUTH_TOKEN": "t", "TWILIO_SMS_NUMBER": "+447700900001", "TWILIO_WHATSAPP_NUMBER": "+14155238886",
        "TWILIO_API_URL": fake.url, **extra})


def remember(s: Settings, sender_id: str, channel: str, address: str) -> ContactBook:
    book = ContactBook(engine_for(s.database_url), s.contact_key)
    book.remember(sender_id, channel, address)
    return book


async def test_within_the_window_whatsapp_gets_free_text(fake, tmp_path):
    s = settings(fake, tmp_path)
    remember(s, "whatsapp-1", "whatsapp", "whatsapp:+447700900123")
    assert await send_later(s, "whatsapp-1", "Your midwife: please call us.") == Outcome.SENT
    assert fake.to("whatsapp:+447700900123") == ["Your midwife: please call us."]


async def test_after_24_hours_a_template_is_used(fake, tmp_path):
    s = settings(fake, tmp_path, TWILIO_WHATSAPP_TEMPLATE_SID="HX" + "2" * 32)
    remember(s, "whatsapp-2", "whatsapp", "whatsapp:+447700900124")
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    assert await send_later(s, "whatsapp-2", "Please call us.", now=later) == Outcome.SENT_AS_TEMPLATE
    sent = fake.sent[-1]
    assert sent["ContentSid"] == "HX" + "2" * 32 and '"1": "Please call us."' in sent["ContentVariables"]
    assert "Body" not in sent


async def test_after_24_hours_without_a_template_the_message_is_held(fake, tmp_path):
    s = settings(fake, tmp_path)
    remember(s, "whatsapp-3", "whatsapp", "whatsapp:+447700900125")
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    assert await send_later(s, "whatsapp-3", "Please call us.", now=later) == Outcome.HELD
    assert fake.requests == 0


async def test_sms_has_no_window_and_opt_out_is_respected(fake, tmp_path):
    s = settings(fake, tmp_path)
    book = remember(s, "sms-4", "sms", "+447700900126")
    later = datetime.now(timezone.utc) + timedelta(days=3)
    assert await send_later(s, "sms-4", "Reminder.", now=later) == Outcome.SENT
    book.set_opted_out("sms-4", True)
    assert await send_later(s, "sms-4", "Reminder.") == Outcome.OPTED_OUT
    assert await send_later(s, "nobody", "Reminder.") == Outcome.UNKNOWN
    assert fake.to("+447700900126") == ["Reminder."]
