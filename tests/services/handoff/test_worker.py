"""The console's worker: deliveries to her (real twilio and python-telegram-bot clients against loopback fakes),
escalation of requests not claimed in time, and staff notifications with retries."""

from __future__ import annotations

import json

import pytest

from bot.services.handoff.desk import FAILED, HELD, OPTED_OUT, PENDING, SENT, HandoffDesk
from bot.services.handoff.hours import WorkingHours
from bot.services.handoff.worker import HandoffWorker
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import engine_for
from tests.fakes.telegram_api import TOKEN, start_fake_telegram
from tests.fakes.twilio_api import start_fake_twilio
from tests.fakes.webhook_receiver import start_fake_webhook_receiver

SECRET = "w" * 20


@pytest.fixture(scope="module")
def fakes():
    twilio, telegram, hooks = start_fake_twilio(), start_fake_telegram(), start_fake_webhook_receiver()
    yield twilio, telegram, hooks
    twilio.stop()
    telegram.stop()
    hooks.stop()


@pytest.fixture
def world(tmp_path, fakes, clock):
    twilio, telegram, hooks = fakes
    hooks.received.clear()
    settings = Settings.from_env({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'doula.db'}", "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "TWILIO_AUTH_TOKEN": "t", "TWILIO_SMS_NUMBER": "+447700900001", "TWILIO_WHATSAPP_NUMBER": "+14155238886",
        "TWILIO_API_URL": twilio.url, "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": "s" * 16,
        "TELEGRAM_API_URL": telegram.url, "DOULA_NOTIFY_WEBHOOK": hooks.url, "DOULA_ESCALATE_WEBHOOK": hooks.url,
        "DOULA_WEBHOOK_SECRET": SECRET, "DOULA_CONSOLE_URL": "https://console.example.nhs.uk"})
    desk = HandoffDesk(engine_for(settings.database_url), settings.contact_key,
                       WorkingHours.parse("Mon-Fri 09:00-17:00"), 30, clock=clock)
    contacts = ContactBook(engine_for(settings.database_url), settings.contact_key)
    return settings, desk, contacts, HandoffWorker(settings, desk)


def claimed_with_reply(desk, sender, channel, text="Hello from the ward"):
    request, _ = desk.open(sender, channel, "en", "asked_for_person")
    desk.claim(request.id, 1)
    desk.reply(request.id, 1, text)
    return request


async def test_sms_replies_are_delivered_by_twilio(world, fakes):
    settings, desk, contacts, worker = world
    contacts.remember("sms-1", "sms", "+447700900555")
    request = claimed_with_reply(desk, "sms-1", "sms")
    await worker.run_once()
    sent = fakes[0].to("+447700900555")
    assert any("Maternity team: Hello from the ward" in text for text in sent)
    assert {m.delivery for m in desk.messages(request.id)} == {SENT}


async def test_telegram_replies_are_delivered_to_her_chat(world, fakes):
    settings, desk, contacts, worker = world
    contacts.remember("tg-1", "telegram", "424242")
    request = claimed_with_reply(desk, "tg-1", "telegram", "Salaan")
    await worker.run_once()
    assert "Maternity team: Salaan" in fakes[1].wait_for_text(424242, "Salaan")
    assert {m.delivery for m in desk.messages(request.id)} == {SENT}


async def test_an_opted_out_woman_gets_nothing_and_staff_see_why(world, fakes):
    settings, desk, contacts, worker = world
    contacts.remember("sms-2", "sms", "+447700900556")
    contacts.set_opted_out("sms-2", True)
    request = claimed_with_reply(desk, "sms-2", "sms")
    await worker.run_once()
    assert fakes[0].to("+447700900556") == []
    assert {m.delivery for m in desk.messages(request.id)} == {OPTED_OUT}


async def test_whatsapp_outside_24_hours_without_a_template_is_held(world, fakes):
    settings, desk, contacts, worker = world
    contacts.remember("wa-1", "whatsapp", "whatsapp:+447700900557")
    with engine_for(settings.database_url).begin() as connection:
        connection.exec_driver_sql("UPDATE contacts SET last_inbound_at = '2020-01-01 00:00:00' WHERE sender_id='wa-1'")
    request = claimed_with_reply(desk, "wa-1", "whatsapp")
    await worker.run_once()
    assert {m.delivery for m in desk.messages(request.id)} == {HELD}


async def test_unknown_contacts_fail_after_retries(world):
    settings, desk, contacts, worker = world
    request = claimed_with_reply(desk, "nobody", "sms")
    await worker.run_once()
    assert {m.delivery for m in desk.messages(request.id)} == {PENDING}  # tried again on the next passes
    await worker.run_once()
    await worker.run_once()
    assert {m.delivery for m in desk.messages(request.id)} == {FAILED}


async def test_web_chat_messages_wait_to_be_pulled(world):
    settings, desk, contacts, worker = world
    request = claimed_with_reply(desk, "web-1", "webchat")
    await worker.run_once()
    assert {m.delivery for m in desk.messages(request.id)} == {PENDING}


async def test_staff_are_notified_and_escalation_follows_when_nobody_claims(world, fakes, clock):
    settings, desk, contacts, worker = world
    hooks = fakes[2]
    request, _ = desk.open("sms-3", "sms", "so", "asked_for_person")
    await worker.run_once()
    (first,) = [json.loads(p.body) for p in hooks.received]
    assert first["kind"] == "new_request" and first["language_name"] == "Somali"
    assert first["console_url"].startswith("https://console.example.nhs.uk") and str(request.id) in first["console_url"]
    assert "sms-3" not in json.dumps(first)  # never her id
    clock.advance(minutes=31)
    await worker.run_once()
    await worker.run_once()
    kinds = [json.loads(p.body)["kind"] for p in hooks.received]
    assert kinds == ["new_request", "escalation"]


async def test_a_failed_notification_is_retried_later(world, fakes, clock):
    settings, desk, contacts, worker = world
    hooks = fakes[2]
    hooks.script[:] = [503]
    desk.open("sms-4", "sms", "pl", "asked_for_person")
    await worker.run_once()
    assert desk.failed_notifications() == 1 and len(hooks.received) == 1
    await worker.run_once()
    assert len(hooks.received) == 1  # not before its delay
    clock.advance(seconds=31)
    await worker.run_once()
    assert len(hooks.received) == 2 and desk.failed_notifications() == 0
