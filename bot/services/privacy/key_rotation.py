"""Re-encrypt every stored address and handoff message with the first key of `DOULA_CONTACT_KEY`.

`DOULA_CONTACT_KEY` may hold several comma-separated keys (bot/storage/contacts.py, `fernet`): the first encrypts,
all decrypt. To replace a key: set `new,old`, restart, run `doula privacy rotate-key`, then set `new` alone. After
the rotation nothing needs the old key, so it can be destroyed (docs/privacy.md).

Rows are rotated in batches, each its own transaction: a rotation interrupted half way is simply run again (a token
already under the first key is re-encrypted under it once more, which is harmless).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography.fernet import InvalidToken
from sqlalchemy import Table, select, update

from bot.services.privacy import stores
from bot.settings import Settings
from bot.storage.contacts import fernet
from bot.storage.database import contacts, handoff_messages

BATCH = 500
AUDIT_ACTION = "privacy_rotate_key"


class RotationError(RuntimeError):
    """A stored value that no key of DOULA_CONTACT_KEY decrypts: the key it was written with is missing."""


@dataclass(frozen=True)
class Rotation:
    contacts: int  # addresses re-encrypted
    handoff_messages: int  # message rows re-encrypted (body, and the staff member's original when translated)

    @property
    def total(self) -> int:
        return self.contacts + self.handoff_messages


def rotate_key(settings: Settings, *, actor: str = "cli", now: datetime | None = None) -> Rotation:
    """Re-encrypt with the first key every address in `contacts` and every body in `handoff_messages`."""
    engine = stores.app_engine(settings)
    cipher = fernet(settings.contact_key)
    counts = {}
    for table, key, columns in ((contacts, contacts.c.sender_id, ("address",)),
                                (handoff_messages, handoff_messages.c.id, ("body", "original"))):
        counts[table.name] = _rotate_table(engine, cipher, table, key, columns)
    rotation = Rotation(contacts=counts["contacts"], handoff_messages=counts["handoff_messages"])
    with engine.begin() as connection:
        stores.audit(connection, now or datetime.now(timezone.utc), actor, AUDIT_ACTION,
                     f"contacts={rotation.contacts} handoff_messages={rotation.handoff_messages}")
    return rotation


def _rotate_table(engine, cipher, table: Table, key, columns: tuple[str, ...]) -> int:
    done, after = 0, None
    while True:
        with engine.begin() as connection:
            query = select(key, *(table.c[name] for name in columns)).order_by(key).limit(BATCH)
            if after is not None:
                query = query.where(key > after)
            rows = connection.execute(query).all()
            for row in rows:
                values = {}
                for name in columns:
                    token = getattr(row, name)
                    if token is None:
                        continue
                    try:
                        values[name] = cipher.rotate(bytes(token))
                    except InvalidToken as exc:
                        raise RotationError(f"{table.name} {row[0]} is not readable with any key of "
                                            "DOULA_CONTACT_KEY: add the key it was written with after the new one "
                                            "(new,old)") from exc
                connection.execute(update(table).where(key == row[0]).values(**values))
        done += len(rows)
        if len(rows) < BATCH:
            return done
        after = rows[-1][0]
