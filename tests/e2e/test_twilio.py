"""SMS and WhatsApp through the running server: requests signed by the real twilio RequestValidator, replies sent
by the real twilio client to a loopback fake of the Messages API."""

from __future__ import annotations

import secrets
import time

import pytest
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from bot.gateway.identity import pseudonymous_id
from tests.e2e.conftest import PUBLIC_BASE_URL, SENDER_KEY, TWILIO_SMS_NUMBER, TWILIO_TOKEN, TWILIO_WHATSAPP_NUMBER

pytestmark = pytest.mark.e2e

WEBHOOK = "/webhooks/twilio/webhook"


def new_number() -> str:
    return "+4477009" + "".join(secrets.choice("0123456789") for _ in range(5))


def form(address: str, body: str, **extra: str) -> dict[str, str]:
    return {"MessageSid": "SM" + secrets.token_hex(16), "From": address, "To": TWILIO_SMS_NUMBER, "Body": body,
            "NumMedia": "0", **extra}


def signed(params: dict[str, str], path: str = WEBHOOK, url: str | None = None) -> dict[str, str]:
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url or PUBLIC_BASE_URL + path, params)
    return {"X-Twilio-Signature": signature}


def send(server, params: dict[str, str]) -> tuple[int, str]:
    return server.post_form(WEBHOOK, params, signed(params))


def test_a_signed_sms_is_answered_by_sms(server):
    number = new_number()
    status, body = send(server, form(number, "where can I give birth?"))
    assert status == 200 and body.startswith("<?xml") and "<Response></Response>" in body
    said = server.twilio.wait_for_text(number, "Where to give birth")
    assert "automated assistant" in said and "Where to give birth" in said
    sent = [m for m in server.twilio.sent if m["To"] == number]
    assert all(m["From"] == TWILIO_SMS_NUMBER for m in sent)
    assert all(m["StatusCallback"] == PUBLIC_BASE_URL + "/webhooks/twilio/status" for m in sent)


@pytest.mark.parametrize("headers", [
    {},  # missing
    {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},  # forged
])
def test_unsigned_or_forged_requests_are_refused_and_not_logged(server, headers):
    number = new_number()
    params = form(number, "secret words 7c1d")
    status, _ = server.post_form(WEBHOOK, params, headers)
    assert status == 403
    time.sleep(0.5)
    assert server.twilio.to(number) == []
    assert "secret words 7c1d" not in server.log.read_text(errors="replace")


def test_a_signature_for_another_url_is_refused(server):
    params = form(new_number(), "hello")
    status, _ = server.post_form(WEBHOOK, params, signed(params, url="https://attacker.example" + WEBHOOK))
    assert status == 403


def test_a_tampered_body_is_refused(server):
    params = form(new_number(), "hello")
    headers = signed(params)
    params["Body"] = "something else"
    assert server.post_form(WEBHOOK, params, headers)[0] == 403


def test_a_retried_message_is_handled_once(server):
    number = new_number()
    params = form(number, "hello")
    assert send(server, params)[0] == 200
    server.twilio.wait_for_text(number, "Another language (an interpreter)")  # its last part has arrived
    first = server.twilio.to(number)
    assert send(server, params)[0] == 200  # Twilio's retry: same MessageSid
    time.sleep(2)
    assert server.twilio.to(number) == first


def test_a_red_flag_by_sms_is_answered_first(server):
    number = new_number()
    send(server, form(number, "I'm bleeding heavily"))
    replies = server.twilio.wait_for(number)
    assert replies[0].startswith("URGENT (automated message):")


def test_whatsapp_replies_from_the_whatsapp_number_with_a_bold_heading(server):
    address = "whatsapp:" + new_number()
    send(server, form(address, "the baby has not moved since yesterday", To="whatsapp:" + TWILIO_WHATSAPP_NUMBER))
    replies = server.twilio.wait_for(address)
    assert replies[0].startswith("*URGENT (automated message):*")
    assert all(m["From"] == "whatsapp:" + TWILIO_WHATSAPP_NUMBER for m in server.twilio.sent if m["To"] == address)


def test_a_photo_or_voice_note_gets_a_kind_reply_and_is_not_fetched(server):
    number = new_number()
    send(server, form(number, "", NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1",
                      MediaContentType0="audio/ogg"))
    assert "I can only read text" in server.twilio.wait_for_text(number, "I can only read text")


def test_stop_silences_the_number_until_start(server):
    number = new_number()
    send(server, form(number, "hello"))
    server.twilio.wait_for_text(number, "Another language (an interpreter)")  # its last part has arrived
    before = len(server.twilio.to(number))
    assert send(server, form(number, "STOP"))[0] == 200
    send(server, form(number, "where can I give birth?"))
    time.sleep(2)
    assert len(server.twilio.to(number)) == before  # nothing after STOP
    send(server, form(number, "START"))
    assert len(server.twilio.wait_for(number, count=before + 1)) > before


def test_her_language_by_sms(server):
    number = new_number()
    send(server, form(number, "Dzień dobry, gdzie mogę urodzić?"))
    assert "automatyczny asystent" in server.twilio.wait_for_text(number, "automatyczny asystent")


def test_her_number_never_reaches_rasa_and_is_stored_encrypted(server):
    number = new_number()
    send(server, form(number, "hello"))
    server.twilio.wait_for(number)
    tracker = server.tracker(pseudonymous_id("sms", number, SENDER_KEY))
    assert tracker["events"] and number not in str(tracker)
    with create_engine(f"sqlite:///{server.database}").connect() as connection:
        stored = connection.execute(text("select address from contacts")).scalars().all()
    assert stored and all(number.encode() not in value for value in stored)
    assert number not in server.log.read_text(errors="replace")  # nor in the logs (the twilio library logs it)


def test_delivery_failures_are_recorded_without_text(server):
    params = {"MessageSid": "SM" + secrets.token_hex(16), "MessageStatus": "undelivered", "ErrorCode": "30006",
              "To": new_number(), "From": TWILIO_SMS_NUMBER}
    status, _ = server.post_form("/webhooks/twilio/status", params, signed(params, path="/webhooks/twilio/status"))
    assert status == 204
    with create_engine(f"sqlite:///{server.database}").connect() as connection:
        row = connection.execute(text("select status, error_code from delivery_failures where message_id = :m"),
                                 {"m": params["MessageSid"]}).one()
    assert tuple(row) == ("undelivered", "30006")
    assert server.post_form("/webhooks/twilio/status", params, {})[0] == 403


def test_a_whole_sms_conversation_with_a_language_switch(server):
    number = new_number()
    send(server, form(number, "hello"))
    server.twilio.wait_for_text(number, "Another language (an interpreter)")
    send(server, form(number, "LANGUAGE"))
    server.twilio.wait_for_text(number, "2. Polski")
    send(server, form(number, "2"))  # Polski
    assert "po polsku" in server.twilio.wait_for_text(number, "po polsku")


def test_a_huge_body_is_refused(server):
    params = form(new_number(), "x" * 70_000)
    assert server.post_form(WEBHOOK, params, signed(params))[0] == 413
