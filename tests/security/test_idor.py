"""Object-level access on the staff console: changing an id in a URL or a body never reaches a request the caller may
not see (another language's request for an interpreter, any request for an MVP coordinator), nor a message of
another request."""

from __future__ import annotations

import pytest

from tests.console.conftest import ConsoleServer

ACTIONS = ("claim", "reply", "note", "close")


@pytest.fixture
def somali(console: ConsoleServer) -> int:
    request = console.open_request(language="so")
    console.desk.record_from_her(request.id, "a private message from her 5e1f")
    return request.id


def test_an_interpreter_cannot_read_another_languages_request(console: ConsoleServer, somali: int) -> None:
    polish = console.login("interp_pl")
    reply = polish.get(f"/api/requests/{somali}")
    assert reply.status_code == 403 and "5e1f" not in reply.text
    assert all(item["id"] != somali for item in polish.get("/api/requests?status=waiting,claimed,closed")
               .json()["requests"])
    assert polish.get("/api/requests?language=so").json()["requests"] == [], "a language filter cannot widen access"


@pytest.mark.parametrize("action", ACTIONS)
def test_an_interpreter_cannot_act_on_another_languages_request(console: ConsoleServer, somali: int,
                                                                action: str) -> None:
    polish = console.login("interp_pl")
    reply = polish.post(f"/api/requests/{somali}/{action}", json={"text": "hello"})
    assert reply.status_code == 403
    assert console.desk.get(somali).claimed_by is None and console.desk.get(somali).status == "waiting"
    assert all(m.author == "her" for m in console.desk.messages(somali))


def test_a_coordinator_sees_no_conversation_whatever_the_id(console: ConsoleServer, somali: int) -> None:
    coordinator = console.login("coordinator")
    for request_id in (somali, 999_999, 0, -1):
        assert coordinator.get(f"/api/requests/{request_id}").status_code in (403, 404)
    assert coordinator.get(f"/api/requests/{somali}").status_code == 403
    assert coordinator.get("/api/requests").status_code == 403


def test_a_message_of_another_request_cannot_be_sent_again_through_mine(console: ConsoleServer, somali: int) -> None:
    mine = console.open_request(language="pl")
    polish = console.login("interp_pl")
    theirs = console.desk.messages(somali)[0].id
    reply = polish.post(f"/api/messages/{theirs}/retry", json={"request_id": mine.id})
    assert reply.status_code == 404
    reply = polish.post(f"/api/messages/{theirs}/retry", json={"request_id": somali})
    assert reply.status_code == 403


@pytest.mark.parametrize("path", ["/api/staff", "/api/audit", "/api/metrics", "/api/metrics.csv"])
@pytest.mark.parametrize("username", ["interp_so", "midwife", "coordinator"])
def test_administration_is_for_admins_only(console: ConsoleServer, username: str, path: str) -> None:
    assert console.login(username).get(path).status_code == 403


def test_unknown_and_malformed_ids_are_404_not_errors(console: ConsoleServer) -> None:
    admin = console.login("admin")
    for path in ("/api/requests/99999999", "/api/requests/abc", "/api/requests/1e3", "/api/requests/%00"):
        assert admin.get(path).status_code == 404, path
