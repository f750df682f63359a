"""Machine translation of staff replies, end to end: a real console configured with DOULA_TRANSLATOR=google and
DOULA_TRANSLATOR_URL pointing at a loopback fake of Google's /m page (the real deep-translator client in between)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.services.handoff.desk import STAFF
from tests.console.conftest import ConsoleServer, start_console, stop_console
from tests.console.test_browser import TIMEOUT_MS, browser, log_in  # noqa: F401 (browser is a fixture)
from tests.fakes.google_translate import FakeGoogleTranslate, fake_translation


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogleTranslate]:
    fake = FakeGoogleTranslate()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def translating(tmp_path_factory, google: FakeGoogleTranslate) -> Iterator[ConsoleServer]:
    server = start_console(tmp_path_factory.mktemp("translating-console"),
                           {"DOULA_TRANSLATOR": "google", "DOULA_TRANSLATOR_URL": google.url})
    yield server
    stop_console(server)


@pytest.fixture(autouse=True)
def working(google: FakeGoogleTranslate) -> None:
    google.mode = "ok"
    google.calls.clear()


def staff_replies(console: ConsoleServer, request_id: int) -> list:
    return [m for m in console.desk.messages(request_id, include_notes=False) if m.author == STAFF]


def test_the_page_is_told_a_translator_exists(translating: ConsoleServer) -> None:
    assert translating.login("midwife").get("/api/me").json()["translator"] is True


def test_a_midwife_reply_is_machine_translated_into_her_language(translating: ConsoleServer,
                                                                 google: FakeGoogleTranslate) -> None:
    request = translating.open_request("so")
    midwife = translating.login("midwife")
    assert midwife.post(f"/api/requests/{request.id}/claim").status_code == 200
    typed = "Please call the triage line if the bleeding continues."
    reply = midwife.post(f"/api/requests/{request.id}/reply", {"text": typed, "translate": True})
    assert reply.status_code == 200, reply.text
    assert [(c["sl"], c["tl"], c["q"]) for c in google.calls] == [("en", "so", typed)]

    [sent] = staff_replies(translating, request.id)
    assert (sent.translation, sent.original) == ("machine", typed)
    assert fake_translation(typed, "so") in sent.text and typed not in sent.text
    shown = [m for m in reply.json()["messages"] if m["author"] == "staff"]
    assert [(m["original"], m["translation"]) for m in shown] == [(typed, "machine")]
    assert typed not in translating.log.read_text(errors="replace"), "the reply is never logged"


def test_an_untranslated_reply_still_goes_as_written(translating: ConsoleServer, google: FakeGoogleTranslate) -> None:
    request = translating.open_request("so")
    staff = translating.login("interp_so")
    staff.post(f"/api/requests/{request.id}/claim")
    assert staff.post(f"/api/requests/{request.id}/reply", {"text": "Haa.", "translate": False}).status_code == 200
    [sent] = staff_replies(translating, request.id)
    assert (sent.translation, sent.original) == ("none", None) and google.calls == []


@pytest.mark.parametrize("mode", ["error", "garbage", "hang"])
def test_a_failed_translation_sends_nothing(translating: ConsoleServer, google: FakeGoogleTranslate,
                                            mode: str) -> None:
    google.mode = mode
    request = translating.open_request("pa")
    midwife = translating.login("midwife")
    midwife.post(f"/api/requests/{request.id}/claim")
    started = time.monotonic()
    reply = midwife.post(f"/api/requests/{request.id}/reply", {"text": "Come in today.", "translate": True})
    assert (reply.status_code, reply.json()) == (502, {"error": "translation_failed"})
    assert time.monotonic() - started < 5
    assert staff_replies(translating, request.id) == []


def test_nothing_is_translated_before_the_request_is_claimed(translating: ConsoleServer,
                                                             google: FakeGoogleTranslate) -> None:
    request = translating.open_request("so")
    reply = translating.login("midwife").post(f"/api/requests/{request.id}/reply", {"text": "Hi", "translate": True})
    assert reply.status_code == 409 and google.calls == []


def test_the_failure_is_explained_to_staff(translating: ConsoleServer) -> None:
    texts = translating.client().get("/api/texts").json()
    assert "nothing was sent" in texts["error.translation_failed"]


def test_the_page_offers_and_sends_a_machine_translation(browser, translating: ConsoleServer,  # noqa: F811
                                                         google: FakeGoogleTranslate) -> None:
    request = translating.open_request("ti")
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(f"{translating.url}/")
        log_in(page, "midwife")
        page.goto(f"{translating.url}/#/requests/{request.id}")
        page.wait_for_selector("#view-request", state="visible")
        assert page.is_disabled("#reply-translate"), "not before she is claimed"
        page.click("#claim")
        page.wait_for_selector("#claimed-mine", state="visible")
        assert not page.is_disabled("#reply-translate")
        assert "machine translation" in page.text_content("#reply-translator")
        page.check("#reply-translate")
        assert page.get_attribute("#reply-text", "lang") == "en"
        page.fill("#reply-text", "Please rest today.")
        page.click("#reply-send")
        page.wait_for_selector(".msg-staff .text:has-text('[ti] today. rest Please')")
        assert "Please rest today." in page.text_content(".msg-staff")
    finally:
        context.close()
    assert problems == []
    [sent] = staff_replies(translating, request.id)
    assert (sent.translation, sent.original) == ("machine", "Please rest today.")
