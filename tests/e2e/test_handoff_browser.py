"""The issue's "done when", end to end: a woman writing in Somali asks for an interpreter; a Somali interpreter logs
in to the staff console served by `doula run` (in Debian's headless Chromium), sees her, answers her, and hands her
back to the bot; her messages and the interpreter's reply travel through the running server."""

from __future__ import annotations

import json
import secrets

import pytest

from bot.console.staff import StaffDirectory
from bot.content.catalog import load_catalog
from bot.services.handoff.texts import load_handoff_texts
from bot.settings import Settings
from tests.console.test_browser import ARGS, CHROMIUM, TIMEOUT_MS
from tests.e2e.conftest import SENDER_KEY

pytestmark = pytest.mark.e2e

PASSWORD = "a long e2e password for amina"
TEXTS = load_handoff_texts()


def say(server, sender: str, text: str) -> str:
    status, replies = server.post("/webhooks/rest/webhook", {"sender": sender, "message": text})
    assert status == 200, replies
    return "\n".join(r.get("text", "") for r in replies)


def pulled(server, sender: str) -> str:
    status, body = server.get(f"/webhooks/rest/messages?sender={sender}")
    assert status == 200
    return "\n".join(m["text"] for m in json.loads(body))


def test_a_somali_woman_is_answered_by_an_interpreter_in_the_console(server):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    StaffDirectory.from_settings(Settings.from_env({
        "DATABASE_URL": f"sqlite:///{server.database}", "DOULA_SENDER_KEY": SENDER_KEY})).add(
        "amina-e2e", "Amina", "interpreter", "so", PASSWORD)
    console = server.console.replace("127.0.0.1", "localhost")  # the origin DOULA_CONSOLE_URL names
    sender = "somali-" + secrets.token_hex(4)

    told = say(server, sender, "Waxaan u baahanahay turjubaan")
    assert TEXTS.text("so", "requested") in told

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_context(locale="en-GB").new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("dialog", lambda dialog: dialog.accept())  # "close this request?"
        page.goto(console + "/")
        page.fill("#login-username", "amina-e2e")
        page.fill("#login-password", PASSWORD)
        page.click("#login-submit")
        row = page.wait_for_selector("#queue-rows tr[data-request-id]")
        assert "Somali" in row.text_content()
        row.query_selector("a").click()
        page.wait_for_selector("#view-request", state="visible")

        say(server, sender, "Ma jirtaa qof i caawin kara?")  # she writes while waiting: it reaches the console
        page.wait_for_selector(".msg-her .text:has-text('Ma jirtaa qof i caawin kara?')")
        page.click("#claim")
        page.wait_for_selector("#claimed-mine", state="visible")
        page.fill("#reply-text", "Salaan, waxaan ahay Amina, turjubaan.")
        page.click("#reply-send")
        page.wait_for_selector(".msg-staff .text:has-text('Salaan, waxaan ahay Amina')")

        reached = pulled(server, sender)
        assert TEXTS.text("so", "joined") in reached and "Salaan, waxaan ahay Amina, turjubaan." in reached

        page.click("#close")
        page.wait_for_selector("#closed-note", state="visible")
        browser.close()

    assert TEXTS.text("so", "closed") in pulled(server, sender)
    # The bot answers her again, in Somali (the language she wrote in), with its main menu.
    assert load_catalog().ui["so"].messages["main_menu"] in say(server, sender, "hello")
