"""`upgrade`, `status` and `ensure_current`: the additive sync, then the numbered migrations, in one transaction.

Two upgrades at once (two operators, or processes starting together on SQLite) must not both create a table: on
PostgreSQL a transaction-scoped advisory lock serialises them (and DDL there is transactional: an upgrade that fails
leaves nothing half done); on SQLite the loser of the race sees the tables on its second attempt.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from bot.storage.migrations.schema import Change, MigrationError, apply, missing
from bot.storage.migrations.steps import MIGRATIONS, Migration

# Its own MetaData: the record of migrations is not one of the application's tables.
versions = Table(
    "doula_migrations",
    MetaData(),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

_ADVISORY_LOCK_KEY = 0x646F756C61  # "doula"


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands against the code: applied migration numbers and what an upgrade would do."""

    applied: tuple[int, ...]
    changes: tuple[Change, ...] = field(default=())
    migrations: tuple[Migration, ...] = field(default=())

    @property
    def current(self) -> bool:
        return not self.changes and not self.migrations

    @property
    def version(self) -> int | None:
        return max(self.applied) if self.applied else None

    def pending(self) -> list[str]:
        return [c.describe() for c in self.changes] + [f"migration {m.number:04d} {m.name}" for m in self.migrations]


def _metadata() -> MetaData:
    from bot.storage.database import metadata  # lazy: database.py calls into this package

    return metadata


def _status(connection: Connection) -> SchemaStatus:
    applied: tuple[int, ...] = ()
    if inspect(connection).has_table(versions.name):
        applied = tuple(connection.execute(select(versions.c.number).order_by(versions.c.number)).scalars())
    return SchemaStatus(
        applied=applied,
        changes=tuple(missing(connection, _metadata())),
        migrations=tuple(m for m in MIGRATIONS if m.number not in applied),
    )


def status(engine: Engine) -> SchemaStatus:
    with engine.connect() as connection:
        return _status(connection)


def _upgrade_once(engine: Engine) -> list[str]:
    done: list[str] = []
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK_KEY})")
        versions.create(connection, checkfirst=True)
        state = _status(connection)
        for change in state.changes:
            apply(connection, _metadata(), change)
            done.append(change.describe())
        for migration in state.migrations:
            migration.apply(connection)
            connection.execute(versions.insert().values(
                number=migration.number, name=migration.name, applied_at=datetime.now(timezone.utc)))
            done.append(f"migration {migration.number:04d} {migration.name}")
    return done


def upgrade(engine: Engine) -> list[str]:
    """Bring the database up to the code; return what was done (empty when it already was: upgrading is
    idempotent)."""
    try:
        return _upgrade_once(engine)
    except (OperationalError, ProgrammingError, IntegrityError):
        if engine.dialect.name != "sqlite":
            raise
        # Another process created the same table between our check and our CREATE: look again, now it exists.
        time.sleep(0.2)
        return _upgrade_once(engine)


def ensure_current(engine: Engine) -> SchemaStatus:
    """The status, or MigrationError naming what is missing and the command that adds it."""
    state = status(engine)
    if not state.current:
        shown = state.pending()
        more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
        raise MigrationError(f"the database schema is not up to date ({'; '.join(shown[:5])}{more}): "
                             "run `doula db upgrade` (after a backup), then start again")
    return state
