"""Who may do what: interpreters their languages only, coordinators no conversations, admins the admin pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.console import access
from bot.console.staff import StaffUser
from bot.services.handoff.desk import Request

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)


def staff(role: str, languages: tuple[str, ...] = (), active: bool = True) -> StaffUser:
    return StaffUser(1, role, role.title(), role, languages, active, None, NOW)


def request(language: str) -> Request:
    return Request(7, "test-sender-1", "webchat", language, "asked_for_person", "", "waiting", NOW,
                   NOW + timedelta(minutes=30))


def test_interpreter_sees_only_her_languages() -> None:
    somali = staff("interpreter", ("so", "ti"))
    assert access.can_see_requests(somali)
    assert access.request_languages(somali) == ("so", "ti")
    assert access.can_access_request(somali, request("so"))
    assert access.can_access_request(somali, request("ti"))
    assert not access.can_access_request(somali, request("pl"))
    assert not access.can_administer(somali)
    assert access.pages(somali) == ("queue",)


@pytest.mark.parametrize("role", ["midwife", "admin"])
def test_midwife_and_admin_see_every_request(role: str) -> None:
    person = staff(role)
    assert access.request_languages(person) is None
    assert all(access.can_access_request(person, request(code)) for code in ("so", "pl", "ar", "en"))


def test_coordinator_sees_no_requests_at_all() -> None:
    coordinator = staff("mvp_coordinator", ("so",))
    assert not access.can_see_requests(coordinator)
    assert access.request_languages(coordinator) == ()
    assert not access.can_access_request(coordinator, request("so"))
    assert not access.can_administer(coordinator)
    assert access.can_see_feedback(coordinator)
    assert access.pages(coordinator) == ("feedback",)


def test_only_admins_administer() -> None:
    assert access.can_administer(staff("admin"))
    assert [role for role in ("interpreter", "midwife", "mvp_coordinator", "admin")
            if access.can_administer(staff(role, ("so",)))] == ["admin"]
    assert set(access.pages(staff("admin"))) == {"queue", "metrics", "audit", "staff", "feedback"}


def test_disabled_or_unknown_roles_get_nothing() -> None:
    assert not access.can_see_requests(staff("midwife", active=False))
    assert not access.can_administer(staff("admin", active=False))
    stranger = staff("cleaner")
    assert access.pages(stranger) == () and not access.can_see_requests(stranger)
    assert not access.can_access_request(stranger, request("so"))
