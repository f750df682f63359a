"""Sessions: only the token's hash is stored; idle and absolute expiry (injected clock); per-session CSRF tokens."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from bot.console.sessions import (
    ABSOLUTE_TIMEOUT,
    IDLE_TIMEOUT,
    SessionStore,
    cookie_attributes,
)
from bot.console.staff import StaffDirectory
from bot.storage.database import staff_sessions
from tests.console.conftest import FakeClock

PASSWORD = "correct horse battery staple"


def store_for(directory: StaffDirectory) -> tuple[SessionStore, int]:
    user = directory.add("mary", "Mary", "midwife", "", PASSWORD)
    return SessionStore(directory.engine, clock=directory.clock), user.id


def test_only_the_hash_is_stored(directory: StaffDirectory) -> None:
    sessions, staff_id = store_for(directory)
    token, session = sessions.create(staff_id)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    with directory.engine.connect() as connection:
        stored = connection.execute(select(staff_sessions)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert token not in (stored.token_hash, stored.csrf_token)
    assert session.staff.id == staff_id and session.staff.username == "mary"


def test_lookup(directory: StaffDirectory) -> None:
    sessions, staff_id = store_for(directory)
    token, _ = sessions.create(staff_id)
    assert sessions.lookup(token).staff.id == staff_id
    assert sessions.lookup("not-a-token") is None
    assert sessions.lookup("") is None and sessions.lookup(None) is None
    assert sessions.lookup("x" * 500) is None


def test_idle_timeout(directory: StaffDirectory, clock: FakeClock) -> None:
    sessions, staff_id = store_for(directory)
    token, _ = sessions.create(staff_id)
    clock.advance(minutes=29)
    assert sessions.lookup(token) is not None  # activity: the idle timer starts again
    clock.advance(minutes=29)
    assert sessions.lookup(token) is not None
    clock.advance(seconds=IDLE_TIMEOUT.total_seconds())
    assert sessions.lookup(token) is None
    clock.advance(seconds=-IDLE_TIMEOUT.total_seconds())
    assert sessions.lookup(token) is None, "an expired session is deleted, not just refused"


def test_background_polling_does_not_keep_a_session_alive(directory: StaffDirectory, clock: FakeClock) -> None:
    sessions, staff_id = store_for(directory)
    token, _ = sessions.create(staff_id)
    for _ in range(9):
        clock.advance(minutes=3)
        assert sessions.lookup(token, touch=False) is not None
    clock.advance(minutes=3)
    assert sessions.lookup(token, touch=False) is None


def test_absolute_timeout(directory: StaffDirectory, clock: FakeClock) -> None:
    sessions, staff_id = store_for(directory)
    token, _ = sessions.create(staff_id)
    steps = int(ABSOLUTE_TIMEOUT / (IDLE_TIMEOUT / 2))
    for _ in range(steps - 1):
        clock.advance(seconds=IDLE_TIMEOUT.total_seconds() / 2)
        assert sessions.lookup(token) is not None
    clock.advance(seconds=IDLE_TIMEOUT.total_seconds() / 2)
    assert sessions.lookup(token) is None, "busy or not, a session ends 12 hours after login"


def test_csrf_token_per_session(directory: StaffDirectory) -> None:
    sessions, staff_id = store_for(directory)
    _, first = sessions.create(staff_id)
    _, second = sessions.create(staff_id)
    assert first.csrf_token != second.csrf_token and len(first.csrf_token) >= 43
    assert first.csrf_ok(first.csrf_token)
    assert not first.csrf_ok(second.csrf_token)
    assert not first.csrf_ok("") and not first.csrf_ok(None)


def test_end_and_end_all(directory: StaffDirectory) -> None:
    sessions, staff_id = store_for(directory)
    first, _ = sessions.create(staff_id)
    second, _ = sessions.create(staff_id)
    sessions.end(first)
    assert sessions.lookup(first) is None and sessions.lookup(second) is not None
    sessions.end_all(staff_id)
    assert sessions.lookup(second) is None


def test_purge_expired(directory: StaffDirectory, clock: FakeClock) -> None:
    sessions, staff_id = store_for(directory)
    sessions.create(staff_id)
    clock.advance(minutes=10)
    live, _ = sessions.create(staff_id)
    clock.advance(minutes=25)
    assert sessions.purge_expired() == 1
    assert sessions.lookup(live) is not None


def test_cookie_attributes() -> None:
    assert cookie_attributes(secure=False) == {"httponly": True, "samesite": "Strict", "secure": False, "path": "/",
                                              "max-age": 12 * 3600}
    assert cookie_attributes(secure=True)["secure"] is True
