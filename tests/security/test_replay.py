"""Replay: a Twilio signature has no timestamp, so a captured request stays valid; what stops a replay is that each
MessageSid (and each Telegram update_id) is handled once, in the database, even by another process. A replayed
request gets the normal 200 (so a genuine retry by Twilio stops) and never reaches Rasa again."""

from __future__ import annotations

import secrets

from twilio.request_validator import RequestValidator

from bot.channels.telegram.input import TelegramInput
from bot.channels.twilio.input import TwilioInput
from tests.fakes.telegram_api import start_fake_telegram
from tests.security.conftest import (
    PUBLIC_BASE_URL,
    TELEGRAM_SECRET,
    TWILIO_SMS_NUMBER,
    TWILIO_TOKEN,
    channel_settings,
    serve,
)

PATH = "/webhooks/twilio/webhook"


async def test_a_captured_twilio_request_is_handled_once(tmp_path, rasa) -> None:
    settings = channel_settings(tmp_path)
    params = {"MessageSid": "SM" + secrets.token_hex(16), "From": "+447700900666", "To": TWILIO_SMS_NUMBER,
              "Body": "hello, replay me", "NumMedia": "0"}
    headers = {"X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE_URL + PATH, params)}
    async with serve(TwilioInput(settings), rasa=rasa) as client:
        statuses = [(await client.post(PATH, data=params, headers=headers)).status_code for _ in range(3)]
    # A second process (another Rasa worker, or a restart) shares the database, so it refuses the replay too.
    async with serve(TwilioInput(settings), rasa=rasa) as client:
        statuses.append((await client.post(PATH, data=params, headers=headers)).status_code)
    assert statuses == [200, 200, 200, 200]
    assert rasa.texts == ["hello, replay me"]


async def test_a_replayed_telegram_update_is_handled_once(tmp_path, rasa) -> None:
    update = {"update_id": secrets.randbelow(10**9), "message": {
        "message_id": 7, "date": 1700000000, "chat": {"id": 5151, "type": "private"},
        "from": {"id": 5151, "is_bot": False, "first_name": "T"}, "text": "hello, replay me"}}
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    fake = start_fake_telegram()
    try:
        async with serve(TelegramInput(channel_settings(tmp_path, TELEGRAM_API_URL=fake.url)), rasa=rasa) as client:
            statuses = [(await client.post("/webhooks/telegram/webhook", json=update, headers=headers)).status_code
                        for _ in range(3)]
    finally:
        fake.stop()
    assert statuses == [200, 200, 200]
    assert rasa.texts == ["hello, replay me"]
