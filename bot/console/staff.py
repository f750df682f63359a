"""Staff accounts of the console: who may log in, with which role and languages.

Accounts are made by an administrator on the server (`doula staff add`), never by self-registration: a trust knows
who its interpreters and midwives are. Logins are throttled per account by a lockout (5 failures lock it for 15
minutes) and every login, failure and account change is written to the audit log in the same transaction, without
the password. A refused login says the same thing whatever the cause, so the console does not reveal which usernames
exist; the real cause goes only to the audit log.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.console.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from bot.settings import Settings
from bot.storage.database import as_utc, audit_log, engine_for, staff_sessions, staff_users

INTERPRETER, MIDWIFE, MVP_COORDINATOR, ADMIN = "interpreter", "midwife", "mvp_coordinator", "admin"
ROLES = (INTERPRETER, MIDWIFE, MVP_COORDINATOR, ADMIN)
MIN_PASSWORD, MAX_PASSWORD = 12, 1024
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
REFUSED = "login refused: wrong username or password, or the account is locked or disabled"

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class StaffError(ValueError):
    """An account change that is not allowed (bad role, short password, unknown user ...); the message says why."""


class LoginFailed(Exception):
    """A refused login. ``str()`` is the same for every cause; ``reason`` (for the audit log only) says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(REFUSED)
        self.reason = reason


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    display_name: str
    role: str
    languages: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    created_at: datetime

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    staff_id: int | None
    action: str
    request_id: int | None
    detail: str


def user_from_row(row) -> StaffUser:
    languages = tuple(code for code in (row.languages or "").split(",") if code)
    return StaffUser(row.id, row.username, row.display_name, row.role, languages, bool(row.active),
                     as_utc(row.locked_until), as_utc(row.created_at))


