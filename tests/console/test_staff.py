"""Staff accounts: validation, lockout (with an injected clock), disabling and password changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.console.staff import LOCK_FOR, MAX_FAILURES, REFUSED, LoginFailed, StaffDirectory, StaffError
from bot.storage.database import audit_log, staff_sessions, staff_users
from tests.console.conftest import FakeClock

PASSWORD = "correct horse battery staple"


def audit(directory: StaffDirectory) -> list[tuple]:
    with directory.engine.connect() as connection:
        rows = connection.execute(select(audit_log).order_by(audit_log.c.id)).all()
    return [(r.staff_id, r.action, r.detail) for r in rows]


def test_add_and_read(directory: StaffDirectory) -> None:
    user = directory.add(" Amina.H ", "Amina  H.", "interpreter", "so, TI,so", PASSWORD)
    assert (user.username, user.display_name, user.role, user.languages) == ("amina.h", "Amina H.", "interpreter",
                                                                             ("so", "ti"))
    assert user.active and not user.locked(directory.clock())
    assert directory.get(user.id) == user == directory.by_username("AMINA.H")
    assert [u.username for u in directory.list()] == ["amina.h"]
    assert directory.names([user.id, None, 999]) == {user.id: "Amina H."}
    with directory.engine.connect() as connection:
        stored = connection.execute(select(staff_users.c.password_hash)).scalar_one()
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert audit(directory) == [(user.id, "staff_add", "role interpreter")]


@pytest.mark.parametrize("username, name, role, languages, password, problem", [
    ("amina", "Amina", "interpreter", "", PASSWORD, "at least one language"),
    ("amina", "Amina", "interpreter", "so,xx", PASSWORD, "unknown language"),
    ("amina", "Amina", "nurse", "", PASSWORD, "role must be one of"),
    ("amina", "Amina", "midwife", "", "short-pass1", "at least 12 characters"),
    ("amina", "Amina", "midwife", "", "x" * 1025, "at most"),
    ("a", "Amina", "midwife", "", PASSWORD, "username"),
    ("amina smith", "Amina", "midwife", "", PASSWORD, "username"),
    ("amina", "  ", "midwife", "", PASSWORD, "display name"),
])
def test_validation(directory: StaffDirectory, username, name, role, languages, password, problem) -> None:
    with pytest.raises(StaffError, match=problem):
        directory.add(username, name, role, languages, password)
    assert directory.list() == []


def test_roles_without_languages_and_duplicates(directory: StaffDirectory) -> None:
    for role in ("midwife", "mvp_coordinator", "admin"):
        assert directory.add(f"user-{role}", "Someone", role, "", PASSWORD).languages == ()
    with pytest.raises(StaffError, match="already an account"):
        directory.add("user-admin", "Other", "admin", "", PASSWORD)


def test_authenticate(directory: StaffDirectory) -> None:
    user = directory.add("mary", "Mary", "midwife", "", PASSWORD)
    assert directory.authenticate(" MARY ", PASSWORD).id == user.id
    assert audit(directory)[-1] == (user.id, "login", "")


def test_refusals_look_the_same_and_are_audited_without_the_password(directory: StaffDirectory) -> None:
    user = directory.add("mary", "Mary", "midwife", "", PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        directory.authenticate("mary", "not the password at all")
    with pytest.raises(LoginFailed) as unknown:
        directory.authenticate("nobody", "not the password at all")
    assert str(wrong.value) == str(unknown.value) == REFUSED
    assert (wrong.value.reason, unknown.value.reason) == ("wrong_password", "unknown_user")
    rows = audit(directory)[-2:]
    assert rows == [(user.id, "login_failed", "wrong password"), (None, "login_failed", "unknown username")]
    assert all("not the password" not in detail and "nobody" not in detail for _, _, detail in audit(directory))


def test_lockout_after_five_failures_and_unlock_after_fifteen_minutes(directory: StaffDirectory,
                                                                       clock: FakeClock) -> None:
    directory.add("mary", "Mary", "midwife", "", PASSWORD)
    for attempt in range(MAX_FAILURES):
        with pytest.raises(LoginFailed) as refused:
            directory.authenticate("mary", f"wrong password {attempt}")
    assert refused.value.reason == "locked_now"
    assert directory.by_username("mary").locked_until == clock() + LOCK_FOR
    with pytest.raises(LoginFailed) as locked:
        directory.authenticate("mary", PASSWORD)
    assert locked.value.reason == "locked" and str(locked.value) == REFUSED, "the right password does not help"
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(LoginFailed):
        directory.authenticate("mary", PASSWORD)
    clock.advance(seconds=1)
    assert directory.authenticate("mary", PASSWORD).username == "mary"
    user = directory.by_username("mary")
    assert user.locked_until is None
    # The count started again: four more failures do not lock.
    for attempt in range(MAX_FAILURES - 1):
        with pytest.raises(LoginFailed):
            directory.authenticate("mary", f"wrong again {attempt}")
    assert directory.authenticate("mary", PASSWORD)


def test_success_resets_the_failure_count(directory: StaffDirectory) -> None:
    directory.add("mary", "Mary", "midwife", "", PASSWORD)
    for _ in range(2):
        for attempt in range(MAX_FAILURES - 1):
            with pytest.raises(LoginFailed):
                directory.authenticate("mary", f"wrong password {attempt}")
        directory.authenticate("mary", PASSWORD)
    assert not directory.by_username("mary").locked(directory.clock())


def test_disable_refuses_logins_and_ends_sessions(directory: StaffDirectory) -> None:
    from bot.console.sessions import SessionStore

    user = directory.add("mary", "Mary", "midwife", "", PASSWORD)
    sessions = SessionStore(directory.engine, clock=directory.clock)
    token, _ = sessions.create(user.id)
    directory.disable("mary")
    assert sessions.lookup(token) is None
    with directory.engine.connect() as connection:
        assert connection.execute(select(staff_sessions)).all() == []
    with pytest.raises(LoginFailed) as refused:
        directory.authenticate("mary", PASSWORD)
    assert refused.value.reason == "disabled"
    with pytest.raises(StaffError, match="no account"):
        directory.disable("nobody")


def test_set_password_unlocks_and_ends_sessions(directory: StaffDirectory) -> None:
    from bot.console.sessions import SessionStore

    user = directory.add("mary", "Mary", "midwife", "", PASSWORD)
    for attempt in range(MAX_FAILURES):
        with pytest.raises(LoginFailed):
            directory.authenticate("mary", f"wrong password {attempt}")
    token, _ = SessionStore(directory.engine, clock=directory.clock).create(user.id)
    with pytest.raises(StaffError, match="at least 12"):
        directory.set_password("mary", "too short")
    directory.set_password("mary", "a brand new passphrase")
    assert SessionStore(directory.engine, clock=directory.clock).lookup(token) is None
    with pytest.raises(LoginFailed):
        directory.authenticate("mary", PASSWORD)
    assert directory.authenticate("mary", "a brand new passphrase").id == user.id
    assert (user.id, "staff_password", "") in audit(directory)


def test_old_hash_is_upgraded_at_login(directory: StaffDirectory) -> None:
    from bot.console.passwords import _b64, _scrypt

    user = directory.add("mary", "Mary", "midwife", "", PASSWORD)
    weak = f"scrypt$1024$8$1${_b64(b'0123456789abcdef')}${_b64(_scrypt(PASSWORD, b'0123456789abcdef', 1024, 8, 1, 32))}"
    with directory.engine.begin() as connection:
        connection.execute(staff_users.update().where(staff_users.c.id == user.id).values(password_hash=weak))
    directory.authenticate("mary", PASSWORD)
    with directory.engine.connect() as connection:
        assert connection.execute(select(staff_users.c.password_hash)).scalar_one().startswith("scrypt$16384$")


def test_audit_trail_newest_first(directory: StaffDirectory) -> None:
    directory.add("mary", "Mary", "midwife", "", PASSWORD)
    directory.authenticate("mary", PASSWORD)
    assert [entry.action for entry in directory.audit_trail(limit=5)] == ["login", "staff_add"]
    assert len(directory.audit_trail(limit=1)) == 1
