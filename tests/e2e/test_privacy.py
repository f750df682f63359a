"""Privacy in the conversation, through the running server: the notice at first contact in her language, the consent
record, and "DELETE" (in her language) erasing her tracker, contact and handoff rows before Rasa sees anything, with
anonymised feedback kept, the erasure audited and a confirmation in her language; over the web chat and over SMS."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine, text

from bot.gateway.identity import pseudonymous_id
from bot.services.privacy_notice import load_privacy_texts
from tests.e2e.conftest import SENDER_KEY, send_webchat
from tests.e2e.test_twilio import form, new_number, send

pytestmark = pytest.mark.e2e

TEXTS = load_privacy_texts()


def rows(server, sql: str, **params) -> list:
    with create_engine(f"sqlite:///{server.database}").connect() as connection:
        return connection.execute(text(sql), params).all()


def consents(server, sender_id: str) -> list[tuple[str, int, str]]:
    return [tuple(r) for r in rows(server, "select event, notice_version, language from consents "
                                           "where sender_id = :s order by id", s=sender_id)]


def said(replies: list[dict]) -> str:
    return "\n".join(r["text"] for r in replies)


def first_sentence(language: str, key: str) -> str:
    return TEXTS.text(language, key).split(":")[0]


def test_webchat_notice_consent_and_delete_in_polish(server):
    browser = "privacy-" + secrets.token_hex(6)
    sender_id = server.webchat_sender_id(browser)
    first = said(send_webchat(server, browser, "Dzień dobry, gdzie mogę urodzić?"))
    assert "automatyczny asystent" in first and first_sentence("pl", "notice") in first
    assert "90 dni (365" in first  # the retention periods, from the settings
    assert consents(server, sender_id) == [("notice_shown", TEXTS.version, "pl")]

    again = said(send_webchat(server, browser, "2"))
    assert first_sentence("pl", "notice") not in again  # once
    assert consents(server, sender_id)[-1] == ("continued", TEXTS.version, "pl")

    # "delete" inside a question is a question, not an erasure.
    send_webchat(server, browser, "delete the scan appointment")
    assert len(consents(server, sender_id)) == 2

    # A person takes over (a handoff request), then she asks to delete everything, in Polish.
    send_webchat(server, browser, "potrzebuję tłumacza")
    assert rows(server, "select id from handoff_requests where sender_id = :s", s=sender_id)
    with create_engine(f"sqlite:///{server.database}").begin() as connection:
        connection.execute(text("insert into feedback (month, source, language, rating, themes, consent_mvp) "
                                "values ('2026-12', 'bot', 'pl', 'good', '[]', 1)"))
    feedback_before = rows(server, "select count(*) from feedback")[0][0]

    confirmation = said(send_webchat(server, browser, "usuń moje dane"))
    assert confirmation == TEXTS.confirmation("pl", True)
    assert rows(server, "select id from handoff_requests where sender_id = :s", s=sender_id) == []
    assert consents(server, sender_id) == []
    assert rows(server, "select count(*) from feedback")[0][0] == feedback_before  # anonymised: kept
    audit = rows(server, "select detail from audit_log where action = 'privacy_erase'")
    assert audit and all(sender_id not in detail for (detail,) in audit)
    events = server.tracker(sender_id)["events"]
    texts = [e.get("text") or "" for e in events]
    assert not any("urodzić" in t or "tłumacza" in t or "scan" in t for t in texts)
    assert [e["name"] for e in events if e["event"] == "action"][-2:] == ["action_privacy_erased", "action_listen"]

    # She can start again: a new first contact, with the notice.
    restart = said(send_webchat(server, browser, "Dzień dobry"))
    assert first_sentence("pl", "notice") in restart
    assert consents(server, sender_id) == [("notice_shown", TEXTS.version, "pl")]


def test_a_red_flag_first_gets_urgent_advice_and_the_notice_comes_after(server):
    browser = "privacy-red-" + secrets.token_hex(6)
    replies = send_webchat(server, browser, "I'm bleeding heavily")
    assert replies[0]["text"].startswith("URGENT (automated message):")
    assert first_sentence("en", "notice") not in said(replies)
    assert first_sentence("en", "notice") in said(send_webchat(server, browser, "where can I give birth?"))


def test_sms_notice_and_delete_erase_her_contact_and_tracker(server):
    number = new_number()
    sender_id = pseudonymous_id("sms", number, SENDER_KEY)
    send(server, form(number, "Вітаю, де я можу народити?"))
    told = server.twilio.wait_for_text(number, first_sentence("uk", "notice"))
    assert first_sentence("uk", "notice") in told
    assert consents(server, sender_id) == [("notice_shown", TEXTS.version, "uk")]
    assert rows(server, "select sender_id from contacts where sender_id = :s", s=sender_id)

    send(server, form(number, "DELETE"))  # English, in her stored language
    confirmation = TEXTS.confirmation("uk", True)
    server.twilio.wait_for_text(number, confirmation.split(":")[0] + ":")
    assert confirmation in [" ".join(body.split()) for body in server.twilio.to(number)]  # SMS reflows lines
    assert rows(server, "select sender_id from contacts where sender_id = :s", s=sender_id) == []
    assert consents(server, sender_id) == []
    events = server.tracker(sender_id)["events"]
    assert not any("народити" in (e.get("text") or "") for e in events)
    assert number not in server.log.read_text(errors="replace")


def test_delete_is_honoured_after_stop(server):
    number = new_number()
    sender_id = pseudonymous_id("sms", number, SENDER_KEY)
    send(server, form(number, "hello"))
    server.twilio.wait_for_text(number, "Another language (an interpreter)")
    send(server, form(number, "STOP"))
    assert rows(server, "select opted_out from contacts where sender_id = :s", s=sender_id) == [(1,)]
    send(server, form(number, "delete my data"))
    assert rows(server, "select sender_id from contacts where sender_id = :s", s=sender_id) == []
    assert consents(server, sender_id) == []
