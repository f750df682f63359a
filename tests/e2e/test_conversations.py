"""Conversation tests: the scripts in tests/conversations/*.yml, played against the running bot.

Each script names a channel (`rest` or `webchat`) and a list of turns: what she writes, text the bot's replies must
contain (`bot_contains`), must not contain (`bot_lacks`), how the first reply must begin (`first_reply_starts_with`:
what she reads first), and slots the tracker must then hold (`slots`).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import send_webchat

pytestmark = pytest.mark.e2e

SCRIPTS = Path(__file__).resolve().parents[1] / "conversations"


def load_scripts() -> list[dict]:
    scripts = []
    for path in sorted(SCRIPTS.glob("*.yml")):
        for script in yaml.safe_load(path.read_text(encoding="utf-8")):
            script["file"] = path.name
            scripts.append(script)
    return scripts


@pytest.mark.parametrize("script", load_scripts(), ids=lambda s: f"{s['file']}: {s['name']}")
def test_conversation(server, script):
    channel = script.get("channel", "rest")
    browser_id = secrets.token_hex(12)
    sender_id = server.webchat_sender_id(browser_id) if channel == "webchat" else f"rest-{browser_id}"
    for number, turn in enumerate(script["turns"], start=1):
        if channel == "webchat":
            replies = send_webchat(server, browser_id, turn["user"])
        else:
            status, replies = server.post("/webhooks/rest/webhook", {"sender": sender_id, "message": turn["user"]})
            assert status == 200
        said = "\n".join(r.get("text") or "" for r in replies)
        where = f"turn {number} ({turn['user']!r}) got:\n{said}"
        for expected in turn.get("bot_contains", []):
            assert expected in said, where
        if "first_reply_starts_with" in turn:
            first = replies[0].get("text") or "" if replies else ""
            assert first.startswith(turn["first_reply_starts_with"]), where
        for unexpected in turn.get("bot_lacks", []):
            assert unexpected not in said, where
        if "slots" in turn:
            slots = server.tracker(sender_id)["slots"]
            for name, value in turn["slots"].items():
                assert slots.get(name) == value, f"{where}\nslot {name} = {slots.get(name)!r}, expected {value!r}"
