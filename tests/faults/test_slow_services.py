"""External services failing or hanging: the translator, the Twilio API. Retries are bounded, nothing reaches her twice,
and the Rasa process keeps answering other conversations meanwhile (its event loop is never blocked by them).

Already covered elsewhere, and not repeated here: the Twilio sender's retry of 429/500 and its refusal to retry a
timeout (tests/channels/test_twilio_sender.py), the translator's failure modes at the gateway
(tests/gateway/test_translation.py) and the interpreter path when it fails (tests/e2e/test_languages.py).
"""

from __future__ import annotations

import secrets
import threading
import time
import urllib.parse
import urllib.request

import pytest
from twilio.request_validator import RequestValidator

from bot.content.catalog import load_catalog
from tests.faults.conftest import PUBLIC_BASE_URL, TWILIO_SMS_NUMBER, TWILIO_TOKEN

pytestmark = pytest.mark.e2e

WEBHOOK = "/webhooks/twilio/webhook"
LITHUANIAN = "Sveiki, man reikia pagalbos dėl gimdymo vietos pasirinkimo"
GREETING_EN = load_catalog().ui["en"].messages["greeting"][:40]


def new_number() -> str:
    return "+4477009" + "".join(secrets.choice("0123456789") for _ in range(5))


def sms(stack, number: str, body: str) -> tuple[int, str]:
    params = {"MessageSid": "SM" + secrets.token_hex(16), "From": number, "To": TWILIO_SMS_NUMBER, "Body": body,
              "NumMedia": "0"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE_URL + WEBHOOK, params)
    request = urllib.request.Request(stack.rasa(0) + WEBHOOK, data=urllib.parse.urlencode(params).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return reply.status, reply.read().decode()


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting")
        time.sleep(0.05)


def test_a_hanging_translator_holds_up_only_her_conversation(stack):
    translator = stack.translator
    calls_before = len(translator.calls)
    slow: dict[str, object] = {}

    def her_message() -> None:
        status, replies = stack.send(stack.rasa(0), f"faults-lt-{secrets.token_hex(6)}", LITHUANIAN)
        slow.update(done=time.monotonic(), status=status, replies=replies)

    translator.mode = "hang"
    try:
        waiting = threading.Thread(target=her_message)
        waiting.start()
        wait_until(lambda: len(translator.calls) > calls_before)  # her translation is on its way, and hangs
        status, replies = stack.send(stack.rasa(0), f"faults-other-{secrets.token_hex(6)}", "Hello")
        other_done = time.monotonic()
        waiting.join(timeout=60)
    finally:
        translator.mode = "ok"
    assert status == 200 and GREETING_EN in replies[0]["text"]
    assert other_done < slow["done"], "the other conversation was answered while her translation hung"
    # The translator's limit (3 s) ended her wait: she was answered, with the urgent line, as when it fails.
    assert slow["status"] == 200 and "999" in "\n".join(r["text"] for r in slow["replies"])


def test_twilio_429_then_500_is_retried_and_she_gets_each_message_once(stack):
    twilio, number = stack.twilio, new_number()
    requests_before = twilio.requests
    twilio.script = [429, 500]
    status, body = sms(stack, number, "Hello")
    assert status == 200 and "<Response></Response>" in body  # Twilio is answered at once; replies go out later
    twilio.wait_for(number, 1, timeout=30)
    time.sleep(2.0)  # anything more arriving now would be a duplicate
    sent = twilio.to(number)
    assert GREETING_EN in sent[0] and len(sent) == len(set(sent))
    assert twilio.requests - requests_before == len(sent) + 2  # two refusals, then each part once


def test_a_hanging_twilio_api_blocks_nothing_and_is_not_retried(stack):
    twilio, number = stack.twilio, new_number()
    requests_before = twilio.requests
    twilio.hang_seconds = 4.0
    twilio.script = ["hang"]
    try:
        assert sms(stack, number, "Hello")[0] == 200
        wait_until(lambda: twilio.requests > requests_before)
        hung_at = time.monotonic()
        status, replies = stack.send(stack.rasa(0), f"faults-other-{secrets.token_hex(6)}", "Hello")
        answered_after = time.monotonic() - hung_at
        assert status == 200 and GREETING_EN in replies[0]["text"]
        assert answered_after < twilio.hang_seconds, "answered while the Twilio API still hung"
        time.sleep(twilio.hang_seconds + 1.5)
    finally:
        twilio.hang_seconds = 3.0
    # No answer means it may have been sent: never retried, so she can never get it twice.
    assert twilio.to(number) == [] and twilio.requests == requests_before + 1
