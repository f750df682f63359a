"""The channels over HTTP with generated requests: whatever the body, the answer is never a 5xx, and a well-formed
message reaches Rasa with every letter she typed (the channels' real blueprints, gateway and database, served
in-process; Rasa is replaced by an echo, see tests/security/conftest.py)."""

from __future__ import annotations

import asyncio
import json
import threading
import unicodedata
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bot.channels.rest import RestInput
from bot.channels.telegram.input import TelegramInput
from bot.channels.twilio.input import TwilioInput
from bot.channels.webchat import WebChatInput
from tests.fakes.telegram_api import start_fake_telegram
from tests.fakes.twilio_api import start_fake_twilio
from tests.fuzz.conftest import SLOW, fuzz
from tests.fuzz.strategies import JSON_BODY, SENDER, UPDATE
from tests.security.conftest import (
    PUBLIC_BASE_URL,
    TELEGRAM_SECRET,
    TWILIO_SMS_NUMBER,
    TWILIO_TOKEN,
    Rasa,
    channel_settings,
    serve,
)

TWILIO = "/webhooks/twilio/webhook"
# Text as a person types it: letters of the 12 languages' scripts, digits, spaces and punctuation.
TYPED = st.text(st.characters(categories=["L", "M", "N", "P", "Zs"], exclude_characters="/"), min_size=1,
                max_size=200).filter(lambda t: any(c.isalpha() for c in t))


@pytest.fixture(scope="module")
def http(tmp_path_factory) -> Iterator[tuple[httpx.Client, Rasa]]:
    """Every channel in one in-process server, on its own event loop in a thread; limits off (fuzzing is a flood)."""
    twilio, telegram = start_fake_twilio(), start_fake_telegram()
    settings = channel_settings(tmp_path_factory.mktemp("fuzz"), DOULA_RATE_LIMIT="off", DOULA_RATE_LIMIT_IP="off",
                                TWILIO_API_URL=twilio.url, TELEGRAM_API_URL=telegram.url)
    rasa, ready, box = Rasa(), threading.Event(), {}

    def run() -> None:
        loop = asyncio.new_event_loop()

        async def main() -> None:
            box["stop"] = asyncio.Event()
            channels = (TwilioInput(settings), TelegramInput(settings), WebChatInput(settings), RestInput(settings))
            async with serve(*channels, rasa=rasa) as client:
                box["url"], box["loop"] = str(client.base_url), loop
                ready.set()
                await box["stop"].wait()

        loop.run_until_complete(main())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(60), "the in-process server did not start"
    with httpx.Client(base_url=box["url"], timeout=30) as client:
        yield client, rasa
    box["loop"].call_soon_threadsafe(box["stop"].set)
    thread.join(30)
    twilio.stop()
    telegram.stop()


@fuzz(SLOW)
@given(body=JSON_BODY, path=st.sampled_from(["/webhooks/webchat/webhook", "/webhooks/rest/webhook"]))
def test_web_chat_and_rest_never_answer_5xx(http, body: bytes, path: str) -> None:
    client, _ = http
    reply = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code in (200, 400, 413), reply.text


@fuzz(SLOW)
@given(text=TYPED, sender=SENDER)
@example(text="Dzień dobry, czy mogę rodzić w domu?", sender="abcdefgh")
@example(text="نیاز به سزارین دارم؟", sender="abcdefgh")
def test_every_letter_she_types_reaches_rasa(http, text: str, sender: str) -> None:
    client, rasa = http
    reply = client.post("/webhooks/webchat/webhook", json={"sender": sender, "message": text})
    assert reply.status_code == 200
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalpha()]
    assert [c for c in rasa.texts[-1] if c.isalpha()] == letters


@fuzz(SLOW)
@given(update=st.one_of(UPDATE, st.binary(max_size=100).map(lambda b: b.decode("latin-1"))))
@example(update={"update_id": None, "message": False})  # was a 500 (found by this fuzzing)
@example(update={"update_id": 0, "message": {"message_id": 0, "date": 0, "chat": {"id": 0, "type": "private"}},
                 "edited_message": {"message_id": 0, "date": 6.77680361916768e+16, "chat": None}})  # was a 500
def test_telegram_never_answers_5xx(http, update) -> None:
    client, _ = http
    body = json.dumps(update).encode() if isinstance(update, dict) else update.encode("utf-8", "replace")
    reply = client.post("/webhooks/telegram/webhook", content=body,
                        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert reply.status_code in (200, 400), reply.text


@fuzz(SLOW)
@given(params=st.dictionaries(st.sampled_from(["Body", "From", "MessageSid", "NumMedia", "Latitude", "To", "x"]),
                              st.text(max_size=40), max_size=6))
@example(params={"MessageSid": "SM1", "From": "+447700900999", "NumMedia": "many"})
def test_twilio_never_answers_5xx_to_a_signed_request(http, params: dict[str, str]) -> None:
    client, _ = http
    params = {"To": TWILIO_SMS_NUMBER, **params}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE_URL + TWILIO, params)
    reply = client.post(TWILIO, data=params, headers={"X-Twilio-Signature": signature})
    assert reply.status_code in (200, 400), reply.text