def parse_languages(languages: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"so, TI"`` or ``["so", "ti"]`` -> ``("so", "ti")``: lower case, no blanks or repeats, order kept."""
    items = languages.split(",") if isinstance(languages, str) else list(languages or ())
    seen: list[str] = []
    for item in items:
        code = str(item).strip().lower()
        if code and code not in seen:
            seen.append(code)
    return tuple(seen)


def _clean_name(display_name: str) -> str:
    name = " ".join("".join(ch for ch in (display_name or "") if unicodedata.category(ch) != "Cc").split())
    if not 1 <= len(name) <= 100:
        raise StaffError("the display name must be 1 to 100 characters")
    return name


def check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise StaffError(f"the password must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise StaffError(f"the password must be at most {MAX_PASSWORD} characters")


def _audit(connection: Connection, now: datetime, staff_id: int | None, action: str, detail: str = "") -> None:
    connection.execute(audit_log.insert().values(at=now, staff_id=staff_id, action=action, request_id=None,
                                                 detail=detail[:200]))


class StaffDirectory:
    """Reads and changes staff accounts. Each method is its own transaction; `clock` is injectable for tests."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow,
                 known_languages: Collection[str] | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self._known_languages = known_languages

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs) -> StaffDirectory:
        return cls(engine_for(settings.database_url), **kwargs)

    @property
    def known_languages(self) -> Collection[str]:
        if self._known_languages is None:
            from bot.content.catalog import load_catalog

            self._known_languages = tuple(load_catalog().languages)
        return self._known_languages

    # -- reading -----------------------------------------------------------------------------------------------------
    def list(self) -> list[StaffUser]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(staff_users).order_by(staff_users.c.username)).all()
        return [user_from_row(row) for row in rows]

    def get(self, staff_id: int) -> StaffUser | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(staff_users).where(staff_users.c.id == staff_id)).first()
        return user_from_row(row) if row else None

    def by_username(self, username: str) -> StaffUser | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(staff_users).where(
                staff_users.c.username == (username or "").strip().lower())).first()
        return user_from_row(row) if row else None

    def names(self, staff_ids: Iterable[int | None]) -> dict[int, str]:
        """Display names of these accounts (for "claimed by" and the audit log)."""
        wanted = sorted({i for i in staff_ids if i is not None})
        if not wanted:
            return {}
        with self.engine.connect() as connection:
            rows = connection.execute(select(staff_users.c.id, staff_users.c.display_name)
                                      .where(staff_users.c.id.in_(wanted))).all()
        return {row.id: row.display_name for row in rows}

    def audit_trail(self, limit: int = 200) -> list[AuditEntry]:
        """The newest audit log entries, newest first (the admin's audit view)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).all()
        return [AuditEntry(r.id, as_utc(r.at), r.staff_id, r.action, r.request_id, r.detail or "") for r in rows]

    # -- changing ----------------------------------------------------------------------------------------------------
    def add(self, username: str, display_name: str, role: str, languages: str | Iterable[str] | None,
            password: str) -> StaffUser:
        """Create an account. Interpreters must cover at least one language doula knows (content/languages.yml)."""
        username = (username or "").strip().lower()
        if not _USERNAME.match(username):
            raise StaffError("the username must be 2 to 64 characters: a-z, 0-9, '.', '_' or '-', starting with a "
                             "letter or digit")
        name = _clean_name(display_name)
        if role not in ROLES:
            raise StaffError(f"the role must be one of: {', '.join(ROLES)}")
        codes = parse_languages(languages)
        unknown = [code for code in codes if code not in self.known_languages]
        if unknown:
            raise StaffError(f"unknown language code(s): {', '.join(unknown)} (see content/languages.yml)")
        if role == INTERPRETER and not codes:
            raise StaffError("an interpreter needs at least one language (e.g. --languages so,ti)")
        check_password(password)
        password_hash = hash_password(password)
        now = self.clock()
        try:
            with self.engine.begin() as connection:
                staff_id = connection.execute(staff_users.insert().values(
                    username=username, display_name=name, role=role, languages=",".join(codes),
                    password_hash=password_hash, active=True, failed_logins=0, locked_until=None, created_at=now,
                )).inserted_primary_key[0]
                _audit(connection, now, staff_id, "staff_add", f"role {role}")
        except IntegrityError as exc:
            raise StaffError(f"there is already an account called {username!r}") from exc
        return self._require(username)

    def disable(self, username: str) -> StaffUser:
        """Stop an account from logging in, and end its open sessions at once."""
        user = self._require(username)
        now = self.clock()
        with self.engine.begin() as connection:
            connection.execute(update(staff_users).where(staff_users.c.id == user.id).values(active=False))
            connection.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == user.id))
            _audit(connection, now, user.id, "staff_disable")
        return self._require(username)

    def set_password(self, username: str, password: str) -> StaffUser:
        """Set a new password. It also unlocks the account and ends its sessions (whoever knew the old one is out)."""
        user = self._require(username)
        check_password(password)
        password_hash = hash_password(password)
        now = self.clock()
        with self.engine.begin() as connection:
            connection.execute(update(staff_users).where(staff_users.c.id == user.id).values(
                password_hash=password_hash, failed_logins=0, locked_until=None))
            connection.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == user.id))
            _audit(connection, now, user.id, "staff_password")
        return self._require(username)

    # -- logging in --------------------------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> StaffUser:
        """The account for these credentials, or :class:`LoginFailed`.

        The password is always checked against some hash (a dummy one for unknown usernames), so the time taken does
        not tell an attacker whether the account exists or is locked. Failures while locked do not extend the lock.
        """
        now = self.clock()
        username = (username or "").strip().lower()
        with self.engine.connect() as connection:
            row = connection.execute(select(staff_users).where(staff_users.c.username == username)).first() \
                if username and len(username) <= 64 else None
        password = password if isinstance(password, str) and len(password) <= MAX_PASSWORD else ""
        matches = verify_password(password, row.password_hash if row else dummy_hash())
        if row is None:
            self._failed(None, now, "unknown username")
            raise LoginFailed("unknown_user")
        user = user_from_row(row)
        if not user.active:
            self._failed(user.id, now, "account disabled")
            raise LoginFailed("disabled")
        if user.locked(now):
            self._failed(user.id, now, "account locked")
            raise LoginFailed("locked")
        if not matches:
            locked = self._count_failure(user.id, now)
            self._failed(user.id, now, f"wrong password; locked for {LOCK_FOR.seconds // 60} minutes" if locked
                         else "wrong password")
            raise LoginFailed("locked_now" if locked else "wrong_password")
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
        if needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password)
        with self.engine.begin() as connection:
            connection.execute(update(staff_users).where(staff_users.c.id == user.id).values(**values))
            _audit(connection, now, user.id, "login")
        return user

    # -- internals ---------------------------------------------------------------------------------------------------
    def _require(self, username: str) -> StaffUser:
        user = self.by_username(username)
        if user is None:
            raise StaffError(f"there is no account called {username!r}")
        return user

    def _failed(self, staff_id: int | None, now: datetime, detail: str) -> None:
        with self.engine.begin() as connection:
            _audit(connection, now, staff_id, "login_failed", detail)

    def _count_failure(self, staff_id: int, now: datetime) -> bool:
        """Count a wrong password (atomically, as logins may run in parallel); lock at the limit. True if locked."""
        with self.engine.begin() as connection:
            connection.execute(update(staff_users).where(staff_users.c.id == staff_id)
                               .values(failed_logins=staff_users.c.failed_logins + 1))
            failures = connection.execute(select(staff_users.c.failed_logins)
                                          .where(staff_users.c.id == staff_id)).scalar_one()
            if failures < MAX_FAILURES:
                return False
            connection.execute(update(staff_users).where(staff_users.c.id == staff_id)
                               .values(failed_logins=0, locked_until=now + LOCK_FOR))
            return True

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(staff_users)).scalar_one()
