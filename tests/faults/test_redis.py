"""The Redis lock store down: a clear answer at once (REST: 503 with a JSON error and what to tell her; web chat: the
short reply in her language), never a hang; and the bot recovers by itself when Redis is back.

Rasa takes the conversation's lock before it reads the tracker, so with Redis down her message is not processed (and
not recorded): an error status is the honest answer to an integrator, and a retry later is safe.
"""

from __future__ import annotations

import secrets

import pytest

from bot.gateway.degraded import load_fault_texts
from tests.faults.conftest import TRIAGE_PHONE, post_json, user_texts

pytestmark = pytest.mark.e2e

UNAVAILABLE_EN = load_fault_texts()["en"].messages["unavailable"]


def test_redis_down_is_a_clear_error_and_the_bot_recovers(stack):
    base = stack.rasa(0)
    sender = f"faults-redis-{secrets.token_hex(6)}"
    status, replies = stack.send(base, sender, "Hello")
    assert status == 200 and replies

    stack.kill_redis()
    try:
        # A short timeout: a hang would fail here.
        status, body = stack.send(base, sender, "What is a birth plan?", timeout=20)
        assert status == 503 and body["error"] == "temporarily_unavailable"
        [reply] = [m["text"] for m in body["messages"]]
        assert reply.startswith(UNAVAILABLE_EN) and TRIAGE_PHONE in reply

        # The web chat page shows what the server sends: a reply she can act on, not a bare error.
        status, replies = post_json(f"{base}/webhooks/webchat/webhook",
                                    {"sender": secrets.token_hex(10), "message": "Boli mnie mocno brzuch"}, 20)
        assert status == 200 and "999" in replies[-1]["text"]
        assert "birth plan" not in stack.log("rasa0")  # her words are not logged with the error
    finally:
        stack.start_redis()

    status, replies = stack.send(base, sender, "Hello")
    assert status == 200 and replies and not replies[0]["text"].startswith(UNAVAILABLE_EN)
    assert user_texts(stack.tracker(sender)) == ["Hello", "Hello"]  # the refused message was never recorded
