"""The running server: the web chat page and endpoint, malformed requests, the token-protected API, and logs."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.e2e.conftest import API_TOKEN, send_webchat

pytestmark = pytest.mark.e2e


def test_the_web_chat_page_is_served_with_its_text_from_content(server):
    status, page = server.get("/webhooks/webchat/")
    assert status == 200
    assert "Doula, an automated maternity assistant" in page and "In an emergency, call 999" in page
    status, page = server.get("/webhooks/webchat/?lang=pl")
    assert 'lang="pl"' in page and "automatyczny asystent" in page


@pytest.mark.parametrize(
    "body, status, error",
    [
        (b"not json", 400, "invalid_json"),
        (b"[1, 2]", 400, "invalid_json"),
        (json.dumps({"message": "hi"}).encode(), 400, "invalid_sender"),
        (json.dumps({"sender": "x", "message": "hi"}).encode(), 400, "invalid_sender"),
        (json.dumps({"sender": "../../etc/passwd", "message": "hi"}).encode(), 400, "invalid_sender"),
        (json.dumps({"sender": "a" * 16, "message": ["hi"]}).encode(), 400, "invalid_message"),
        (json.dumps({"sender": "a" * 16, "message": "x" * 20000}).encode(), 413, "message_too_large"),
    ],
)
def test_malformed_web_chat_requests_get_a_clear_error(server, body, status, error):
    got_status, reply = server.post("/webhooks/webchat/webhook", body)
    assert (got_status, reply) == (status, {"error": error})


def test_a_long_message_is_answered_and_she_is_told_it_was_cut(server):
    replies = send_webchat(server, secrets.token_hex(8), "where can I give birth " + "please " * 400)
    said = "\n".join(r["text"] for r in replies)
    assert "automated assistant" in said and "very long, so I read only the beginning" in said


def test_the_http_api_needs_the_token(server):
    send_webchat(server, "browser-token-test", "hello")
    sender_id = server.webchat_sender_id("browser-token-test")
    status, _ = server.get(f"/conversations/{sender_id}/tracker")
    assert status in (401, 403)
    status, _ = server.get(f"/conversations/{sender_id}/tracker?token=wrong")
    assert status in (401, 403)
    status, body = server.get(f"/conversations/{sender_id}/tracker?token={API_TOKEN}")
    assert status == 200 and json.loads(body)["slots"]["introduced"] is True


def test_the_browser_id_never_reaches_the_tracker(server):
    browser_id = "browser-" + secrets.token_hex(8)
    send_webchat(server, browser_id, "hello")
    tracker = server.tracker(server.webchat_sender_id(browser_id))
    assert browser_id not in json.dumps(tracker)


def test_message_text_is_not_logged(server):
    marker = "zebra" + secrets.token_hex(4)
    send_webchat(server, secrets.token_hex(8), f"my name is {marker}, where can I give birth?")
    assert marker not in server.log.read_text(errors="replace")


@pytest.mark.parametrize(
    "body, status, error",
    [
        (b"not json", 400, "invalid_json"),
        (json.dumps({"message": "hi"}).encode(), 400, "invalid_sender"),
        (json.dumps({"sender": "has spaces", "message": "hi"}).encode(), 400, "invalid_sender"),
        (json.dumps({"sender": "rest-1", "message": 5}).encode(), 400, "invalid_message"),
        (json.dumps({"sender": "rest-1", "message": "hi", "metadata": [1]}).encode(), 400, "invalid_metadata"),
        (json.dumps({"sender": "rest-1", "message": "x" * 70000}).encode(), 413, "message_too_large"),
    ],
)
def test_malformed_rest_requests_get_a_clear_error(server, body, status, error):
    assert server.post("/webhooks/rest/webhook", body) == (status, {"error": error})


def test_the_rest_channel_goes_through_the_gateway(server):
    """A leading "/" would be an intent command in Rasa's own REST channel, skipping the safety checks."""
    sender = "rest-gateway-" + secrets.token_hex(4)
    body = {"sender": sender, "message": "/greet I am bleeding heavily"}
    status, replies = server.post("/webhooks/rest/webhook", body)
    assert status == 200 and replies[0]["text"].startswith("URGENT")
    status, body = server.get("/webhooks/rest/messages?sender=bad%20id")
    assert status == 400
