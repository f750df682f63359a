"""doula's SQL tracker store keeps Rasa's behaviour (same rows, same trackers) and publishes each new event once."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import ROOT
from bot.storage.tracker_store import DoulaSQLTrackerStore


class RecordingBroker(EventBroker):
    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_x"))
    tracker.update(BotUttered(f"reply to {text}"))
    tracker.update(SlotSet("language", "pl"))
    tracker.update(ActionExecuted("action_listen"))


def test_a_conversation_reads_back_as_rasa_would_store_it(tmp_path, domain):
    ours = DoulaSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasas = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    for store in (ours, rasas):
        tracker = DialogueStateTracker("sender-a", domain.slots)
        turn(tracker, "hello")
        asyncio.run(store.save(tracker))
        turn(tracker, "2")
        asyncio.run(store.save(tracker))
    mine, theirs = asyncio.run(ours.retrieve("sender-a")), asyncio.run(rasas.retrieve("sender-a"))
    def without_time(tracker):
        return [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in tracker.events]

    assert without_time(mine) == without_time(theirs)
    assert mine.get_slot("language") == "pl"
    assert asyncio.run(ours.retrieve("nobody")) is None
    # Rasa's own store reads what ours wrote: the table is the same
    assert len(asyncio.run(SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "ours.db"))
                           .retrieve("sender-a")).events) == len(mine.events)


def test_each_new_event_is_published_once_without_reading_the_conversation_again(tmp_path, domain, monkeypatch):
    broker = RecordingBroker()
    store = DoulaSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "t.db"), event_broker=broker)
    tracker = DialogueStateTracker("sender-b", domain.slots)
    turn(tracker, "hello")
    asyncio.run(store.save(tracker))
    first = len(broker.published)
    assert first == len(tracker.events)

    retrieved = []
    monkeypatch.setattr(store, "retrieve", lambda *a: retrieved.append(a))  # Rasa's stream_events would call it
    turn(tracker, "3")
    asyncio.run(store.save(tracker))
    assert retrieved == []
    assert [e["event"] for e in broker.published[first:]] == ["user", "action", "bot", "slot", "action"]
    assert {e["sender_id"] for e in broker.published} == {"sender-b"}
    asyncio.run(store.save(tracker))  # nothing new: nothing stored or published twice
    assert len(broker.published) == len(tracker.events)


def test_a_tracker_it_built_is_saved_without_counting_the_stored_rows(tmp_path, domain, monkeypatch):
    store = DoulaSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "ours.db"))
    first = DialogueStateTracker("sender-c", domain.slots)
    turn(first, "hello")
    asyncio.run(store.save(first))  # a tracker made elsewhere: its stored rows are counted, as Rasa does

    counted: list[str] = []
    real = SQLTrackerStore._additional_events

    def counting(self, session, tracker):
        counted.append(tracker.sender_id)
        return real(self, session, tracker)

    monkeypatch.setattr(SQLTrackerStore, "_additional_events", counting)
    for text in ("2", "3"):  # each message: retrieve, handle, save, as Rasa's processor does under the lock
        tracker = asyncio.run(store.retrieve("sender-c"))
        turn(tracker, text)
        asyncio.run(store.save(tracker))
        asyncio.run(store.save(tracker))  # saved again with nothing new: nothing written twice
    assert counted == []
    stored = asyncio.run(store.retrieve("sender-c"))
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["hello", "2", "3"]
    assert len(stored.events) == 15

    copy = stored.copy()  # not built by the store: counted, and still right
    turn(copy, "4")
    asyncio.run(store.save(copy))
    assert counted == ["sender-c"]
    assert len(asyncio.run(store.retrieve("sender-c")).events) == 20
