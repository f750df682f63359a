"""The console page in a real browser: Debian's headless Chromium driven by Playwright (never `playwright install`).

These tests fail, rather than skip, when /usr/bin/chromium is missing: the page is what staff use, so it must be
tested on every run. `make install` (scripts/install.sh) installs Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.console.conftest import PASSWORD, ConsoleServer

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the console's browser tests need Debian's chromium; `make install` "
                    "installs it (or: apt-get install -y --no-install-recommends chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, console: ConsoleServer) -> Iterator[object]:
    """A fresh browser context (no cookies) on the console; fails the test on any script error or CSP violation."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
           if message.type == "error" and "401" not in message.text else None)
    tab.on("dialog", lambda dialog: dialog.accept())
    tab.goto(console.url + "/")
    yield tab
    context.close()
    assert problems == []


def log_in(page, username: str) -> None:
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#who-name", state="visible")


def test_interpreter_answers_a_somali_request(page, console: ConsoleServer) -> None:
    assert page.is_visible("#view-login")
    log_in(page, "interp_so")
    page.wait_for_selector("#view-queue", state="visible")
    assert page.text_content("#who-name") == "Amina (Somali) (interpreter)"
    assert not page.is_visible('#tabs a[data-page="metrics"]')
    page.evaluate("window.__notReloaded = true")

    # She asks for an interpreter while the page is open: the request appears without a reload.
    request = console.open_request("so", summary="topic: induction of labour")
    console.desk.record_from_her(request.id, "Ma heli karaa turjubaan?")
    row = page.wait_for_selector(f'#queue-rows tr[data-request-id="{request.id}"]')
    assert page.evaluate("window.__notReloaded") is True
    assert "Somali (so)" in row.text_content()
    polish = console.open_request("pl")
    page.wait_for_timeout(3500)  # one more refresh
    assert page.query_selector(f'#queue-rows tr[data-request-id="{polish.id}"]') is None, "not her language"

    page.click(f'#queue-rows tr[data-request-id="{request.id}"] a')
    page.wait_for_selector("#view-request", state="visible")
    her = page.wait_for_selector(".msg-her .text")
    assert her.text_content() == "Ma heli karaa turjubaan?"
    assert her.get_attribute("dir") == "auto" and her.get_attribute("lang") == "so"
    assert page.is_disabled("#reply-text") and page.is_visible("#reply-claim-first")
    assert page.is_disabled("#reply-translate")
    assert page.text_content("#reply-translator") == "No translator configured"

    page.click("#claim")
    page.wait_for_selector("#claimed-mine", state="visible")
    assert not page.is_disabled("#reply-text")
    page.fill("#reply-text", "Haa, turjubaan ayaa kula hadli doona.")
    page.click("#reply-send")
    page.wait_for_selector(".msg-staff .text:has-text('Haa, turjubaan ayaa kula hadli doona.')")
    assert page.input_value("#reply-text") == ""
    page.fill("#note-text", "Prefers afternoon calls.")
    page.click("#note-add")
    page.wait_for_selector(".msg-note .text:has-text('Prefers afternoon calls.')")

    page.click("#close")
    page.wait_for_selector("#closed-note", state="visible")
    assert not page.is_visible("#reply-form")
    stored = console.desk.get(request.id)
    assert (stored.status, stored.closed_by) == ("closed", console.account("interp_so"))
    assert page.evaluate("window.__notReloaded") is True


def test_urgent_and_rtl_rendering_for_a_midwife(page, console: ConsoleServer) -> None:
    request = console.open_request("ar")
    her_words = "أنا أنزف <img src=x onerror=alert(1)>"
    console.desk.record_from_her(request.id, her_words, urgent=True)
    log_in(page, "midwife")
    page.wait_for_selector(f'#queue-rows tr.urgent[data-request-id="{request.id}"] .badge.urgent')
    page.goto(f"{console.url}/#/requests/{request.id}")
    text = page.wait_for_selector(".msg-her .text")
    assert text.text_content() == her_words, "shown as text, never as HTML"
    assert page.query_selector(".msg-her img") is None
    assert text.evaluate("node => getComputedStyle(node).direction") == "rtl", "dir=auto: Arabic reads right to left"
    assert page.is_visible("#request-urgent")


def test_mvp_coordinator_sees_no_queue(page, console: ConsoleServer) -> None:
    console.open_request("so")
    log_in(page, "coordinator")
    page.wait_for_selector("#view-feedback", state="visible")
    assert "Maternity Voices Partnership" in page.text_content("#view-feedback")
    page.wait_for_function("document.getElementById('feedback-privacy').textContent.includes('<5')")
    to_month = page.input_value("#feedback-to")
    assert page.input_value("#feedback-from") < to_month, "the last twelve months by default"
    page.fill("#feedback-from", "2025-01")
    page.fill("#feedback-to", "2025-03")
    href = page.get_attribute("#feedback-csv", "href")
    assert href == "/api/feedback/export?format=csv&from=2025-01&to=2025-03"
    with page.expect_download() as download:
        page.click("#feedback-html")
    assert download.value.suggested_filename == "doula-feedback-2025-01-to-2025-03.html"
    page.fill("#feedback-from", "2025-04")
    assert page.get_attribute("#feedback-csv", "href") is None, "months the wrong way round: no download"
    assert page.is_visible("#banner")
    assert not page.is_visible("#view-queue")
    assert not page.is_visible('#tabs a[data-page="queue"]')
    assert page.query_selector_all("#queue-rows tr") == []
    page.goto(console.url + "/#/queue")
    page.wait_for_function("location.hash === '#/feedback'")
    assert not page.is_visible("#view-queue")
    page.click("#logout")
    page.wait_for_selector("#view-login", state="visible")


def test_admin_sees_the_metrics_table(page, console: ConsoleServer) -> None:
    request = console.open_request("ti")
    console.login("midwife").post(f"/api/requests/{request.id}/claim")
    log_in(page, "admin")
    page.click('#tabs a[data-page="metrics"]')
    row = page.wait_for_selector('#metrics-rows tr[data-language="ti"]')
    cells = [cell.text_content() for cell in row.query_selector_all("td")]
    assert cells[0] == "Tigrinya (ti)" and int(cells[1]) >= 1 and int(cells[2]) >= 1
    assert page.text_content('#metrics-rows tr[data-language="all"] td') == "All languages"
    assert page.get_attribute("#metrics-csv", "href").startswith("/api/metrics.csv?from=")
