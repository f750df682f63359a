"""CSRF on the staff console: every change needs the session's own token in X-CSRF-Token and, from a browser, the
console's own Origin (or Referer); the cookie is SameSite=Strict. A page on another site can do none of that."""

from __future__ import annotations

import pytest

from tests.console.conftest import ConsoleServer

EVIL = "https://evil.example"


@pytest.fixture
def request_id(console: ConsoleServer) -> int:
    return console.open_request(language="so").id


def _claim(console: ConsoleServer, http, request_id: int, headers: dict[str, str]):
    return http.post(f"/api/requests/{request_id}/claim", json={}, headers=headers)


def test_a_change_without_the_token_is_refused(console: ConsoleServer, request_id: int) -> None:
    staff = console.login("midwife")
    reply = _claim(console, staff.http, request_id, {"Origin": console.url})
    assert reply.status_code == 403 and reply.json() == {"error": "csrf_failed"}
    assert console.desk.get(request_id).claimed_by is None


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "null"])
def test_a_wrong_token_is_refused(console: ConsoleServer, request_id: int, token: str) -> None:
    staff = console.login("midwife")
    reply = _claim(console, staff.http, request_id, {"Origin": console.url, "X-CSRF-Token": token})
    assert reply.status_code == 403
    assert console.desk.get(request_id).claimed_by is None


def test_another_sessions_token_is_refused(console: ConsoleServer, request_id: int) -> None:
    mine, theirs = console.login("midwife"), console.login("admin")
    reply = _claim(console, mine.http, request_id, {"Origin": console.url, "X-CSRF-Token": theirs.csrf})
    assert reply.status_code == 403
    assert console.desk.get(request_id).claimed_by is None


@pytest.mark.parametrize("headers", [{"Origin": EVIL}, {"Origin": "null"}, {"Referer": EVIL + "/page"},
                                     {"Origin": "http://127.0.0.1.evil.example"}])
def test_a_change_from_another_site_is_refused_even_with_the_token(console: ConsoleServer, request_id: int,
                                                                   headers: dict[str, str]) -> None:
    staff = console.login("midwife")
    reply = _claim(console, staff.http, request_id, {"X-CSRF-Token": staff.csrf, **headers})
    assert reply.status_code == 403 and reply.json() == {"error": "origin_mismatch"}
    assert console.desk.get(request_id).claimed_by is None


def test_login_from_another_site_is_refused(console: ConsoleServer) -> None:
    reply = console.client().post("/login", data={"username": "midwife", "password": "whatever"},
                                  headers={"Origin": EVIL})
    assert reply.status_code == 403 and "set-cookie" not in reply.headers


def test_the_session_cookie_is_samesite_strict_and_httponly(console: ConsoleServer) -> None:
    reply = console.client().post("/login", json={"username": "midwife", "password": "correct horse battery staple"},
                                  headers={"Origin": console.url})
    cookie = reply.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie and "path=/" in cookie


def test_the_right_token_and_origin_work(console: ConsoleServer, request_id: int) -> None:
    staff = console.login("midwife")
    assert staff.post(f"/api/requests/{request_id}/claim").status_code == 200
