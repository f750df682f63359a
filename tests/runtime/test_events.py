"""Rasa's event stream counted: a real tracker store hands the broker the events of a handled message, as it does
in a Rasa worker (no model needed: the events are what Rasa records for one turn)."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime import metrics
from bot.runtime.events import MetricsBroker
from bot.runtime.metrics import Recorder, exposition
from tests.runtime.test_metrics import sample


@pytest.fixture
def recorder(tmp_path, monkeypatch) -> Recorder:
    recorder = Recorder(tmp_path, "rasa")
    monkeypatch.setattr(metrics, "_recorder", recorder)
    return recorder


def turn(sender: str, text: str, parse: dict, channel: str, replies: int, at: float) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered(text, parse_data={"text": text, **parse}, input_channel=channel, timestamp=at))
    for i in range(replies):
        tracker.update(BotUttered(f"reply {i}", timestamp=at + 0.1))
    tracker.update(ActionExecuted("action_listen", timestamp=at + 0.3))
    return tracker


def test_a_handled_message_moves_the_counters(recorder, tmp_path):
    store = InMemoryTrackerStore(Domain.empty(), event_broker=MetricsBroker())
    parse = {"intent": {"name": "red_flag_bleeding", "confidence": 1.0},
             "language": {"language": "pl", "confidence": 0.9, "method": "lingua"},
             "red_flag": {"category": "bleeding", "categories": ["bleeding"], "source": "lexicon"}}
    asyncio.run(store.save(turn("a" * 64, "Krwawię mocno", parse, "webchat", replies=2, at=1000.0)))
    asyncio.run(store.save(turn("b" * 64, "3", {"intent": {"name": "menu_choice"}}, "telegram", replies=1, at=2000.0)))

    text = exposition(tmp_path)
    assert sample(text, 'doula_messages_received_total{channel="webchat",language="pl"}') == 1
    assert sample(text, 'doula_messages_received_total{channel="telegram",language="und"}') == 1
    assert sample(text, 'doula_red_flags_total{category="bleeding"}') == 1
    assert sample(text, 'doula_replies_sent_total{channel="webchat"}') == 2
    assert sample(text, 'doula_replies_sent_total{channel="telegram"}') == 1
    assert sample(text, "doula_message_seconds_count") == 2
    assert sample(text, "doula_message_seconds_sum") == pytest.approx(0.6)
    assert "Krwawi" not in text and "a" * 64 not in text  # never her words nor her id


def test_a_malformed_event_is_not_counted_and_not_raised(recorder, tmp_path):
    MetricsBroker().publish({"event": "user", "sender_id": "x", "parse_data": "not a dict"})
    assert sample(exposition(tmp_path), "doula_message_seconds_count") == 0
