"""Rate limiting (bot/channels/rate_limit.py): per sender on every channel, per client address on web chat and REST;
a red flag is never held back; nothing is lost silently (429 + Retry-After, or one message to her per period)."""

from __future__ import annotations

import asyncio
import secrets
import time

import pytest
from twilio.request_validator import RequestValidator

from bot.channels.rate_limit import Rate, RateLimiter, Throttle, load_security_texts, slow_down_text
from bot.channels.rest import RestInput
from bot.channels.telegram.input import TelegramInput
from bot.channels.twilio.input import TwilioInput
from bot.channels.webchat import WebChatInput
from bot.content.catalog import load_catalog
from tests.fakes.telegram_api import start_fake_telegram
from tests.fakes.twilio_api import start_fake_twilio
from tests.security.conftest import (
    PUBLIC_BASE_URL,
    TELEGRAM_SECRET,
    TWILIO_SMS_NUMBER,
    TWILIO_TOKEN,
    channel_settings,
    serve,
)

RED_FLAG = "I am bleeding heavily"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- the limiter ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, rate", [("30/60s", Rate(30, 60)), ("30/60", Rate(30, 60)), ("5 10", Rate(5, 10)),
                                        ("off", None), ("0", None)])
def test_rates_are_parsed(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["fast", "30/0s", "-1/60", "30/"])
def test_malformed_rates_are_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


def test_a_burst_is_admitted_then_refused_until_the_bucket_refills():
    clock = Clock()
    limiter = RateLimiter(Rate(3, 60), clock)
    assert [limiter.hit("a").allowed for _ in range(4)] == [True, True, True, False]
    refused = limiter.hit("a")
    assert not refused.allowed and 1 <= refused.retry_after <= 20
    assert limiter.hit("b").allowed, "another sender has a bucket of her own"
    clock.now += 20  # 3 per 60 s: one message back every 20 s
    assert limiter.hit("a").allowed and not limiter.hit("a").allowed


def test_she_is_told_once_per_period():
    clock = Clock()
    limiter = RateLimiter(Rate(1, 60), clock)
    limiter.hit("a")
    firsts = [limiter.hit("a").first_refusal for _ in range(5)]
    assert firsts == [True, False, False, False, False]
    clock.now += 61
    limiter.hit("a")  # refilled: admitted
    assert limiter.hit("a").first_refusal


def test_memory_is_bounded():
    limiter = RateLimiter(Rate(1, 60), Clock(), max_keys=100)
    for n in range(1000):
        limiter.hit(f"sender-{n}")
    assert len(limiter) == 100


def test_a_red_flag_is_never_throttled():
    throttle = Throttle("test", Rate(1, 3600))
    assert throttle.admit("a", "hello").allowed
    assert not throttle.admit("a", "hello again").allowed
    for text in (RED_FLAG, "krwawię bardzo mocno", "baby not moving today"):
        assert throttle.admit("a", text).allowed, text


def test_the_slow_down_message_exists_in_every_language_and_gives_urgent_numbers():
    texts = load_security_texts()
    assert set(texts.messages) == set(load_catalog().languages)
    for code, catalog in texts.messages.items():
        assert catalog.messages["rate_limited"].strip(), code
        assert catalog.translation_status in ("original", "machine-drafted", "reviewed"), code
    assert "999" in slow_down_text("hello there, how are you today?", "")
    assert "01632 960 000" in slow_down_text("hello there, how are you today?", "01632 960 000")
    assert slow_down_text("dzień dobry, mam pytanie o poród w domu", "").startswith("Wiadomość automatyczna")


async def wait_until(check, timeout: float = 20.0) -> None:
    """Wait without blocking the event loop: the replies are sent by tasks of this very loop."""
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


