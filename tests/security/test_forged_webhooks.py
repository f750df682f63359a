"""Forged webhooks: a Twilio request must carry Twilio's signature of exactly this public URL and these parameters; a
Telegram update must carry the secret token. Anything else is refused with 403, reaches neither Rasa nor the
database, and is logged without the text."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

import pytest
from twilio.request_validator import RequestValidator

from bot.channels.telegram.input import TelegramInput
from bot.channels.twilio.input import TwilioInput
from tests.security.conftest import (
    PUBLIC_BASE_URL,
    TELEGRAM_SECRET,
    TWILIO_SMS_NUMBER,
    TWILIO_TOKEN,
    channel_settings,
    serve,
)

PATH = "/webhooks/twilio/webhook"
SECRET_WORDS = "forged secret words 9d2c"


def _params(**extra: str) -> dict[str, str]:
    return {"MessageSid": "SM" + "f" * 32, "From": "+447700900555", "To": TWILIO_SMS_NUMBER, "Body": SECRET_WORDS,
            "NumMedia": "0", **extra}


def _signature(params: dict[str, str], url: str = PUBLIC_BASE_URL + PATH, token: str = TWILIO_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def _forgeries() -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    params = _params()
    tampered = {**params, "Body": "I changed the text"}
    wrong_key = base64.b64encode(hmac.new(b"guessed", (PUBLIC_BASE_URL + PATH).encode(), hashlib.sha1).digest())
    return {
        "missing": (params, {}),
        "empty": (params, {"X-Twilio-Signature": ""}),
        "garbage": (params, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}),
        "another token": (params, {"X-Twilio-Signature": _signature(params, token="not-the-auth-token")}),
        "another url": (params, {"X-Twilio-Signature": _signature(params, url="https://evil.example" + PATH)}),
        "http not https": (params, {"X-Twilio-Signature": _signature(params, url=PUBLIC_BASE_URL.replace(
            "https", "http") + PATH)}),
        "tampered body": (tampered, {"X-Twilio-Signature": _signature(params)}),
        "extra parameter": ({**params, "NumMedia": "1"}, {"X-Twilio-Signature": _signature(params)}),
        "guessed key": (params, {"X-Twilio-Signature": wrong_key.decode()}),
    }


async def test_forged_twilio_requests_are_refused(tmp_path, rasa, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    async with serve(TwilioInput(channel_settings(tmp_path)), rasa=rasa) as client:
        for name, (params, headers) in _forgeries().items():
            reply = await client.post(PATH, data=params, headers=headers)
            assert reply.status_code == 403, name
            assert reply.json() == {"error": "invalid_signature"}
        status = {"MessageSid": "SM" + "a" * 32, "MessageStatus": "failed"}
        forged = await client.post("/webhooks/twilio/status", data=status, headers={"X-Twilio-Signature": "x"})
        assert forged.status_code == 403
        params = _params(MessageSid="SM" + "b" * 32)
        genuine = await client.post(PATH, data=params, headers={"X-Twilio-Signature": _signature(params)})
        assert genuine.status_code == 200
    assert rasa.texts == [SECRET_WORDS], "only the genuine request reached Rasa"
    assert "9d2c" not in caplog.text and "+447700900555" not in caplog.text


@pytest.mark.parametrize("secret", [None, "", "wrong", TELEGRAM_SECRET.upper(), TELEGRAM_SECRET + "x",
                                    TELEGRAM_SECRET[:-1], "x" + TELEGRAM_SECRET])
async def test_telegram_updates_without_the_secret_are_refused(tmp_path, rasa, caplog, secret) -> None:
    caplog.set_level(logging.DEBUG)
    update = {"update_id": 1, "message": {"message_id": 1, "date": 1700000000, "chat": {"id": 4242, "type": "private"},
                                          "text": SECRET_WORDS}}
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with serve(TelegramInput(channel_settings(tmp_path)), rasa=rasa) as client:
        reply = await client.post("/webhooks/telegram/webhook", json=update, headers=headers)
    assert reply.status_code == 403 and reply.json() == {"error": "invalid_secret"}
    assert rasa.received == []
    assert "9d2c" not in caplog.text and "4242" not in caplog.text


async def test_an_unconfigured_channel_refuses_everything(tmp_path, rasa) -> None:
    settings = channel_settings(tmp_path, TWILIO_AUTH_TOKEN="", TELEGRAM_TOKEN="", TELEGRAM_WEBHOOK_SECRET="")
    async with serve(TwilioInput(settings), TelegramInput(settings), rasa=rasa) as client:
        params = _params()
        assert (await client.post(PATH, data=params, headers={"X-Twilio-Signature": _signature(params)})
                ).status_code == 503
        assert (await client.post("/webhooks/telegram/webhook", json={"update_id": 1},
                                  headers={"X-Telegram-Bot-Api-Secret-Token": ""})).status_code == 503
    assert rasa.received == []
