"""SQL injection: every text field that reaches the database (console login, replies, notes, query parameters; the
channels' messages, sender ids and phone numbers) is passed as a bound parameter, never as SQL. Each string below is
refused cleanly or stored exactly as typed, nothing answers 5xx, and the tables are intact afterwards."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot.channels.rest import RestInput
from bot.channels.twilio.input import TwilioInput
from bot.channels.webchat import WebChatInput
from bot.storage.database import contacts, engine_for, staff_users
from tests.console.conftest import ConsoleServer
from tests.security.conftest import PUBLIC_BASE_URL, TWILIO_SMS_NUMBER, TWILIO_TOKEN, channel_settings, serve

INJECTIONS = (
    "' OR '1'='1",
    "'; DROP TABLE staff_users; --",
    "\" OR 1=1 --",
    "1; DELETE FROM handoff_requests",
    "admin'--",
    "' UNION SELECT password_hash FROM staff_users --",
    "%' AND 1=0 UNION SELECT NULL --",
    "Robert'); DROP TABLE contacts;--",
    "\\'; SELECT pg_sleep(5); --",
)


def _staff_count(console: ConsoleServer) -> int:
    with console.desk.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(staff_users)).scalar_one()


@pytest.mark.parametrize("text", INJECTIONS)
def test_console_login_fields(console: ConsoleServer, text: str) -> None:
    before = _staff_count(console)
    http = console.client()
    for username, password in ((text, "x"), ("nobody-" + secrets.token_hex(3), text)):
        reply = http.post("/login", json={"username": username, "password": password}, headers={"Origin": console.url})
        assert reply.status_code == 401, reply.text
    assert _staff_count(console) == before


@pytest.mark.parametrize("text", INJECTIONS)
def test_console_replies_notes_and_query_parameters(console: ConsoleServer, text: str) -> None:
    request = console.open_request(language="so")
    staff = console.login("interp_so")
    assert staff.post(f"/api/requests/{request.id}/claim").status_code == 200
    assert staff.post(f"/api/requests/{request.id}/note", json={"text": text}).status_code == 200
    assert staff.post(f"/api/requests/{request.id}/reply", json={"text": text}).status_code == 200
    stored = [m.text for m in console.desk.messages(request.id)]
    assert text in stored, "the note is stored exactly as typed"
    assert any(m.endswith(": " + text) for m in stored), "the reply too, after the team's label"
    admin = console.login("admin")
    coordinator = console.login("coordinator")
    for client, path, params in (
            (staff, "/api/requests", {"status": text}), (staff, "/api/requests", {"language": text}),
            (admin, "/api/metrics", {"from": text, "to": text}), (admin, "/api/audit", {"limit": text}),
            (coordinator, "/api/feedback/export", {"format": "csv", "from": "2026-01", "to": "2026-02", "site": text}),
            (coordinator, "/api/feedback/export", {"format": text, "from": text, "to": text})):
        reply = client.get(path, params=params)
        assert reply.status_code < 500, (path, params, reply.text)
    assert staff.get("/api/requests", params={"language": text}).json()["requests"] == []
    assert _staff_count(console) >= 5


async def test_web_chat_and_rest_messages_and_senders(tmp_path, rasa) -> None:
    settings = channel_settings(tmp_path, DOULA_RATE_LIMIT="off", DOULA_RATE_LIMIT_IP="off")
    async with serve(WebChatInput(settings), RestInput(settings), rasa=rasa) as client:
        for text in INJECTIONS:
            for path in ("/webhooks/webchat/webhook", "/webhooks/rest/webhook"):
                reply = await client.post(path, json={"sender": "sender-" + secrets.token_hex(6), "message": text})
                assert reply.status_code == 200, reply.text
                bad_sender = await client.post(path, json={"sender": text, "message": "hello"})
                assert bad_sender.status_code == 400 and bad_sender.json() == {"error": "invalid_sender"}
                messages = path.rsplit("/", 1)[0] + "/messages"
                assert (await client.get(messages, params={"sender": text})).status_code == 400
    assert rasa.texts == [t.strip() for t in INJECTIONS for _ in range(2)], "her text reaches Rasa as she wrote it"


async def test_twilio_fields(tmp_path, rasa) -> None:
    settings = channel_settings(tmp_path, DOULA_RATE_LIMIT="off")
    async with serve(TwilioInput(settings), rasa=rasa) as client:
        for text in INJECTIONS:
            params = {"MessageSid": text, "From": text, "To": TWILIO_SMS_NUMBER, "Body": text, "NumMedia": "0"}
            url = PUBLIC_BASE_URL + "/webhooks/twilio/webhook"
            headers = {"X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(url, params)}
            reply = await client.post("/webhooks/twilio/webhook", data=params, headers=headers)
            assert reply.status_code == 200, reply.text
    assert rasa.texts == [t.strip() for t in INJECTIONS]
    with engine_for(settings.database_url).connect() as connection:
        assert connection.execute(select(func.count()).select_from(contacts)).scalar_one() == len(INJECTIONS)
