"""A feedback conversation in progress (table `feedback_sessions`): the question she is answering and the answers so
far, already anonymised. The gateway reads it to know that her next message is a free-text answer to anonymise
before Rasa sees it; the row goes when the feedback is saved or abandoned, or after :data:`MAX_AGE`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from bot.storage.database import as_utc, feedback_sessions

MAX_AGE = timedelta(hours=24)  # an unfinished feedback conversation is forgotten after a day


@dataclass
class FeedbackSession:
    sender_id: str
    step: str
    answers: dict = field(default_factory=dict)


class FeedbackSessions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, sender_id: str, now: datetime | None = None) -> FeedbackSession | None:
        now = now or datetime.now(timezone.utc)
        with self.engine.connect() as connection:
            query = select(feedback_sessions).where(feedback_sessions.c.sender_id == sender_id)
            row = connection.execute(query).first()
        if row is None:
            return None
        if now - as_utc(row.updated_at) > MAX_AGE:
            self.delete(sender_id)
            return None
        return FeedbackSession(row.sender_id, row.step, json.loads(row.answers or "{}"))

    def save(self, session: FeedbackSession, now: datetime | None = None) -> None:
        values = {"step": session.step, "answers": json.dumps(session.answers, ensure_ascii=False),
                  "updated_at": now or datetime.now(timezone.utc)}
        with self.engine.begin() as connection:
            changed = connection.execute(update(feedback_sessions)
                                         .where(feedback_sessions.c.sender_id == session.sender_id)
                                         .values(**values)).rowcount
            if not changed:
                connection.execute(insert(feedback_sessions).values(sender_id=session.sender_id, **values))

    def delete(self, sender_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(feedback_sessions).where(feedback_sessions.c.sender_id == sender_id))
