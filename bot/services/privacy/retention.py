"""Storage limitation: delete what is older than the configured periods. Run daily (`doula retention run`, e.g.
from cron or a Kubernetes CronJob); `--dry-run` counts without deleting.

The schedule (settings in bot/settings.py, reasons in docs/privacy.md):

| What | Goes when |
| --- | --- |
| Rasa tracker events of a woman | her last event is older than `DOULA_RETAIN_CONVERSATION_DAYS` (all of them) |
| her contact (encrypted address, opt-out) | she last wrote longer ago than that period |
| other rows with a `sender_id` (consents, ...) | she has been inactive that long, and the row is that old |
| handoff requests, their messages, notifications | closed longer ago than `DOULA_RETAIN_HANDOFF_DAYS` |
| unfinished feedback | untouched for 24 hours (abandoned, as the feedback flow already treats it) |
| handled message ids, delivery failures | older than `DOULA_RETAIN_LOG_DAYS` |
| staff sessions | past the console's idle or absolute timeout |
| audit log entries | older than `DOULA_RETAIN_AUDIT_DAYS` |

A woman with an open (waiting or claimed) handoff request keeps her conversation, contact and consents: staff must
be able to reach her. Saved feedback is anonymised (no sender, only the month) and is not personal data: the MVP
decides how long to keep it. The `translations` cache holds only the bot's own texts.

Two databases: the tracker store is pruned first, in its own transaction, then doula's database in one transaction.
`now` is a parameter so tests control the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, and_, delete, func, or_, select
from sqlalchemy.engine import Connection

from bot.console.sessions import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT
from bot.services.feedback.sessions import MAX_AGE as FEEDBACK_MAX_AGE
from bot.services.privacy import stores
from bot.services.privacy.erase import RETENTION, delete_with_children
from bot.settings import Settings
from bot.storage.database import (
    audit_log,
    contacts,
    delivery_failures,
    feedback_sessions,
    handled_messages,
    handoff_requests,
    staff_sessions,
)

AUDIT_ACTION = "privacy_retention"
OPEN = ("waiting", "claimed")
CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class RetentionRun:
    """Rows deleted (or, in a dry run, that would be) per table, and the cut-off times used."""

    counts: tuple[tuple[str, int], ...]
    senders: int  # women whose conversation was deleted
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self, table: str) -> int:
        return dict(self.counts).get(table, 0)

    def summary(self) -> str:
        return " ".join(f"{name}={n}" for name, n in self.counts if n) or "nothing"


@dataclass(frozen=True)
class Cutoffs:
    conversation: datetime
    handoff: datetime
    log: datetime
    audit: datetime
    feedback_session: datetime
    session_idle: datetime
    session_absolute: datetime

    @classmethod
    def of(cls, settings: Settings, now: datetime) -> Cutoffs:
        return cls(conversation=now - timedelta(days=settings.retain_conversation_days),
                   handoff=now - timedelta(days=settings.retain_handoff_days),
                   log=now - timedelta(days=settings.retain_log_days),
                   audit=now - timedelta(days=settings.retain_audit_days),
                   feedback_session=now - FEEDBACK_MAX_AGE,
                   session_idle=now - IDLE_TIMEOUT,
                   session_absolute=now - ABSOLUTE_TIMEOUT)


def run_retention(settings: Settings, *, now: datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Delete (or count, with `dry_run`) everything past its retention period at `now`."""
    now = now or datetime.now(timezone.utc)
    cut = Cutoffs.of(settings, now)
    counts: dict[str, int] = {}
    app = stores.app_engine(settings)
    with app.connect() as connection:
        protected = set(connection.scalars(
            select(handoff_requests.c.sender_id).where(handoff_requests.c.status.in_(OPEN)).distinct()))
    old_senders, recent_senders = _prune_tracker(settings, cut.conversation, protected, dry_run, counts)
    with app.begin() as connection:
        recent_senders |= protected | set(connection.scalars(
            select(contacts.c.sender_id).where(contacts.c.last_inbound_at >= cut.conversation)))
        _prune_app(connection, cut, recent_senders, counts)
        result = RetentionRun(tuple(counts.items()), senders=len(old_senders), dry_run=dry_run)
        if dry_run:
            connection.rollback()
        else:
            stores.audit(connection, now, RETENTION, AUDIT_ACTION, result.summary())
    return result


def _prune_tracker(settings: Settings, cutoff: datetime, protected: set[str], dry_run: bool,
                   counts: dict[str, int]) -> tuple[set[str], set[str]]:
    """Delete the events of every sender whose last event is older than `cutoff`; return (those senders, the
    senders active since). Rasa's timestamps are Unix times."""
    counts["tracker_events"] = 0
    engine = stores.tracker_engine(settings)
    if not stores.has_tracker_events(engine):
        return set(), set()
    events = stores.tracker_events
    last = func.max(events.c.timestamp)
    with engine.begin() as connection:
        rows = connection.execute(select(events.c.sender_id, last).group_by(events.c.sender_id)).all()
        old = {sender for sender, at in rows if at is not None and at < cutoff.timestamp()} - protected
        recent = {sender for sender, _ in rows} - old
        for chunk in _chunks(sorted(old)):
            counts["tracker_events"] += connection.execute(
                delete(events).where(events.c.sender_id.in_(chunk))).rowcount or 0
        if dry_run:
            connection.rollback()
    return old, recent


def _prune_app(connection: Connection, cut: Cutoffs, recent: set[str], counts: dict[str, int]) -> None:
    def prune(table, where) -> None:
        delete_with_children(connection, table, where, counts)

    prune(handoff_requests, and_(handoff_requests.c.status == "closed", handoff_requests.c.closed_at < cut.handoff))
    # Her contact: by her last message; an open request (in `recent`) keeps it.
    stale = set(connection.scalars(select(contacts.c.sender_id).where(
        or_(contacts.c.last_inbound_at < cut.conversation, contacts.c.last_inbound_at.is_(None))))) - recent
    counts.setdefault("contacts", 0)
    for chunk in _chunks(sorted(stale)):
        prune(contacts, contacts.c.sender_id.in_(chunk))
    prune(feedback_sessions, feedback_sessions.c.updated_at < cut.feedback_session)
    for table in stores.sender_tables(connection):
        if table not in (handoff_requests, contacts, feedback_sessions, handled_messages, delivery_failures):
            _prune_sender_table(connection, table, cut.conversation, recent, counts)
    prune(handled_messages, handled_messages.c.received_at < cut.log)
    prune(delivery_failures, delivery_failures.c.recorded_at < cut.log)
    prune(staff_sessions, or_(staff_sessions.c.last_seen_at <= cut.session_idle,
                              staff_sessions.c.created_at <= cut.session_absolute))
    prune(audit_log, audit_log.c.at < cut.audit)


def _prune_sender_table(connection: Connection, table, cutoff: datetime, recent: set[str],
                        counts: dict[str, int]) -> None:
    """Rows of a table that only says `sender_id` (e.g. consents): those of inactive senders whose every time column
    is older than the conversation period (so a row written a moment ago, before Rasa saved her first event, stays)."""
    times = [column for column in table.c if isinstance(column.type, DateTime)]
    old = and_(*(or_(column < cutoff, column.is_(None)) for column in times)) if times else None
    query = select(table.c.sender_id).distinct()
    if old is not None:
        query = query.where(old)
    stale = set(connection.scalars(query)) - recent
    counts.setdefault(table.name, 0)
    for chunk in _chunks(sorted(stale)):
        where = table.c.sender_id.in_(chunk)
        delete_with_children(connection, table, and_(where, old) if old is not None else where, counts)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
