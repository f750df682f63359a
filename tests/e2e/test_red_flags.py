"""Every red-flag category in every language, through the running bot's REST and web chat channels: the urgent
advice is the first thing she reads, and the tracker records the category (never a guess of a topic)."""

from __future__ import annotations

import secrets

import pytest

from bot.safety.catalog import load_safety
from bot.safety.evaluation import CASES_DIR, load_sets
from tests.e2e.conftest import send_webchat

pytestmark = pytest.mark.e2e

SAFETY = load_safety()
HEADINGS = tuple(a.messages["heading"] for a in SAFETY.advice.values())
GENERIC = tuple(SAFETY.generic.values())


def cases():
    for labelled in load_sets(CASES_DIR):
        for category, messages in labelled.alarms.items():
            for channel, message in zip(("rest", "webchat"), messages[:2], strict=False):
                yield pytest.param(channel, category, message, id=f"{labelled.language}-{category}-{channel}")


@pytest.mark.parametrize(("channel", "category", "message"), cases())
def test_red_flag_answered_first(server, channel, category, message):
    browser_id = secrets.token_hex(12)
    if channel == "webchat":
        replies = send_webchat(server, browser_id, message)
        sender_id = server.webchat_sender_id(browser_id)
    else:
        sender_id = f"rest-{browser_id}"
        status, replies = server.post("/webhooks/rest/webhook", {"sender": sender_id, "message": message})
        assert status == 200
    first = replies[0]["text"] if replies else ""
    assert first.startswith(HEADINGS + GENERIC), first
    tracker = server.tracker(sender_id)
    assert category in tracker["latest_message"]["red_flag"]["categories"]
    assert tracker["slots"]["red_flag"] in tracker["latest_message"]["red_flag"]["categories"]