# -- the channels --------------------------------------------------------------------------------------------------
async def test_rest_answers_429_with_retry_after(tmp_path, rasa):
    channel = RestInput(channel_settings(tmp_path, DOULA_RATE_LIMIT="2/60s"))
    async with serve(channel, rasa=rasa) as client:
        replies = [await client.post("/webhooks/rest/webhook", json={"sender": "rest-a", "message": f"hi {n}"})
                   for n in range(3)]
        assert [r.status_code for r in replies] == [200, 200, 429]
        body = replies[2].json()
        assert (body["error"], body["retry_after"]) == ("rate_limited", int(replies[2].headers["Retry-After"]))
        assert "999" in body["messages"][0]["text"], "she is told what to do if it is urgent"
        assert 1 <= int(replies[2].headers["Retry-After"]) <= 30
        urgent = await client.post("/webhooks/rest/webhook", json={"sender": "rest-a", "message": RED_FLAG})
        assert urgent.status_code == 200, "a red flag goes through whatever the rate"
        other = await client.post("/webhooks/rest/webhook", json={"sender": "rest-b", "message": "hi"})
        assert other.status_code == 200
    assert rasa.texts == ["hi 0", "hi 1", RED_FLAG, "hi"]


async def test_webchat_limits_a_client_that_changes_its_sender_id(tmp_path, rasa):
    channel = WebChatInput(channel_settings(tmp_path, DOULA_RATE_LIMIT_IP="3/60s"))
    async with serve(channel, rasa=rasa) as client:
        statuses = [(await client.post("/webhooks/webchat/webhook",
                                       json={"sender": secrets.token_hex(8), "message": "hello"})).status_code
                    for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        last = await client.post("/webhooks/webchat/webhook", json={"sender": secrets.token_hex(8), "message": "hi"})
        assert last.status_code == 429 and last.json()["messages"][0]["text"], "the page has something to show her"
    assert len(rasa.received) == 3


def _twilio_form(number: str, body: str) -> tuple[dict[str, str], dict[str, str]]:
    params = {"MessageSid": "SM" + secrets.token_hex(16), "From": number, "To": TWILIO_SMS_NUMBER, "Body": body,
              "NumMedia": "0"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE_URL + "/webhooks/twilio/webhook", params)
    return params, {"X-Twilio-Signature": signature}


async def test_sms_over_the_limit_gets_200_and_one_message_saying_to_slow_down(tmp_path, rasa):
    fake = start_fake_twilio()
    try:
        channel = TwilioInput(channel_settings(tmp_path, DOULA_RATE_LIMIT="2/60s", TWILIO_API_URL=fake.url))
        number = "+447700900777"
        async with serve(channel, rasa=rasa) as client:
            for n in range(5):
                params, headers = _twilio_form(number, f"question number {n} about my birth plan")
                reply = await client.post("/webhooks/twilio/webhook", data=params, headers=headers)
                assert reply.status_code == 200, "Twilio must get 200, or it retries and the flood grows"
            params, headers = _twilio_form(number, RED_FLAG)
            assert (await client.post("/webhooks/twilio/webhook", data=params, headers=headers)).status_code == 200
            await wait_until(lambda: "echo: " + RED_FLAG in "\n".join(fake.to(number)))
            said = "\n".join(fake.to(number))
        assert rasa.texts == ["question number 0 about my birth plan", "question number 1 about my birth plan",
                              RED_FLAG]
        assert said.count("sending messages very fast") == 1, "told once per period, not once per message"
        assert "999" in said
    finally:
        fake.stop()


async def test_telegram_over_the_limit_gets_200_and_one_message_saying_to_slow_down(tmp_path, rasa):
    fake = start_fake_telegram()
    try:
        channel = TelegramInput(channel_settings(tmp_path, DOULA_RATE_LIMIT="1/60s", TELEGRAM_API_URL=fake.url))
        chat_id = 700_000_000 + secrets.randbelow(1000)
        headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
        async with serve(channel, rasa=rasa) as client:
            for n in range(4):
                update = {"update_id": secrets.randbelow(10**9), "message": {
                    "message_id": n + 1, "date": 1700000000, "chat": {"id": chat_id, "type": "private"},
                    "from": {"id": chat_id, "is_bot": False, "first_name": "T"}, "text": f"hello number {n}"}}
                reply = await client.post("/webhooks/telegram/webhook", json=update, headers=headers)
                assert reply.status_code == 200
            await wait_until(lambda: "sending messages very fast" in fake.wait_for_text(chat_id, "", 0))
            said = fake.wait_for_text(chat_id, "", 0)
        assert rasa.texts == ["hello number 0"]
        assert said.count("sending messages very fast") == 1
    finally:
        fake.stop()
