"""The web chat page `make run` serves, in Debian's headless Chromium: she writes, the bot answers in bubbles and
buttons, and when the server holds her back (429) or cannot answer she is shown what it says, not a bare error."""

from __future__ import annotations

import json

import pytest

from tests.console.test_browser import ARGS, CHROMIUM, TIMEOUT_MS

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(server):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        tab = context.new_page()
        problems: list[str] = []
        tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        tab.goto(server.base + "/webhooks/webchat/")
        yield tab
        browser.close()
    assert problems == []


def write(page, text: str) -> None:
    page.fill("#text", text)
    page.click("#form button[type=submit]")


def test_she_writes_and_the_bot_answers_with_buttons(page):
    write(page, "hello")
    page.wait_for_selector(".msg.bot >> text=automated")
    assert page.locator(".buttons button").count() >= 12  # the language menu, one button per language


def test_over_the_rate_limit_she_is_told_to_slow_down(page):
    slow_down = "Automated message: you are sending messages very fast. Please wait a minute."
    page.route("**/webhooks/webchat/webhook", lambda route: route.fulfill(
        status=429, content_type="application/json", headers={"Retry-After": "30"},
        body=json.dumps({"error": "rate_limited", "retry_after": 30, "messages": [{"text": slow_down}]})))
    write(page, "hello again")
    page.wait_for_selector(f".msg.bot >> text={slow_down}")
    assert page.locator(".msg.error").count() == 0


def test_a_failure_without_a_message_shows_the_pages_own_error(page):
    page.route("**/webhooks/webchat/webhook", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    write(page, "hello")
    page.wait_for_selector(".msg.bot.error")
