"""Fixtures of the privacy tests: a throw-away doula database and a throw-away Rasa tracker store, filled the way
the running bot fills them (Rasa's own SQLTrackerStore writes the events; ContactBook and HandoffDesk the rest), at
times the test chooses."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import make_url

from bot.services.handoff.desk import HandoffDesk
from bot.services.handoff.hours import WorkingHours
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import contacts, engine_for

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
CONTACT_KEY = "a-test-contact-key-of-some-length"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path}/doula.db", tracker_store_url=f"sqlite:///{tmp_path}/tracker.db",
                    contact_key=CONTACT_KEY, sender_key="s" * 40, handoff_hours="always")


def rasa_store(url: str):
    """Rasa's own SQLTrackerStore on `url`: the `events` table is exactly the one a running bot has."""
    from rasa.core.tracker_store import SQLTrackerStore

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SQLTrackerStore(dialect="sqlite", db=parsed.database)
    return SQLTrackerStore(dialect="postgresql", host=parsed.host, port=parsed.port or 5432, db=parsed.database,
                           username=parsed.username, password=parsed.password)


def converse(settings: Settings, sender_id: str, at: datetime, *, turns: int = 1) -> None:
    """A short conversation of `sender_id` ending at `at`, saved by Rasa into the tracker store. Once per sender:
    Rasa appends only events beyond those it already has, so a second call would add nothing."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = rasa_store(settings.tracker_store_url)
    events = []
    for turn in range(turns):
        stamp = (at - timedelta(minutes=turns - turn)).timestamp()
        events += [UserUttered(f"my message {turn} from {sender_id}", {"name": "ask_topic"}, timestamp=stamp),
                   SlotSet("language", "en", timestamp=stamp),
                   ActionExecuted("action_answer", timestamp=stamp),
                   BotUttered(f"a reply {turn}", timestamp=stamp)]
    tracker = DialogueStateTracker.from_events(sender_id, events)
    asyncio.run(store.save(tracker))
    store.engine.dispose()


def remember(settings: Settings, sender_id: str, address: str, at: datetime, channel: str = "sms") -> None:
    """Her encrypted contact, as the channel stores it, last written to at `at`."""
    engine = engine_for(settings.database_url)
    ContactBook(engine, settings.contact_key).remember(sender_id, channel, address)
    with engine.begin() as connection:
        connection.execute(update(contacts).where(contacts.c.sender_id == sender_id).values(last_inbound_at=at))


def desk(settings: Settings, clock: Callable[[], datetime]) -> HandoffDesk:
    return HandoffDesk(engine_for(settings.database_url), settings.contact_key,
                       WorkingHours.parse("always", "Europe/London"), 30, clock=clock)


def with_key(settings: Settings, key: str) -> Settings:
    return replace(settings, contact_key=key)
