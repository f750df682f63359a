"""Session fixation and session lifetime on the staff console: a login always issues a fresh random token, whatever
cookie the browser brought; the cookie it brought (an attacker's planted value, or an older session) never works
afterwards; logout kills the token on the server, not just in the browser."""

from __future__ import annotations

import httpx

from bot.console.sessions import COOKIE
from tests.console.conftest import PASSWORD, ConsoleServer


def _login(console: ConsoleServer, http: httpx.Client, username: str) -> str:
    reply = http.post("/login", json={"username": username, "password": PASSWORD}, headers={"Origin": console.url})
    assert reply.status_code == 200
    return reply.cookies[COOKIE]


def _me(console: ConsoleServer, token: str) -> int:
    with httpx.Client(base_url=console.url, cookies={COOKIE: token}) as http:
        return http.get("/api/me").status_code


def test_a_planted_cookie_is_replaced_at_login_and_never_becomes_a_session(console: ConsoleServer) -> None:
    planted = "attacker-chosen-value-0123456789abcdefghijklmnop"
    http = console.client()
    http.cookies.set(COOKIE, planted)
    token = _login(console, http, "midwife")
    assert token != planted and len(token) >= 40
    assert _me(console, planted) == 401
    assert _me(console, token) == 200


def test_logging_in_again_ends_the_session_the_browser_brought(console: ConsoleServer) -> None:
    http = console.client()
    first = _login(console, http, "coordinator")
    second = _login(console, http, "admin")  # e.g. another person at the same ward PC
    assert first != second
    assert _me(console, first) == 401, "the older session is ended, so a copied cookie is worthless"
    assert _me(console, second) == 200


def test_tokens_are_unguessable_and_differ_per_login(console: ConsoleServer) -> None:
    tokens = {_login(console, console.client(), "midwife") for _ in range(5)}
    assert len(tokens) == 5 and all(len(t) >= 40 for t in tokens)


def test_logout_ends_the_session_on_the_server(console: ConsoleServer) -> None:
    staff = console.login("midwife")
    token = staff.http.cookies[COOKIE]
    assert staff.post("/logout").status_code == 200
    assert _me(console, token) == 401, "a copy of the cookie made before logout no longer works"


def test_a_failed_login_does_not_issue_a_cookie(console: ConsoleServer) -> None:
    reply = console.client().post("/login", json={"username": "midwife", "password": "wrong password"},
                                  headers={"Origin": console.url})
    assert reply.status_code == 401 and COOKIE not in reply.cookies
