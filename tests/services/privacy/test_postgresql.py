"""Erasure and retention on PostgreSQL, as in production: Rasa's events and doula's tables in one database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg2
import pytest

from bot.services.privacy.erase import CLI, erase
from bot.services.privacy.retention import run_retention
from bot.settings import Settings
from bot.storage.database import engine_for
from bot.storage.migrations import upgrade
from tests.postgres import throwaway_database
from tests.services.privacy.conftest import CONTACT_KEY, NOW, converse, desk, remember


@pytest.fixture
def database() -> Iterator[str]:
    with throwaway_database("doula_privacy", "the privacy tests") as url:
        yield url
        engine_for(url).dispose()


def events(url: str, sender_id: str) -> int:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender_id,))
        return cursor.fetchone()[0]


def test_erase_and_retention_on_postgresql(database: str) -> None:
    settings = Settings(profile="production", database_url=database, tracker_store_url=database,
                        contact_key=CONTACT_KEY, sender_key="s" * 40)
    upgrade(engine_for(database))  # `doula db upgrade`
    her, other, old = ("sms-" + c * 32 for c in "abc")
    for sender_id, days in ((her, 1), (other, 1), (old, 120)):
        converse(settings, sender_id, NOW - timedelta(days=days))
        remember(settings, sender_id, "+447700900123", NOW - timedelta(days=days))
    handoff = desk(settings, lambda: NOW - timedelta(days=1))
    request, _ = handoff.open(her, "sms", "en", "asked_for_person")
    handoff.record_from_her(request.id, "please call")

    erasure = erase(settings, her, actor=CLI, now=NOW)
    assert (erasure.tracker_events, erasure.contacts, erasure.handoff_requests) == (4, 1, 1)
    assert erasure.handoff_messages >= 1 and erasure.staff_notifications == 1
    assert events(database, her) == 0 and events(database, other) == 4

    dry = run_retention(settings, now=NOW, dry_run=True)
    assert (dry.count("tracker_events"), dry.count("contacts"), dry.senders) == (4, 1, 1)
    assert events(database, old) == 4
    result = run_retention(settings, now=NOW)
    assert result.counts == dry.counts
    assert events(database, old) == 0 and events(database, other) == 4
