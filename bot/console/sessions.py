"""Console sessions: a random token in a cookie, and only its SHA-256 in the database.

A stolen copy of the database therefore cannot be replayed as a login. A session ends after 30 minutes without
activity (a console left open on a ward PC) and at the latest 12 hours after login (one shift), when its user is
disabled or given a new password, and at logout. Each session has its own CSRF token: the page reads it from
``/api/me`` and sends it in ``X-CSRF-Token`` with every change, which another site cannot do.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Engine

from bot.console.staff import StaffUser, user_from_row
from bot.storage.database import as_utc, staff_sessions, staff_users

COOKIE = "doula_staff"
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# last_seen_at is written at most this often, so the page's polling does not write to the database every 3 seconds.
TOUCH_EVERY = timedelta(seconds=30)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    token_hash: str
    staff: StaffUser
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime

    def csrf_ok(self, header: str | None) -> bool:
        """Whether `header` (the request's X-CSRF-Token) is this session's token; compared in constant time."""
        return bool(header) and hmac.compare_digest(header.encode("utf-8"), self.csrf_token.encode("utf-8"))


def cookie_attributes(secure: bool, max_age: int = int(ABSOLUTE_TIMEOUT.total_seconds())) -> dict[str, object]:
    """Attributes of the session cookie: not readable by scripts, never sent by another site, https-only when the
    console is served over https."""
    return {"httponly": True, "samesite": "Strict", "secure": secure, "path": "/", "max-age": max_age}


class SessionStore:
    """Creates, checks and ends sessions. `clock` is injectable so tests can move time forward."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def create(self, staff_id: int) -> tuple[str, Session]:
        """A new session for `staff_id`: returns the cookie token (never stored) and the session."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.engine.begin() as connection:
            connection.execute(staff_sessions.insert().values(
                token_hash=token_hash(token), staff_id=staff_id, csrf_token=secrets.token_urlsafe(32),
                created_at=now, last_seen_at=now))
        session = self.lookup(token, touch=False)
        assert session is not None  # just created
        return token, session

    def lookup(self, token: str | None, touch: bool = True) -> Session | None:
        """The live session for a cookie token, or None (unknown, expired, or its user disabled).

        `touch` records activity (resets the idle timer). The page's background polling passes False, so a console
        nobody uses still times out.
        """
        if not token or len(token) > 200:
            return None
        digest = token_hash(token)
        now = self.clock()
        with self.engine.connect() as connection:
            row = connection.execute(
                select(staff_users, staff_sessions.c.csrf_token, staff_sessions.c.created_at.label("session_created"),
                       staff_sessions.c.last_seen_at)
                .join(staff_users, staff_users.c.id == staff_sessions.c.staff_id)
                .where(staff_sessions.c.token_hash == digest)).first()
        if row is None:
            return None
        created, last_seen = as_utc(row.session_created), as_utc(row.last_seen_at)
        if not row.active or now - last_seen >= IDLE_TIMEOUT or now - created >= ABSOLUTE_TIMEOUT:
            self._delete(digest)
            return None
        if touch and now - last_seen >= TOUCH_EVERY:
            with self.engine.begin() as connection:
                connection.execute(update(staff_sessions).where(staff_sessions.c.token_hash == digest)
                                   .values(last_seen_at=now))
            last_seen = now
        staff = user_from_row(row)
        return Session(digest, staff, row.csrf_token, created, last_seen)

    def end(self, token: str | None) -> None:
        """Logout: the session is deleted, so the cookie is worthless even if it was copied."""
        if token:
            self._delete(token_hash(token))

    def end_all(self, staff_id: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == staff_id))

    def purge_expired(self) -> int:
        """Delete sessions past either timeout (housekeeping; lookups refuse them anyway)."""
        now = self.clock()
        with self.engine.begin() as connection:
            return connection.execute(delete(staff_sessions).where(or_(
                staff_sessions.c.last_seen_at <= now - IDLE_TIMEOUT,
                staff_sessions.c.created_at <= now - ABSOLUTE_TIMEOUT))).rowcount

    def _delete(self, digest: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == digest))
