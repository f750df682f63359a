"""The log scan: a full conversation on every channel (SMS, WhatsApp, Telegram, web chat) through the running server,
with distinctive phone numbers, a Telegram chat id, a name and words, then the server's whole log (Rasa, action
server, console and worker, at the default level) is searched for any of them, the addresses' bare digits included.

What the conversation covers: a greeting, a topic, a red flag, a request for a person, and feedback whose text holds
her name and phone number."""

from __future__ import annotations

import json
import re
import secrets
import time

import pytest
from sqlalchemy import create_engine, text

from bot.gateway.identity import pseudonymous_id
from tests.e2e.conftest import PUBLIC_BASE_URL, SENDER_KEY, TWILIO_SMS_NUMBER, TWILIO_TOKEN

pytestmark = pytest.mark.e2e

NAME = ("Zephyrine", "Quillfeather")


def _words() -> dict[str, str]:
    """Distinctive words, one per kind of message, that appear nowhere in content or logs by chance."""
    return {kind: f"{kind}{secrets.token_hex(3)}" for kind in ("greet", "topic", "flag", "feedback", "person")}


def _conversation(words: dict[str, str], phone: str) -> list[str]:
    """Greeting, topic, red flag, feedback (rating, her words with her name and number, the optional questions
    skipped, consent), then a request for a person (last: it pauses the bot)."""
    return [
        f"hello {words['greet']}, my name is {NAME[0]} {NAME[1]}",
        f"where can I give birth? {words['topic']}",
        f"I am bleeding heavily {words['flag']}",
        "FEEDBACK",
        "1",
        f"{NAME[0]} {NAME[1]} here {words['feedback']}, the midwife was kind, call me on {phone}",
        "0", "1", "0", "0", "1",
        f"I need an interpreter please {words['person']}",
    ]


def _twilio(server, address: str, text: str) -> None:
    from twilio.request_validator import RequestValidator

    params = {"MessageSid": "SM" + secrets.token_hex(16), "From": address, "To": TWILIO_SMS_NUMBER, "Body": text,
              "NumMedia": "0"}
    url = PUBLIC_BASE_URL + "/webhooks/twilio/webhook"
    headers = {"X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(url, params)}
    status, _ = server.post_form("/webhooks/twilio/webhook", params, headers)
    assert status == 200


def _telegram(server, chat_id: int, text: str) -> None:
    from tests.e2e.conftest import TELEGRAM_SECRET

    update = {"update_id": secrets.randbelow(2**31), "message": {
        "message_id": secrets.randbelow(10**6), "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": NAME[0], "last_name": NAME[1]}, "text": text}}
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    status, _ = server.post_raw("/webhooks/telegram/webhook", json.dumps(update).encode(), headers)
    assert status == 200


def _webchat(server, browser_id: str, text: str) -> None:
    status, replies = server.post("/webhooks/webchat/webhook", {"sender": browser_id, "message": text})
    assert status == 200 and replies


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_a_full_conversation_on_every_channel_leaves_no_identifier_or_text_in_the_log(server):
    sms = "+4477009" + "".join(secrets.choice("0123456789") for _ in range(5))
    whatsapp_number = "+4477008" + "".join(secrets.choice("0123456789") for _ in range(5))
    chat_id = 9_100_000_000 + secrets.randbelow(800_000_000)
    browser_id = "log" + secrets.token_hex(10)
    feedback_phone = "07700 9" + "".join(secrets.choice("0123456789") for _ in range(5))
    start = server.log.stat().st_size

    secrets_seen: list[str] = [*NAME, sms, whatsapp_number, str(chat_id), browser_id, feedback_phone,
                               _digits(sms), _digits(whatsapp_number), "0" + _digits(sms)[2:],
                               _digits(feedback_phone), feedback_phone.replace(" ", "")]
    rest_sender = "rest-logscan-" + secrets.token_hex(4)
    channels = {
        "sms": lambda text: _twilio(server, sms, text),
        "whatsapp": lambda text: _twilio(server, "whatsapp:" + whatsapp_number, text),
        "telegram": lambda text: _telegram(server, chat_id, text),
        "webchat": lambda text: _webchat(server, browser_id, text),
        "rest": lambda text: server.post("/webhooks/rest/webhook", {"sender": rest_sender, "message": text}),
    }
    feedback_words = []
    for send in channels.values():
        words = _words()
        secrets_seen += list(words.values())
        feedback_words.append(words["feedback"])
        for turn in _conversation(words, feedback_phone):
            send(turn)

    assert server.twilio.wait_for(sms, 3) and server.twilio.wait_for("whatsapp:" + whatsapp_number, 3)
    assert server.telegram.wait_for(chat_id, 3)
    time.sleep(1.0)  # let background replies and the handoff worker log what they log
    with create_engine(f"sqlite:///{server.database}").connect() as connection:
        stored = " ".join(r[0] or "" for r in connection.execute(text("SELECT went_well FROM feedback")))
        requested = {r[0] for r in connection.execute(text("SELECT sender_id FROM handoff_requests"))}
    assert sum(word in stored for word in feedback_words) >= 3, "the feedback conversations did happen"
    addresses = (("sms", sms), ("whatsapp", "whatsapp:" + whatsapp_number), ("telegram", str(chat_id)),
                 ("webchat", browser_id))
    senders = {pseudonymous_id(kind, address, SENDER_KEY) for kind, address in addresses} | {rest_sender}
    assert len(senders & requested) >= 4, "the requests for a person did happen"
    with server.log.open("rb") as log:
        log.seek(start)
        written = log.read().decode("utf-8", errors="replace")
    assert written.strip(), "the conversation did log something (else this test proves nothing)"
    leaked = sorted({s for s in secrets_seen if s and s in written})
    assert not leaked, f"the log contains {leaked}:\n" + "\n".join(
        line for line in written.splitlines() if any(s in line for s in leaked))[:3000]
