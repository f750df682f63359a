"""Telegram through the running server: updates posted to the webhook with the secret header, replies sent by the
real python-telegram-bot client to a loopback fake of the Bot API; and the long-polling runner."""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time

import pytest

from bot.channels.telegram.polling import poll
from bot.gateway.identity import pseudonymous_id
from bot.settings import Settings
from tests.e2e.conftest import SENDER_KEY, TELEGRAM_SECRET
from tests.fakes.telegram_api import TOKEN

pytestmark = pytest.mark.e2e

WEBHOOK = "/webhooks/telegram/webhook"
_ids = itertools.count(int(time.time()) * 1000)


def chat() -> int:
    return 10_000_000 + secrets.randbelow(80_000_000)


def message(chat_id: int, text: str | None = None, chat_type: str = "private", **extra) -> dict:
    body = {"message_id": next(_ids) % 100000, "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type}, "from": {"id": chat_id, "is_bot": False, "first_name": "A"}}
    if text is not None:
        body["text"] = text
    body.update(extra)
    return {"update_id": next(_ids), "message": body}


def post(server, update: dict, secret: str | None = TELEGRAM_SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return server.post_raw(WEBHOOK, json.dumps(update).encode(), headers)[0]


def test_a_message_is_answered_with_inline_keyboard_menus(server):
    chat_id = chat()
    assert post(server, message(chat_id, "where can I give birth?")) == 200
    server.telegram.wait_for_text(chat_id, "Reply with a number to read more")  # the topic's menu, last
    sent = server.telegram.sent_to(chat_id)
    assert "automated assistant" in sent[0]["text"]
    menus = [m for m in sent if m.get("reply_markup")]
    assert menus, sent
    markup = json.loads(menus[-1]["reply_markup"]) if isinstance(menus[-1]["reply_markup"], str) \
        else menus[-1]["reply_markup"]
    assert markup["inline_keyboard"][0][0]["callback_data"] == "1"


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
def test_a_missing_or_wrong_secret_is_refused(server, secret):
    chat_id = chat()
    assert post(server, message(chat_id, "hello"), secret=secret) == 403
    time.sleep(0.5)
    assert server.telegram.sent_to(chat_id) == []


def test_a_repeated_update_is_handled_once(server):
    chat_id = chat()
    update = message(chat_id, "hello")
    post(server, update)
    server.telegram.wait_for_text(chat_id, "Which language")  # the whole reply has arrived
    first = len(server.telegram.sent_to(chat_id))
    post(server, update)
    time.sleep(1.5)
    assert len(server.telegram.sent_to(chat_id)) == first


def test_commands_and_a_pressed_button(server):
    chat_id = chat()
    post(server, message(chat_id, "/start"))
    assert "Which language would you like?" in server.telegram.wait_for_text(chat_id, "Which language")
    query = {"update_id": next(_ids), "callback_query": {
        "id": "cb-" + secrets.token_hex(4), "from": {"id": chat_id, "is_bot": False, "first_name": "A"},
        "chat_instance": "x", "data": "2",
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"}}}}
    post(server, query)
    assert "polsku" in server.telegram.wait_for_text(chat_id, "polsku")
    assert any(p.get("callback_query_id") == query["callback_query"]["id"]
               for p in server.telegram.called("answerCallbackQuery"))


def test_a_red_flag_is_answered_first(server):
    chat_id = chat()
    post(server, message(chat_id, "krwawię bardzo mocno"))
    assert server.telegram.wait_for(chat_id)[0]["text"].startswith("PILNE (wiadomość automatyczna):")


def test_a_voice_note_gets_a_kind_reply(server):
    chat_id = chat()
    post(server, message(chat_id, voice={"file_id": "v1", "file_unique_id": "u1", "duration": 3}))
    assert "I can only read text" in server.telegram.wait_for_text(chat_id, "I can only read text")


def test_in_a_group_chat_the_bot_says_once_that_it_talks_only_in_private(server):
    chat_id = -chat()
    assert post(server, message(chat_id, "hello", chat_type="group")) == 200
    assert "only talk in private chats" in server.telegram.wait_for_text(chat_id, "private chats")
    post(server, message(chat_id, "I'm bleeding", chat_type="group"))
    time.sleep(1)
    assert len(server.telegram.sent_to(chat_id)) == 1


def test_an_edited_message_is_read_again(server):
    chat_id = chat()
    update = message(chat_id, "I'm bleeding heavily")
    update["edited_message"] = update.pop("message")
    update["edited_message"]["edit_date"] = int(time.time())
    post(server, update)
    assert server.telegram.wait_for(chat_id)[0]["text"].startswith("URGENT")


def test_malformed_updates_get_a_clear_error(server):
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    assert server.post_raw(WEBHOOK, b"not json", headers)[0] == 400


def test_the_chat_id_never_reaches_rasa(server):
    chat_id = chat()
    post(server, message(chat_id, "hello"))
    server.telegram.wait_for(chat_id)
    tracker = server.tracker(pseudonymous_id("telegram", str(chat_id), SENDER_KEY))
    assert tracker["events"] and str(chat_id) not in json.dumps(tracker)
    log = server.log.read_text(errors="replace")
    assert str(chat_id) not in log and TOKEN not in log  # httpx would log the token in every Bot API URL


def test_long_polling_feeds_the_running_bot(server):
    chat_id = chat()
    server.telegram.updates.append(message(chat_id, "hello"))
    port = int(server.base.rsplit(":", 1)[1])
    settings = Settings.from_env({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
                                  "TELEGRAM_API_URL": server.telegram.url, "RASA_PORT": str(port)})
    asyncio.run(poll(settings, max_rounds=2, poll_timeout=1))
    assert server.telegram.called("deleteWebhook")
    assert "automated assistant" in server.telegram.wait_for_text(chat_id, "automated assistant")


def test_set_webhook_registers_the_public_url_with_the_secret(server):
    from bot.channels.telegram.polling import set_webhook

    settings = Settings.from_env({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
                                  "TELEGRAM_API_URL": server.telegram.url,
                                  "PUBLIC_BASE_URL": "https://doula.example.nhs.uk"})
    assert asyncio.run(set_webhook(settings)) == "https://doula.example.nhs.uk/webhooks/telegram/webhook"
    registered = server.telegram.called("setWebhook")[-1]
    assert registered["url"] == "https://doula.example.nhs.uk/webhooks/telegram/webhook"
    assert registered["secret_token"] == TELEGRAM_SECRET
