"""Where data about a pseudonymous sender lives, and the audit trail of what was done to it.

Two databases: doula's own (`DATABASE_URL`, tables of `bot.storage.database.metadata`) and Rasa's tracker store
(`TRACKER_STORE_URL`, Rasa's `events` table). In production they are usually the same PostgreSQL database; in the
embedded profile two SQLite files. The tracker engine is opened without creating doula's tables in it (Rasa owns
that database), and without creating `events` either: if Rasa has not run yet there is nothing to find.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect, select
from sqlalchemy.engine import Connection, Engine

from bot.settings import Settings
from bot.storage.database import audit_log, engine_for, metadata, sqlite_url, staff_users

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent), the columns doula reads. One row per event:
# `data` is the event as JSON (her text for a `user` event, the bot's for a `bot` event), `timestamp` a Unix time.
rasa_metadata = MetaData()
tracker_events = Table(
    "events",
    rasa_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

_lock = threading.Lock()


def app_engine(settings: Settings) -> Engine:
    """doula's own database (tables created if missing), shared with the rest of the process."""
    return engine_for(settings.database_url)


def tracker_engine(settings: Settings) -> Engine:
    """Rasa's tracker store. Relative SQLite paths are relative to the project, as `doula run` gives them to Rasa."""
    if settings.tracker_store_url == settings.database_url:
        return app_engine(settings)
    with _lock:
        return _tracker_engine(settings.tracker_store_url)


@lru_cache(maxsize=4)
def _tracker_engine(url: str) -> Engine:
    return create_engine(sqlite_url(url), future=True, pool_pre_ping=True)


def has_tracker_events(engine: Engine) -> bool:
    """Whether Rasa has created its `events` table in this database yet."""
    return inspect(engine).has_table(tracker_events.name)


def sender_tables(connection: Connection) -> Iterator[Table]:
    """Every application table with a `sender_id` column that exists in this database: new ones (e.g. consents)
    are covered without a change here, as long as their module has been imported (they are all defined in
    bot/storage/database.py). A table declared but not yet created (a PostgreSQL database before `doula db
    upgrade`) holds nothing to find."""
    existing = set(inspect(connection).get_table_names())
    for table in metadata.sorted_tables:
        if "sender_id" in table.c and table.name in existing:
            yield table


def children(parent: Table) -> Iterator[tuple[Table, Column, Column]]:
    """Tables with a foreign key to `parent`: (child table, its column, the parent column it refers to)."""
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is parent:
                yield table, fk.parent, fk.column


def staff_id(connection: Connection, actor: str) -> int | None:
    """The staff account of an actor written `staff:<username>`, for the audit log; None for her or the CLI."""
    if not actor.startswith("staff:"):
        return None
    row = connection.execute(select(staff_users.c.id).where(staff_users.c.username == actor[len("staff:"):])).first()
    return row.id if row else None


def audit(connection: Connection, now: datetime, actor: str, action: str, detail: str) -> None:
    """One line in the audit log, as the console writes them: who, what, counts. Never an address or any text,
    and not her pseudonymous id either (keeping it after an erasure would keep a link to her)."""
    text = f"{actor}: {detail}" if detail else actor
    connection.execute(audit_log.insert().values(at=now, staff_id=staff_id(connection, actor), action=action,
                                                 request_id=None, detail=text[:200]))
