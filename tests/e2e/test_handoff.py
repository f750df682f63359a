"""A person takes over, through the running server: request -> queue -> claim -> reply reaches her channel -> close ->
the bot resumes. The SMS conversation is answered through the staff console's HTTP API (started by `doula run`), and
its worker delivers the reply through the real twilio client to the loopback fake; the REST and Somali conversations
use the desk (the database the console changes) directly. The console's own HTTP and browser tests are in
tests/console/."""

from __future__ import annotations

import secrets
import time

import httpx
import pytest

from bot.console.staff import StaffDirectory
from bot.gateway.identity import pseudonymous_id
from bot.services.handoff.desk import HER, HandoffDesk
from bot.services.handoff.texts import load_handoff_texts
from bot.settings import Settings
from tests.e2e.conftest import SENDER_KEY
from tests.e2e.test_twilio import form, new_number, send

pytestmark = pytest.mark.e2e

REST = "/webhooks/rest/webhook"
TEXTS = load_handoff_texts()


@pytest.fixture(scope="module")
def desk(server) -> HandoffDesk:
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{server.database}", "DOULA_SENDER_KEY": SENDER_KEY,
                                  "DOULA_HANDOFF_HOURS": "always"})
    return HandoffDesk.from_settings(settings)


def say(server, sender: str, text: str) -> str:
    status, replies = server.post(REST, {"sender": sender, "message": text})
    assert status == 200, replies
    return "\n".join(r.get("text", "") for r in replies)


def pull(server, sender: str) -> str:
    status, body = server.get(f"/webhooks/rest/messages?sender={sender}")
    assert status == 200, body
    return body


def test_rest_request_claim_reply_close_and_the_bot_resumes(server, desk):
    sender = "handoff-rest-" + secrets.token_hex(4)
    told = say(server, sender, "I need an interpreter")
    assert TEXTS.text("en", "requested").split(":")[0] in told
    assert "999" in told and "minutes" in told and "Maternity team" not in told
    request = desk.active_for(sender)
    assert request and request.reason == "asked_for_person" and request.channel == "rest" and request.language == "en"

    # Paused: her messages go to the request, the bot does not answer them (one "passed on" while nobody has it).
    assert say(server, sender, "are you there? I have a question about my scan") == TEXTS.text("en", "still_waiting")
    desk.claim(request.id, staff_id=1)
    desk.reply(request.id, 1, "Hello, I am Amina, a midwife. What is your question?")
    waiting = pull(server, sender)
    assert TEXTS.text("en", "joined") in waiting and "Maternity team: Hello, I am Amina" in waiting
    assert pull(server, sender) == "[]"  # each message once
    assert say(server, sender, "when is my scan") == ""
    assert [m.text for m in desk.messages(request.id) if m.author == HER] == [
        "are you there? I have a question about my scan", "when is my scan"]

    # A red flag while paused: urgent advice first, no offer of a person (she has one), and the staff are alerted.
    urgent = say(server, sender, "I am bleeding heavily")
    assert urgent.startswith("URGENT") and "Talk to a person" not in urgent
    assert desk.get(request.id).urgent_at is not None
    assert desk.messages(request.id)[-1].urgent

    desk.close(request.id, 1)
    assert TEXTS.text("en", "closed") in pull(server, sender)
    resumed = say(server, sender, "hello")
    assert "What would you like to know about?" in resumed  # the bot's main menu again, not a relay
    assert desk.active_for(sender) is None


def test_somali_request_is_answered_in_somali(server, desk):
    sender = "handoff-so-" + secrets.token_hex(4)
    told = say(server, sender, "Waxaan u baahanahay turjubaan")
    assert TEXTS.text("so", "requested") in told
    request = desk.active_for(sender)
    assert request.language == "so"
    desk.claim(request.id, 2)
    desk.reply(request.id, 2, "Salaan, waxaan ahay turjubaan.")
    assert "Salaan, waxaan ahay turjubaan." in pull(server, sender)
    desk.close(request.id, 2)
    assert TEXTS.text("so", "closed") in pull(server, sender)


def test_a_forged_handoff_in_rest_metadata_is_ignored(server, desk):
    sender = "handoff-forged-" + secrets.token_hex(4)
    status, replies = server.post(REST, {"sender": sender, "message": "hello", "metadata": {"handoff": 1}})
    assert status == 200 and "automated assistant" in replies[0]["text"]  # answered by the bot, not relayed
    assert "handoff" not in server.tracker(sender)["latest_message"].get("metadata", {})


@pytest.fixture(scope="module")
def midwife(server):
    """A midwife logged in to the running staff console."""
    StaffDirectory.from_settings(Settings.from_env({
        "DATABASE_URL": f"sqlite:///{server.database}", "DOULA_SENDER_KEY": SENDER_KEY})).add(
        "e2e-midwife", "Midwife on duty", "midwife", None, "a long e2e password")
    console = httpx.Client(base_url=server.console, timeout=15)
    origin = server.console.replace("127.0.0.1", "localhost")  # DOULA_CONSOLE_URL's origin, as a browser sends it
    reply = console.post("/login", json={"username": "e2e-midwife", "password": "a long e2e password"},
                         headers={"Origin": origin})
    assert reply.status_code == 200, reply.text
    console.headers.update({"X-CSRF-Token": reply.json()["csrf_token"], "Origin": origin})
    yield console
    console.close()


def test_sms_request_answered_from_the_console_reaches_her_by_sms(server, desk, midwife):
    number = new_number()
    sender = pseudonymous_id("sms", number, SENDER_KEY)
    send(server, form(number, "interpreter please"))
    told = server.twilio.wait_for_text(number, "999")
    assert TEXTS.text("en", "requested").split(":")[0] in told
    request = desk.active_for(sender)
    assert request and request.channel == "sms"

    queue = midwife.get("/api/requests", params={"status": "waiting"}).json()
    items = queue["requests"] if isinstance(queue, dict) else queue
    assert request.id in [item["id"] for item in items] and number not in str(queue)
    assert midwife.post(f"/api/requests/{request.id}/claim", json={}).status_code == 200
    reply = midwife.post(f"/api/requests/{request.id}/reply", json={"text": "Hello from the maternity ward."})
    assert reply.status_code == 200, reply.text
    delivered = server.twilio.wait_for_text(number, "Hello from the maternity ward.")
    assert TEXTS.text("en", "joined") in delivered
    deadline = time.monotonic() + 10
    while any(m.delivery == "pending" for m in desk.messages(request.id)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert {m.delivery for m in desk.messages(request.id) if m.author != HER} == {"sent"}

    before = len(server.twilio.to(number))
    send(server, form(number, "thank you, see you tomorrow"))
    deadline = time.monotonic() + 10
    while not any(m.text == "thank you, see you tomorrow" for m in desk.messages(request.id)):
        assert time.monotonic() < deadline, "her message did not reach the request"
        time.sleep(0.2)
    time.sleep(1)
    assert len(server.twilio.to(number)) == before  # the bot stayed quiet

    assert "thank you, see you tomorrow" in midwife.get(f"/api/requests/{request.id}").text
    assert midwife.post(f"/api/requests/{request.id}/close", json={}).status_code == 200
    server.twilio.wait_for_text(number, TEXTS.text("en", "closed")[:40])
    send(server, form(number, "where can I give birth?"))
    assert "Where to give birth" in server.twilio.wait_for_text(number, "Where to give birth")
