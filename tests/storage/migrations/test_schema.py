"""The SQL of an added column: existing rows get the declared default; a NOT NULL column without one is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.migrations import MigrationError
from bot.storage.migrations.schema import add_column_sql

table = Table(
    "things", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("flag", Boolean, nullable=False, default=False),
    Column("label", String(16), nullable=False, server_default="none"),
    Column("note", String(50), nullable=True),
    Column("count", Integer, nullable=False),
)


@pytest.mark.parametrize(("column", "dialect", "sql"), [
    ("flag", postgresql.dialect(), "ALTER TABLE things ADD COLUMN flag BOOLEAN DEFAULT false NOT NULL"),
    ("flag", sqlite.dialect(), "ALTER TABLE things ADD COLUMN flag BOOLEAN DEFAULT 0 NOT NULL"),
    ("label", postgresql.dialect(), "ALTER TABLE things ADD COLUMN label VARCHAR(16) DEFAULT 'none' NOT NULL"),
    ("note", sqlite.dialect(), "ALTER TABLE things ADD COLUMN note VARCHAR(50)"),
])
def test_added_columns_carry_their_default(column, dialect, sql):
    assert add_column_sql(dialect, table, table.columns[column]) == sql


def test_a_not_null_column_without_default_needs_a_numbered_migration():
    with pytest.raises(MigrationError, match="numbered migration"):
        add_column_sql(sqlite.dialect(), table, table.columns["count"])
