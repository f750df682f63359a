"""Oversize bodies: every endpoint that takes a body refuses one far larger than any genuine request with 413,
before parsing it or checking a signature; a long but legal message is cut (she is told), never refused."""

from __future__ import annotations

import pytest

from bot.channels import rest, webchat
from bot.channels.rest import RestInput
from bot.channels.telegram import input as telegram_input
from bot.channels.telegram.input import TelegramInput
from bot.channels.twilio import input as twilio_input
from bot.channels.twilio.input import TwilioInput
from bot.channels.webchat import WebChatInput
from bot.console.app import MAX_BODY
from tests.console.conftest import ConsoleServer
from tests.security.conftest import TELEGRAM_SECRET, channel_settings, serve

LIMITS = {
    "/webhooks/twilio/webhook": twilio_input.MAX_BODY_BYTES,
    "/webhooks/telegram/webhook": telegram_input.MAX_BODY_BYTES,
    "/webhooks/webchat/webhook": webchat.MAX_BODY_BYTES,
    "/webhooks/rest/webhook": rest.MAX_BODY_BYTES,
}


@pytest.mark.parametrize("path", list(LIMITS))
async def test_channel_bodies_over_the_limit_get_413(tmp_path, rasa, path: str) -> None:
    settings = channel_settings(tmp_path)
    channels = (TwilioInput(settings), TelegramInput(settings), WebChatInput(settings), RestInput(settings))
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    async with serve(*channels, rasa=rasa) as client:
        for size in (LIMITS[path] + 1, 4 * LIMITS[path]):
            text = "a" * size
            body = f'{{"sender": "abcdefgh1234", "message": "{text}"}}' if "rest" in path or "webchat" in path \
                else ("Body=" + text if "twilio" in path else f'{{"update_id": 1, "x": "{text}"}}')
            reply = await client.post(path, content=body.encode(), headers=headers)
            assert reply.status_code == 413, (path, size, reply.text)
    assert rasa.received == []


async def test_a_long_legal_message_is_cut_not_refused(tmp_path, rasa) -> None:
    settings = channel_settings(tmp_path)
    async with serve(WebChatInput(settings), rasa=rasa) as client:
        text = "word " * 2000  # 10 000 characters: under the body limit, over DOULA_MAX_MESSAGE_CHARS
        reply = await client.post("/webhooks/webchat/webhook", json={"sender": "abcdefgh1234", "message": text})
    assert reply.status_code == 200
    assert len(rasa.texts[0]) <= settings.max_message_chars
    assert rasa.received[0].metadata == {"truncated": True}, "so the bot tells her it was cut"


def test_console_bodies_over_the_limit_get_413(console: ConsoleServer) -> None:
    staff = console.login("midwife")
    request = console.open_request(language="so")
    huge = "x" * (MAX_BODY + 1)
    reply = staff.post(f"/api/requests/{request.id}/note", json={"text": huge})
    assert reply.status_code == 413
    login = console.client().post("/login", content=b"{" + b" " * (4 * MAX_BODY) + b"}",
                                  headers={"Origin": console.url, "Content-Type": "application/json"})
    assert login.status_code == 413
    assert console.desk.messages(request.id) == []
