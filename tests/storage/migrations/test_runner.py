"""Upgrading doula's tables: an empty database, an up-to-date one (nothing to do), and an old one (a table and
columns missing), on SQLite and on a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from bot.storage.database import metadata
from bot.storage.migrations import MigrationError, ensure_current, status, upgrade
from bot.storage.migrations.steps import MIGRATIONS

# `contacts` as it was before opt-outs and last-inbound times, and no feedback tables at all.
OLD_CONTACTS = "CREATE TABLE contacts (sender_id VARCHAR(80) PRIMARY KEY, channel VARCHAR(32) NOT NULL, address BYTEA)"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'doula.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    engine = create_engine(url, future=True)
    yield engine
    engine.dispose()


def test_an_empty_database_gets_every_table_and_every_migration(engine):
    done = upgrade(engine)
    assert {f"create table {name}" for name in metadata.tables} <= set(done)
    assert done[-len(MIGRATIONS):] == [f"migration {m.number:04d} {m.name}" for m in MIGRATIONS]
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    state = ensure_current(engine)
    assert state.current and state.version == MIGRATIONS[-1].number


def test_upgrading_twice_does_nothing_the_second_time(engine):
    upgrade(engine)
    assert upgrade(engine) == []
    assert status(engine).pending() == []


def test_an_old_schema_is_brought_up_to_date_and_keeps_its_rows(engine):
    blob = "BYTEA" if engine.dialect.name == "postgresql" else "BLOB"
    with engine.begin() as connection:
        connection.exec_driver_sql(OLD_CONTACTS.replace("BYTEA", blob))
        connection.execute(text("INSERT INTO contacts VALUES ('abc', 'sms', :address)"), {"address": b"x"})
    state = status(engine)
    assert not state.current and state.applied == ()
    assert {"add column contacts.opted_out", "add column contacts.last_inbound_at", "create table feedback"} <= set(
        state.pending())
    with pytest.raises(MigrationError, match="doula db upgrade"):
        ensure_current(engine)

    done = upgrade(engine)
    assert "add column contacts.opted_out" in done and "create table contacts" not in done
    assert status(engine).current
    with engine.connect() as connection:
        row = connection.execute(text("SELECT sender_id, opted_out, last_inbound_at FROM contacts")).one()
    assert row[0] == "abc" and not row[1] and row[2] is None  # the declared default, for the row already there


def test_a_missing_index_is_created(engine):
    upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_feedback_month_site")
    assert status(engine).pending() == ["add index feedback.ix_feedback_month_site"]
    assert upgrade(engine) == ["add index feedback.ix_feedback_month_site"]


def test_migration_numbers_only_grow():
    numbers = [m.number for m in MIGRATIONS]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1
