"""The embedded profile's ops port (what `make run` gives): /health names every part, /metrics counts what went
through every channel, in one place (Rasa's event stream), with no id or text in it."""

from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import scrape_settled, scrape_until, send_webchat

pytestmark = pytest.mark.e2e


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sample(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_health_reports_every_part_of_the_embedded_profile(server):
    status, body = get(server.ops + "/health")
    report = json.loads(body)
    assert status == 200 and report["status"] == "ready" and report["profile"] == "embedded"
    assert set(report["components"]) == {"rasa", "action_server", "console", "database"}  # no Redis embedded
    status, body = server.get("/webhooks/health/")
    assert status == 200 and json.loads(body)["model_loaded"] is True


def test_messages_of_two_channels_move_the_counters(server):
    before = scrape_settled(server.ops)
    browser_id = secrets.token_hex(10)
    send_webchat(server, browser_id, "Dzień dobry")
    status, replies = server.post("/webhooks/rest/webhook",
                                  {"sender": f"rest-{browser_id}", "message": "where can I give birth?"})
    assert status == 200 and replies
    latency = "doula_message_seconds_count"
    after = scrape_until(server.ops, lambda text: sample(text, latency) >= sample(before, latency) + 2)

    def moved(name: str) -> float:
        return sample(after, name) - sample(before, name)

    assert moved('doula_messages_received_total{channel="webchat",language="pl"}') == 1
    assert moved('doula_messages_received_total{channel="rest",language="en"}') == 1
    assert moved('doula_replies_sent_total{channel="rest"}') >= 1
    assert moved("doula_message_seconds_count") == 2
    assert browser_id not in after and "Dzień" not in after
