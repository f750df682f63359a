"""Cross-site scripting: what a woman (or anyone) typed is shown to staff only as text. The console's API returns it
as JSON, the page inserts it with textContent under a CSP without inline script, and the feedback report escapes it.
The web chat page never reflects its query string."""

from __future__ import annotations

import pytest

from bot.channels.webchat import WebChatInput
from bot.services.feedback.store import FeedbackRecord, FeedbackStore
from bot.storage.database import engine_for
from tests.console.conftest import ConsoleServer
from tests.security.conftest import channel_settings, serve

PAYLOADS = (
    "<script>alert('xss-1')</script>",
    '<img src=x onerror="alert(\'xss-2\')">',
    '"><svg/onload=alert(`xss-3`)>',
    "javascript:alert('xss-4')",
    "<a href=\"javascript:alert('xss-5')\">click</a>",
    "{{7*7}} ${7*7} <iframe srcdoc='<script>alert(6)</script>'>",
    "\u202e<b>reversed</b>",
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_her_message_reaches_staff_as_json_text_only(console: ConsoleServer, payload: str) -> None:
    request = console.open_request(language="so", summary=f"topic: {payload}")
    console.desk.record_from_her(request.id, payload)
    staff = console.login("interp_so")
    reply = staff.get(f"/api/requests/{request.id}")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/json")
    assert reply.headers["x-content-type-options"] == "nosniff"
    body = reply.json()
    assert [m["text"] for m in body["messages"] if m["author"] == "her"] == [payload], "kept exactly, as text"
    assert body["request"]["summary"] == f"topic: {payload}"
    queue = staff.get("/api/requests")
    assert queue.headers["content-type"].startswith("application/json")
    assert payload not in staff.get("/").text, "the page itself never contains her words"


def test_the_page_renders_text_only_and_forbids_inline_script(console: ConsoleServer) -> None:
    http = console.client()
    csp = http.get("/").headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "default-src 'self'" in csp
    script = http.get("/static/console.js").text
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setAttribute(\"on"):
        assert sink not in script, sink


def test_a_staff_name_with_markup_is_returned_as_text(console: ConsoleServer) -> None:
    name = "<img src=x onerror=alert('staff')>"
    console.staff.add("xss_name", name, "midwife", "", "correct horse battery staple")
    admin = console.login("admin")
    listed = admin.get("/api/staff")
    assert listed.headers["content-type"].startswith("application/json")
    assert name in [row["display_name"] for row in listed.json()["staff"]]


def test_the_feedback_report_escapes_her_words(console: ConsoleServer) -> None:
    store = FeedbackStore(engine_for(console.settings.database_url))
    for payload in PAYLOADS[:3]:
        store.add(FeedbackRecord(month="2026-02", language="en", rating="very_good", went_well=payload,
                                 went_well_en=payload, consent_mvp=True))
    coordinator = console.login("coordinator")
    report = coordinator.get("/api/feedback/export?format=html&from=2026-02&to=2026-02")
    assert report.status_code == 200
    assert "attachment" in report.headers["content-disposition"], "downloaded, never rendered inside the console"
    for payload in PAYLOADS[:3]:
        assert payload not in report.text
    assert "&lt;script&gt;alert(&#x27;xss-1&#x27;)&lt;/script&gt;" in report.text


async def test_the_web_chat_page_does_not_reflect_its_query(tmp_path) -> None:
    async with serve(WebChatInput(channel_settings(tmp_path))) as client:
        page = await client.get("/webhooks/webchat/", params={"lang": "<script>alert(1)</script>"})
        assert page.status_code == 200 and "<script>alert(1)" not in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"
        reply = await client.post("/webhooks/webchat/webhook", json={"sender": "abcdefgh1234", "message": PAYLOADS[0]})
        assert reply.headers["content-type"].startswith("application/json")
        assert reply.json()[0]["text"] == "echo: " + PAYLOADS[0], "JSON text the page shows with textContent"
