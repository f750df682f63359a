"""The action server killed mid-conversation: she still gets a useful reply in her language (urgent advice first when
she names a red-flag symptom), and the bot is itself again as soon as the action server is back.

What Rasa does on its own: the failed action is logged ("Encountered an exception while running action ...") and the
conversation goes on with no reply at all, so without bot.gateway.degraded she would get silence (HTTP 200, []).
"""

from __future__ import annotations

import secrets

import pytest

from bot.content.catalog import load_catalog
from bot.gateway.degraded import load_fault_texts
from bot.safety.catalog import load_safety
from tests.faults.conftest import TRIAGE_PHONE, user_texts

pytestmark = pytest.mark.e2e

UNAVAILABLE = {language: texts.messages["unavailable"] for language, texts in load_fault_texts().items()}
GREETING_EN = load_catalog().ui["en"].messages["greeting"][:40]


def texts(replies) -> list[str]:
    return [r["text"] for r in replies]


def test_she_is_answered_while_the_action_server_is_down_and_it_recovers(stack):
    base = stack.rasa(0)
    english, polish = f"faults-{secrets.token_hex(6)}", f"faults-{secrets.token_hex(6)}"
    status, replies = stack.send(base, english, "Hello")
    assert status == 200 and GREETING_EN in "\n".join(texts(replies))
    status, replies = stack.send(base, polish, "Dzień dobry")
    assert status == 200 and replies

    stack.kill_action_server()
    try:
        # An ordinary message: sorry, try again later, and where to call, in English.
        status, replies = stack.send(base, english, "What is a birth plan?", timeout=30)
        assert status == 200
        [reply] = texts(replies)
        assert reply.startswith(UNAVAILABLE["en"]) and "999" in reply and TRIAGE_PHONE in reply

        # A red flag in Polish: the urgent advice first, in Polish, with the triage number; then the Polish apology.
        status, replies = stack.send(base, polish, "Mocno krwawię z pochwy", timeout=30)
        assert status == 200
        polish_advice = load_safety().advice["pl"].messages
        first, last = texts(replies)[0], texts(replies)[-1]
        assert first.startswith(polish_advice["heading"]) and TRIAGE_PHONE in first, first
        assert last.startswith(UNAVAILABLE["pl"])
        # The NLU ran (only the action failed): the tracker has her message, flagged.
        tracker = stack.tracker(polish)
        assert "bleeding" in tracker["latest_message"]["red_flag"]["categories"]
        assert "Encountered an exception while running action" in stack.log("rasa0")
    finally:
        stack.start_action_server()

    # Back: the very next message is answered by the bot itself, nothing degraded.
    status, replies = stack.send(base, english, "Hello")
    assert status == 200 and replies and not any(t.startswith(UNAVAILABLE["en"]) for t in texts(replies))
    assert user_texts(stack.tracker(english)) == ["Hello", "What is a birth plan?", "Hello"]
