"""The record of what she was told about her data, and when (the `consents` table).

Two events, each with the notice version, the language and the time (UTC):

* ``notice_shown``: the short privacy notice (bot.services.privacy_notice) was part of a reply to her;
* ``continued``: she wrote again after it, i.e. she went on using the service having been told.

This is not consent as the lawful basis: an NHS trust processes health data for care under public task (Art. 6(1)(e))
and Art. 9(2)(h). It shows, per woman, which notice she was given and that she carried on, and it makes the notice
shown again when its version changes. The rows carry her pseudonymous id, so "DELETE" and `doula privacy erase` remove
them with the rest of her data, and no "deleted" event is written afterwards: that would keep her id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.storage.database import consents

NOTICE_SHOWN = "notice_shown"
CONTINUED = "continued"
EVENTS = (NOTICE_SHOWN, CONTINUED)


@dataclass(frozen=True)
class NoticeState:
    """What the record says about one woman and one notice version."""

    shown_in: tuple[str, ...] = ()  # languages the notice was shown in, oldest first
    continued: bool = False

    @property
    def shown(self) -> bool:
        return bool(self.shown_in)


class ConsentRecord:
    """The `consents` table of doula's database. Synchronous: call it with `asyncio.to_thread` from the event loop."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, sender_id: str, event: str, version: int, language: str, now: datetime | None = None) -> None:
        if event not in EVENTS:
            raise ValueError(f"unknown consent event {event!r}")
        with self.engine.begin() as connection:
            connection.execute(consents.insert().values(
                sender_id=sender_id, notice_version=version, event=event, language=language,
                at=now or datetime.now(timezone.utc)))

    def state(self, sender_id: str, version: int) -> NoticeState:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(consents.c.event, consents.c.language)
                .where(consents.c.sender_id == sender_id, consents.c.notice_version == version)
                .order_by(consents.c.id)).all()
        shown = tuple(dict.fromkeys(r.language for r in rows if r.event == NOTICE_SHOWN))
        return NoticeState(shown_in=shown, continued=any(r.event == CONTINUED for r in rows))

    def language(self, sender_id: str) -> str | None:
        """The language of the last notice she was shown (any version): the language she reads, as far as doula's
        own database knows (Rasa's slots are in the tracker store)."""
        with self.engine.connect() as connection:
            return connection.execute(
                select(consents.c.language)
                .where(consents.c.sender_id == sender_id, consents.c.event == NOTICE_SHOWN)
                .order_by(consents.c.id.desc()).limit(1)).scalar()

    def events(self, sender_id: str) -> list[tuple[str, int, str, datetime]]:
        """Her rows, oldest first: (event, version, language, time). For subject access and tests."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(consents.c.event, consents.c.notice_version, consents.c.language, consents.c.at)
                .where(consents.c.sender_id == sender_id).order_by(consents.c.id)).all()
        return [(r.event, r.notice_version, r.language, r.at) for r in rows]


def notice_due(state: NoticeState, language: str, language_chosen_now: bool) -> bool:
    """Whether this reply must carry the notice: she has not been shown this version yet; or she has just chosen a
    language from the menu and was shown it only in another one (as the greeting is repeated in her choice). A
    language the bot merely detected does not repeat it: detection of one short message can be wrong."""
    if not state.shown:
        return True
    return language_chosen_now and language not in state.shown_in
