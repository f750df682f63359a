"""Numbered migrations: the changes the additive sync (:mod:`.schema`) cannot make. Each runs once, in order, inside
the upgrade's transaction, after missing tables and columns were created, and is recorded in `doula_migrations`.

How to add one: append a :class:`Migration` with the next number and a function taking a SQLAlchemy `Connection`.
It must also be correct on a database just created from the current `metadata` (a fresh install runs every step):
check before you change, e.g. rename a column only if the old one exists. Never edit a step once released.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[Connection], None]


def _baseline(connection: Connection) -> None:
    """The tables as declared when migrations were introduced: the additive sync has created them; nothing else."""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "baseline", _baseline),
)
