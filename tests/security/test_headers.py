"""Security headers of the staff console on every response (pages, API, static files, redirects and errors), HSTS
when the console is served over https, and the web chat page's own headers."""

from __future__ import annotations

import httpx
from sanic import Sanic

from bot.channels.webchat import WebChatInput
from bot.console.app import CSP, create_app
from tests.console.conftest import PASSWORD, ConsoleServer
from tests.security.conftest import channel_settings, free_port, serve

ALWAYS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def _check(response: httpx.Response, where: str) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, f"{where}: {name}"
    assert "camera=()" in response.headers.get("permissions-policy", ""), where
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], where


def test_every_kind_of_response_carries_the_headers(console: ConsoleServer) -> None:
    http = console.client()
    staff = console.login("midwife")
    responses = {
        "page": http.get("/"), "script": http.get("/static/console.js"), "style": http.get("/static/console.css"),
        "texts": http.get("/api/texts"), "401": http.get("/api/me"), "404": http.get("/no/such/page"),
        "405": http.put("/api/me"), "login redirect": http.post("/login", data={"username": "midwife",
                                                                              "password": "wrong"},
                                                               headers={"Origin": console.url}),
        "403 origin": http.post("/logout", headers={"Origin": "https://evil.example"}),
        "413": http.post("/login", content=b"x" * (256 * 1024), headers={"Origin": console.url,
                                                                         "Content-Type": "application/json"}),
        "me": staff.get("/api/me"), "queue": staff.get("/api/requests"), "403 role": staff.get("/api/staff"),
    }
    for where, response in responses.items():
        _check(response, where)
    for where in ("page", "texts", "401", "me", "queue", "403 role", "404"):
        assert responses[where].headers["cache-control"] == "no-store", where
    assert "strict-transport-security" not in responses["page"].headers, "no HSTS on a plain-http console"


def test_the_login_form_posts_only_to_the_console(console: ConsoleServer) -> None:
    csp = console.client().get("/").headers["content-security-policy"]
    assert "form-action 'self'" in csp and "base-uri 'none'" in csp


async def test_an_https_console_sends_hsts_and_secure_cookies(tmp_path) -> None:
    settings = channel_settings(tmp_path, DOULA_CONSOLE_URL="https://console.example.nhs.uk")
    from bot.console.staff import StaffDirectory

    StaffDirectory.from_settings(settings).add("hsts", "HSTS test", "midwife", "", PASSWORD)
    Sanic.test_mode = True
    app = create_app(settings, start_worker=False)
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            page = await client.get("/")
            assert page.headers["strict-transport-security"].startswith("max-age=")
            assert int(page.headers["strict-transport-security"].split("=")[1].split(";")[0]) >= 15_552_000
            login = await client.post("/login", json={"username": "hsts", "password": PASSWORD},
                                      headers={"Origin": "https://console.example.nhs.uk"})
            assert login.status_code == 200
            assert "secure" in login.headers["set-cookie"].lower()
    finally:
        server.close()
        await server.wait_closed()


async def test_the_web_chat_page_headers(tmp_path) -> None:
    async with serve(WebChatInput(channel_settings(tmp_path))) as client:
        page = await client.get("/webhooks/webchat/")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
