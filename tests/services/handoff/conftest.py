"""A desk on a fresh SQLite database with a clock the test moves."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.services.handoff.desk import HandoffDesk
from bot.services.handoff.hours import WorkingHours
from bot.storage.database import engine_for


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))  # a Thursday, in working hours


@pytest.fixture
def desk(tmp_path, clock) -> HandoffDesk:
    engine = engine_for(f"sqlite:///{tmp_path / 'doula.db'}")
    return HandoffDesk(engine, "test-contact-key", WorkingHours.parse("Mon-Fri 09:00-17:00", "Europe/London"),
                       sla_minutes=30, clock=clock)
