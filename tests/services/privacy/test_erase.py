"""Right to erasure: every store loses her rows, nobody else's; feedback stays; the erasure is audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, Table, func, select

from bot.services.feedback.sessions import FeedbackSession, FeedbackSessions
from bot.services.privacy import stores
from bot.services.privacy.erase import CLI, HER, Erasure, erase
from bot.storage.database import (
    audit_log,
    delivery_failures,
    engine_for,
    feedback,
    handled_messages,
    metadata,
    staff_notifications,
    staff_users,
)
from bot.storage.handled import first_time
from tests.services.privacy.conftest import NOW, converse, desk, remember

HER_ID = "sms-" + "a" * 32
OTHER_ID = "sms-" + "b" * 32


def fill(settings, sender_id: str, address: str) -> int:
    """A woman with a conversation, a contact, a handoff request with three messages, and unfinished feedback."""
    converse(settings, sender_id, NOW - timedelta(days=1), turns=2)
    remember(settings, sender_id, address, NOW - timedelta(days=1))
    handoff = desk(settings, lambda: NOW - timedelta(hours=2))
    request, _ = handoff.open(sender_id, "sms", "en", "asked_for_person", "topic: feeding")
    handoff.record_from_her(request.id, "I need to speak to someone")
    handoff.claim(request.id, 7)
    handoff.reply(request.id, 7, "Hello, this is the midwife")
    handoff.note(request.id, 7, "call back tomorrow")
    FeedbackSessions(engine_for(settings.database_url)).save(
        FeedbackSession(sender_id, "went_well", {"rating": "good"}), now=NOW)
    return request.id


def count(settings, table, where=None) -> int:
    query = select(func.count()).select_from(table)
    if where is not None:
        query = query.where(where)
    with engine_for(settings.database_url).connect() as connection:
        return connection.execute(query).scalar_one()


def tracker_count(settings, sender_id: str) -> int:
    events = stores.tracker_events
    with stores.tracker_engine(settings).connect() as connection:
        return connection.execute(select(func.count()).where(events.c.sender_id == sender_id)).scalar_one()


def test_erase_deletes_her_rows_in_every_store_and_nobody_elses(settings) -> None:
    fill(settings, HER_ID, "+447700900123")
    fill(settings, OTHER_ID, "+447700900456")
    with engine_for(settings.database_url).begin() as connection:
        connection.execute(feedback.insert().values(month="2026-05", source="bot", language="en", rating="good",
                                                    themes="[]", consent_mvp=True))
    her_events = tracker_count(settings, HER_ID)
    assert her_events >= 8

    erasure = erase(settings, HER_ID, actor=HER, now=NOW)

    assert erasure == Erasure(tracker_events=her_events, handoff_requests=1, handoff_messages=4,
                              staff_notifications=1, contacts=1, feedback_sessions=1)
    assert erasure.total == her_events + 8
    assert tracker_count(settings, HER_ID) == 0
    assert tracker_count(settings, OTHER_ID) == her_events  # the same conversation, untouched
    assert count(settings, staff_notifications) == 1
    assert count(settings, feedback) == 1  # anonymised, not linked to her: kept
    assert erase(settings, HER_ID, actor=HER, now=NOW).total == 0  # a second request finds nothing


def test_erasure_is_audited_with_the_actor_and_counts_never_her_id(settings) -> None:
    fill(settings, HER_ID, "+447700900123")
    with engine_for(settings.database_url).begin() as connection:
        connection.execute(staff_users.insert().values(username="mary", display_name="Mary", role="midwife",
                                                       languages="", password_hash="x", created_at=NOW))
    erase(settings, HER_ID, actor="staff:mary", now=NOW)
    erase(settings, OTHER_ID, actor=CLI, now=NOW + timedelta(minutes=1))
    with engine_for(settings.database_url).connect() as connection:
        rows = connection.execute(select(audit_log).where(audit_log.c.action == "privacy_erase")
                                  .order_by(audit_log.c.id)).all()
    assert [row.staff_id for row in rows] == [1, None]
    assert rows[0].detail.startswith("staff:mary: tracker_events=")
    assert "handoff_messages=4" in rows[0].detail and "contacts=1" in rows[0].detail
    assert rows[1].detail == "cli: nothing"
    assert all(HER_ID not in row.detail and "+44" not in row.detail for row in rows)


@pytest.fixture
def later_tables(settings):
    """A store added after this module was written (as `consents` is): a table with a `sender_id`, and a child."""
    marks = Table("privacy_test_marks", metadata, Column("id", Integer, primary_key=True),
                  Column("sender_id", String(80), nullable=False))
    notes = Table("privacy_test_mark_notes", metadata, Column("id", Integer, primary_key=True),
                  Column("mark_id", Integer, ForeignKey("privacy_test_marks.id"), nullable=False))
    engine = engine_for(settings.database_url)
    metadata.create_all(engine, tables=[marks, notes])
    yield marks, notes
    metadata.remove(notes)
    metadata.remove(marks)


def test_any_table_with_a_sender_id_is_erased_children_first(settings, later_tables) -> None:
    marks, notes = later_tables
    with engine_for(settings.database_url).begin() as connection:
        for sender in (HER_ID, HER_ID, OTHER_ID):
            mark = connection.execute(marks.insert().values(sender_id=sender)).inserted_primary_key[0]
            connection.execute(notes.insert().values(mark_id=mark))
    erasure = erase(settings, HER_ID, actor=HER, now=NOW)
    assert dict(erasure.others) == {"privacy_test_marks": 2, "privacy_test_mark_notes": 2}
    assert erasure.total == 4
    assert count(settings, marks) == 1 and count(settings, notes) == 1


def test_erase_without_a_tracker_store_yet(settings) -> None:
    """Before Rasa has run there is no `events` table: nothing to delete there, and none is created."""
    remember(settings, HER_ID, "+447700900123", NOW)
    assert erase(settings, HER_ID, actor=CLI, now=NOW) == Erasure(contacts=1)
    assert not stores.has_tracker_events(stores.tracker_engine(settings))


def test_an_erasure_needs_an_id(settings) -> None:
    with pytest.raises(ValueError):
        erase(settings, "", actor=CLI)


def test_counts_and_summary() -> None:
    erasure = Erasure(tracker_events=3, contacts=1, others=(("consents_v2", 2),))
    assert erasure.total == 6
    assert erasure.summary() == "tracker_events=3 contacts=1 consents_v2=2"
    assert json.dumps(erasure.counts())  # printable as it is


def test_her_consents_are_erased(settings) -> None:
    from bot.storage.database import consents

    with engine_for(settings.database_url).begin() as connection:
        for sender_id in (HER_ID, HER_ID, OTHER_ID):
            connection.execute(consents.insert().values(sender_id=sender_id, notice_version=1, event="notice_shown",
                                                        language="en", at=NOW))
    assert erase(settings, HER_ID, actor=HER, now=NOW) == Erasure(consents=2)
    assert count(settings, consents) == 1


def test_her_channel_message_ids_are_erased_and_old_unattributed_ones_left_to_retention(settings) -> None:
    engine = engine_for(settings.database_url)
    assert first_time(engine, "twilio", "SM-hers", HER_ID) and first_time(engine, "twilio", "SM-other", OTHER_ID)
    assert first_time(engine, "twilio", "SM-before-the-column")  # written before rows had a sender
    with engine.begin() as connection:
        connection.execute(delivery_failures.insert().values(channel="twilio", message_id="SM-out", status="failed",
                                                             sender_id=HER_ID))

    erasure = erase(settings, HER_ID, actor=HER, now=NOW)

    assert (erasure.handled_messages, erasure.delivery_failures, erasure.others) == (1, 1, ())
    with engine.connect() as connection:
        left = set(connection.scalars(select(handled_messages.c.message_id)))
        failures = connection.execute(select(func.count()).select_from(delivery_failures)).scalar_one()
    assert left == {"SM-other", "SM-before-the-column"} and failures == 0
    assert not first_time(engine, "twilio", "SM-other")  # retries of others' messages are still recognised
