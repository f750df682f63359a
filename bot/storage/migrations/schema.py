"""The additive part of a migration: what `metadata` declares that the database lacks (tables, columns, indexes).

Only additions are made here, never a drop or an alteration, so running it against any database is safe: a column
the code no longer declares stays (and is ignored) until a numbered migration removes it on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, MetaData, Table, inspect, literal
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import ClauseElement


class MigrationError(RuntimeError):
    """The database cannot be brought up to date automatically; the message says what to do."""


@dataclass(frozen=True)
class Change:
    """One missing object: a table, a column of an existing table, or an index of an existing table."""

    kind: str  # table | column | index
    table: str
    name: str = ""

    def describe(self) -> str:
        if self.kind == "table":
            return f"create table {self.table}"
        return f"add {self.kind} {self.table}.{self.name}"


def missing(connection: Connection, metadata: MetaData) -> list[Change]:
    """What `metadata` declares and the database lacks, tables first (in dependency order)."""
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    changes: list[Change] = []
    for table in metadata.sorted_tables:
        if table.name not in existing:
            changes.append(Change("table", table.name))
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        changes += [Change("column", table.name, c.name) for c in table.columns if c.name not in columns]
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        changes += [Change("index", table.name, i.name) for i in table.indexes if i.name not in indexes]
    return changes


def apply(connection: Connection, metadata: MetaData, change: Change) -> None:
    table = metadata.tables[change.table]
    if change.kind == "table":
        table.create(connection)  # with its indexes
    elif change.kind == "column":
        connection.exec_driver_sql(add_column_sql(connection.dialect, table, table.columns[change.name]))
    else:
        next(i for i in table.indexes if i.name == change.name).create(connection)


def add_column_sql(dialect: Dialect, table: Table, column: Column) -> str:
    """`ALTER TABLE ... ADD COLUMN` for `column`, with its default so that existing rows get a value. A NOT NULL
    column without any default cannot be added to a table that may have rows: that needs a numbered migration."""
    preparer = dialect.identifier_preparer
    sql = (f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {preparer.format_column(column)} "
           f"{column.type.compile(dialect=dialect)}")
    default = _default_sql(dialect, column)
    if default is not None:
        sql += f" DEFAULT {default}"
    if not column.nullable:
        if default is None:
            raise MigrationError(f"column {table.name}.{column.name} is NOT NULL without a default: add it with a "
                                 "numbered migration in bot/storage/migrations/steps.py")
        sql += " NOT NULL"
    return sql


def _default_sql(dialect: Dialect, column: Column) -> str | None:
    if column.server_default is not None:
        arg = getattr(column.server_default, "arg", None)
        if isinstance(arg, ClauseElement):
            return f"({arg.compile(dialect=dialect)})"
        if isinstance(arg, str):
            return _literal(dialect, column, arg)
    if column.default is not None and column.default.is_scalar:
        return _literal(dialect, column, column.default.arg)
    return None


def _literal(dialect: Dialect, column: Column, value: object) -> str:
    return str(literal(value, type_=column.type).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
