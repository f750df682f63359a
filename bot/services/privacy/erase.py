"""Right to erasure: delete everything doula holds about one pseudonymous sender.

What goes: her Rasa tracker events (every message she sent, every reply, her slots), her handoff requests with their
messages and the staff notifications about them, her encrypted contact (address, opt-out), her unfinished feedback,
the channel message ids of her messages, and a row of any other table with a `sender_id` column (consents, ...),
children first (foreign keys).

What stays, and why:
- `feedback`: saved feedback is anonymised and has no sender id, no exact time: nothing links it to her, so it
  cannot be found to be erased (docs/privacy.md says so in the privacy notice).
- `handled_messages`, `delivery_failures` rows written before they had a `sender_id` column: doula cannot tell which
  are hers. Retention deletes them after a few weeks. Newer rows carry her pseudonymous id and are erased with the
  rest (a Twilio MessageSid leads to her number in the Twilio account).
- `audit_log`: staff actions on her requests stay (accountability); they hold no text, and once her request is
  deleted their request number leads nowhere. The erasure itself is audited with counts, not her id.

A sync function (callers in the event loop use `asyncio.to_thread`). Each database is changed in one transaction:
an erasure that fails half way leaves that database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.services.privacy import stores
from bot.settings import Settings

# Actors, as they appear in the audit log: `HER` (she asked, e.g. "DELETE"), `CLI` (`doula privacy erase`),
# `staff:<username>` (a staff member, from the console), `RETENTION` (`doula retention run`).
HER = "her"
CLI = "cli"
RETENTION = "retention"
AUDIT_ACTION = "privacy_erase"


@dataclass(frozen=True)
class Erasure:
    """How many rows were deleted from each store. `others` holds tables added later with a `sender_id`."""

    tracker_events: int = 0
    handoff_requests: int = 0
    handoff_messages: int = 0
    staff_notifications: int = 0
    contacts: int = 0
    feedback_sessions: int = 0
    consents: int = 0
    handled_messages: int = 0  # channel message ids of her messages
    delivery_failures: int = 0  # failed deliveries to her
    others: tuple[tuple[str, int], ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    def counts(self) -> dict[str, int]:
        """Every store and its count, the named ones first (what the CLI prints and the audit log records)."""
        named = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "others"}
        return {**named, **dict(self.others)}

    def summary(self) -> str:
        """`tracker_events=12 contacts=1 ...`: the non-zero counts, or `nothing`."""
        return " ".join(f"{name}={n}" for name, n in self.counts().items() if n) or "nothing"


def erase(settings: Settings, sender_id: str, *, actor: str, now: datetime | None = None) -> Erasure:
    """Delete everything held about `sender_id` (a pseudonymous id) and audit it as done by `actor`."""
    if not sender_id:
        raise ValueError("an erasure needs a sender id")
    now = now or datetime.now(timezone.utc)
    counts: dict[str, int] = {}
    tracker = stores.tracker_engine(settings)
    app = stores.app_engine(settings)
    if stores.has_tracker_events(tracker):
        with tracker.begin() as connection:
            events = stores.tracker_events
            counts["tracker_events"] = connection.execute(
                delete(events).where(events.c.sender_id == sender_id)).rowcount or 0
    with app.begin() as connection:
        for table in stores.sender_tables(connection):
            delete_with_children(connection, table, table.c.sender_id == sender_id, counts)
        erasure = _erasure(counts)
        stores.audit(connection, now, actor, AUDIT_ACTION, erasure.summary())
    return erasure


def delete_with_children(connection: Connection, table, where: ColumnElement[bool], counts: dict[str, int]) -> None:
    """Delete the rows of `table` matching `where`, after the rows of other tables that refer to them (recursively),
    adding each table's count to `counts`."""
    for child, column, referred in stores.children(table):
        delete_with_children(connection, child, column.in_(select(referred).where(where)), counts)
    deleted = connection.execute(delete(table).where(where)).rowcount or 0
    counts[table.name] = counts.get(table.name, 0) + deleted


def _erasure(counts: dict[str, int]) -> Erasure:
    named = {f.name for f in fields(Erasure)} - {"others"}
    others = tuple(sorted((name, n) for name, n in counts.items() if name not in named))
    return Erasure(**{name: n for name, n in counts.items() if name in named}, others=others)
