"""Schema migrations of doula's own tables (not Rasa's tracker store, which Rasa creates itself).

Small on purpose, instead of Alembic (not a dependency): the tables are declared once, in
:mod:`bot.storage.database`, and :func:`upgrade` brings a database up to that declaration in two passes:

1. **additive sync** (:mod:`.schema`): tables, columns and indexes declared in `metadata` but missing in the database
   are created. Most changes are of this kind (a new table, a new nullable column or one with a default), so they
   need no migration file at all;
2. **numbered migrations** (:mod:`.steps`): everything else (a rename, a type change, a data fix, a new NOT NULL
   column without a default), applied once each, in order, and recorded in the `doula_migrations` table.

Embedded (SQLite) databases are upgraded automatically at first use; a PostgreSQL database is upgraded only by
`doula db upgrade`, and `doula run --profile production` refuses to start on an out-of-date schema (see
docs/deployment.md, "Upgrades").
"""

from bot.storage.migrations.runner import (
    MigrationError,
    SchemaStatus,
    ensure_current,
    status,
    upgrade,
)

__all__ = ["MigrationError", "SchemaStatus", "ensure_current", "status", "upgrade"]
