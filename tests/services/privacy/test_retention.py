"""Retention: rows past their period go, everything else stays, with a clock the test controls."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services.feedback.sessions import FeedbackSession, FeedbackSessions
from bot.services.privacy import stores
from bot.services.privacy.retention import run_retention
from bot.storage.database import (
    audit_log,
    contacts,
    delivery_failures,
    engine_for,
    feedback,
    feedback_sessions,
    handled_messages,
    handoff_messages,
    handoff_requests,
    staff_sessions,
)
from tests.services.privacy.conftest import NOW, converse, desk, remember

DAY = timedelta(days=1)


def sender(name: str) -> str:
    return f"sms-{name:0>32}"


OLD, RECENT, WAITING, CLOSED_LONG_AGO, CLOSED_RECENTLY = (sender(n) for n in ("1", "2", "3", "4", "5"))


@pytest.fixture
def filled(settings):
    """Five women, and a row of each housekeeping table just before and just after its cut-off."""
    for sender_id, last in ((OLD, 91), (RECENT, 89), (WAITING, 200), (CLOSED_LONG_AGO, 400), (CLOSED_RECENTLY, 364)):
        converse(settings, sender_id, NOW - last * DAY)
        remember(settings, sender_id, f"+4477009001{last:02d}", NOW - last * DAY)
    clock = [NOW - 200 * DAY]
    handoff = desk(settings, lambda: clock[0])
    handoff.open(WAITING, "sms", "en", "asked_for_person")  # never answered: she keeps everything
    for sender_id, closed in ((CLOSED_LONG_AGO, 366), (CLOSED_RECENTLY, 364)):
        clock[0] = NOW - (closed + 1) * DAY
        request, _ = handoff.open(sender_id, "sms", "en", "asked_for_person")
        handoff.record_from_her(request.id, "please call me")
        clock[0] = NOW - closed * DAY
        handoff.close(request.id, None)
    sessions = FeedbackSessions(engine_for(settings.database_url))
    sessions.save(FeedbackSession(RECENT, "rating"), now=NOW - timedelta(hours=25))
    sessions.save(FeedbackSession(WAITING, "rating"), now=NOW - timedelta(hours=23))
    with engine_for(settings.database_url).begin() as connection:
        for age in (31, 29):
            connection.execute(handled_messages.insert().values(channel="twilio", message_id=f"SM{age}",
                                                                received_at=NOW - age * DAY))
            connection.execute(delivery_failures.insert().values(channel="twilio", message_id=f"SM{age}",
                                                                 status="failed", recorded_at=NOW - age * DAY))
        connection.execute(staff_sessions.insert().values(token_hash="idle", staff_id=1, csrf_token="c",
                                                          created_at=NOW - timedelta(hours=1),
                                                          last_seen_at=NOW - timedelta(minutes=31)))
        connection.execute(staff_sessions.insert().values(token_hash="live", staff_id=1, csrf_token="c",
                                                          created_at=NOW - timedelta(hours=1),
                                                          last_seen_at=NOW - timedelta(minutes=5)))
        connection.execute(audit_log.insert().values(at=NOW - 2191 * DAY, action="login", detail="old"))
        connection.execute(audit_log.insert().values(at=NOW - 2189 * DAY, action="login", detail="kept"))
        connection.execute(feedback.insert().values(month="2019-01", source="bot", language="en", themes="[]",
                                                    consent_mvp=False))
    return settings


def senders_in_tracker(settings) -> set[str]:
    with stores.tracker_engine(settings).connect() as connection:
        return set(connection.scalars(select(stores.tracker_events.c.sender_id).distinct()))


def column(settings, table, name) -> set:
    with engine_for(settings.database_url).connect() as connection:
        return set(connection.scalars(select(table.c[name])))


def count(settings, table) -> int:
    with engine_for(settings.database_url).connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_what_goes_and_what_stays(filled) -> None:
    settings = filled
    result = run_retention(settings, now=NOW)

    # Conversations: older than 90 days go, unless an open request needs her.
    assert senders_in_tracker(settings) == {RECENT, WAITING}
    assert column(settings, contacts, "sender_id") == {RECENT, WAITING}
    assert result.senders == 3
    # Handoff: closed more than 365 days ago goes, with its messages and notifications.
    assert column(settings, handoff_requests, "sender_id") == {WAITING, CLOSED_RECENTLY}
    assert result.count("handoff_requests") == 1
    assert result.count("handoff_messages") == 2 and result.count("staff_notifications") == 1
    assert count(settings, handoff_messages) == 2  # the request closed recently: hers, and the bot's on closing
    assert column(settings, feedback_sessions, "sender_id") == {WAITING}
    assert column(settings, handled_messages, "message_id") == {"SM29"}
    assert column(settings, delivery_failures, "message_id") == {"SM29"}
    assert column(settings, staff_sessions, "token_hash") == {"live"}
    assert "old" not in column(settings, audit_log, "detail")
    assert count(settings, feedback) == 1  # anonymised: the MVP's to keep
    assert result.count("tracker_events") == 3 * 4 and result.count("contacts") == 3
    assert result.count("audit_log") == 1 and not result.dry_run
    detail = column(settings, audit_log, "detail")
    assert f"retention: {result.summary()}" in detail


def test_a_dry_run_counts_the_same_and_deletes_nothing(filled) -> None:
    settings = filled
    before = (senders_in_tracker(settings), count(settings, contacts), count(settings, handoff_messages),
              count(settings, audit_log), count(settings, handled_messages))
    dry = run_retention(settings, now=NOW, dry_run=True)
    assert dry.dry_run and dry.total > 0
    assert (senders_in_tracker(settings), count(settings, contacts), count(settings, handoff_messages),
            count(settings, audit_log), count(settings, handled_messages)) == before
    real = run_retention(settings, now=NOW)
    assert real.counts == dry.counts and real.senders == dry.senders
    assert run_retention(settings, now=NOW).total == 0  # a second run finds nothing more


def test_the_periods_come_from_the_settings(filled) -> None:
    settings = replace(filled, retain_conversation_days=30, retain_handoff_days=30)
    run_retention(settings, now=NOW)
    assert senders_in_tracker(settings) == {WAITING}
    assert column(settings, handoff_requests, "sender_id") == {WAITING}


def test_a_contact_without_a_conversation_goes_by_its_own_time(settings) -> None:
    """Webchat has no contact, SMS has both; a contact whose conversation is already gone still goes."""
    remember(settings, OLD, "+447700900111", NOW - 100 * DAY)
    remember(settings, RECENT, "+447700900222", NOW - 10 * DAY)
    result = run_retention(settings, now=NOW)
    assert column(settings, contacts, "sender_id") == {RECENT}
    assert result.count("tracker_events") == 0 and result.senders == 0


def test_consents_go_with_her_conversation(settings) -> None:
    """Rows of other tables with a `sender_id` (consents): an inactive woman's old rows go; a woman still talking
    keeps hers, and so does a row written a moment ago by someone Rasa has not stored yet."""
    from bot.storage.database import consents

    converse(settings, OLD, NOW - 100 * DAY)
    converse(settings, RECENT, NOW - DAY)
    with engine_for(settings.database_url).begin() as connection:
        for sender_id, at in ((OLD, NOW - 100 * DAY), (RECENT, NOW - 100 * DAY), (WAITING, NOW - timedelta(seconds=1))):
            connection.execute(consents.insert().values(sender_id=sender_id, notice_version=1, event="notice_shown",
                                                        language="en", at=at))
    result = run_retention(settings, now=NOW)
    assert column(settings, consents, "sender_id") == {RECENT, WAITING}
    assert result.count("consents") == 1
