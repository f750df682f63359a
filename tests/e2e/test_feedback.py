"""Feedback for the MVP end to end, against the running bot: given in each of the 12 languages over REST, by SMS and on
Telegram; her words are anonymised before Rasa sees them, and nothing identifying reaches the tracker, the database
or the logs."""

from __future__ import annotations

import json
import secrets

import pytest
from sqlalchemy import create_engine, text

from bot.content.catalog import load_catalog
from bot.services.feedback.texts import load_feedback_texts
from tests.e2e.test_languages import longest_example
from tests.e2e.test_telegram import chat, message, post
from tests.e2e.test_twilio import form, new_number, send

pytestmark = pytest.mark.e2e

TEXTS = load_feedback_texts()
LANGUAGES = list(load_catalog().languages)
PHONE = "07700 900123"
NHS_NUMBER = "943 476 5919"  # a valid check digit


def say(server, sender: str, words: str) -> str:
    status, replies = server.post("/webhooks/rest/webhook", {"sender": sender, "message": words})
    assert status == 200, replies
    return "\n".join(r.get("text") or "" for r in replies)


def rows(server) -> list[dict]:
    engine = create_engine(f"sqlite:///{server.database}")
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(text("SELECT * FROM feedback ORDER BY id")).mappings()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_feedback_in_each_language_is_stored_anonymised(server, language):
    sender = f"rest-feedback-{language}-{secrets.token_hex(4)}"
    say(server, sender, longest_example(language, "place_of_birth"))  # she has been talking in her language
    said = say(server, sender, TEXTS.text(language, "keyword"))
    assert TEXTS.text(language, "rating_question") in said, said
    assert TEXTS.text(language, "went_well_question") in say(server, sender, "1")
    marker = secrets.token_hex(3)
    words = f"Sarah Thompson {marker} call me {PHONE} nhs {NHS_NUMBER}"
    said = say(server, sender, words)
    assert TEXTS.text(language, "redacted_note") in said
    assert TEXTS.text(language, "better_question") in said
    for answer in ("0", "1", "0", "0", "1"):  # could be better, stage, ethnic group, age, consent
        said = say(server, sender, answer)
    if TEXTS.text(language, "thanks") not in said:  # the site question when sites are configured
        said = say(server, sender, "1")
    assert TEXTS.text(language, "thanks") in said, said
    [row] = [r for r in rows(server) if marker in (r["went_well"] or "")]
    assert row["language"] == language and row["rating"] == "very_good" and row["consent_mvp"] in (1, True)
    assert PHONE not in row["went_well"] and "Thompson" not in row["went_well"]
    assert "[PHONE]" in row["went_well"] and "[NHS_NUMBER]" in row["went_well"]
    tracker = json.dumps(server.tracker(sender))
    assert PHONE not in tracker and NHS_NUMBER not in tracker and "Thompson" not in tracker
    log = server.log.read_text(errors="replace")
    assert PHONE not in log and marker not in log


def test_stop_leaves_feedback_and_saves_nothing(server):
    sender = f"rest-feedback-stop-{secrets.token_hex(4)}"
    before = len(rows(server))
    say(server, sender, "I want to give feedback")
    said = say(server, sender, "stop")
    assert TEXTS.text("en", "cancelled") in said
    assert len(rows(server)) == before
    assert "Where to give birth" in say(server, sender, "where can I give birth?")  # back to the bot


def test_a_red_flag_during_feedback_is_answered_first_and_the_feedback_waits(server):
    sender = f"rest-feedback-red-{secrets.token_hex(4)}"
    say(server, sender, "FEEDBACK")
    say(server, sender, "2")
    marker = secrets.token_hex(3)
    status, replies = server.post("/webhooks/rest/webhook",
                                  {"sender": sender, "message": f"I'm bleeding heavily now {marker}"})
    assert replies[0]["text"].startswith("URGENT (automated message):")
    said = "\n".join(r.get("text") or "" for r in replies)
    assert TEXTS.text("en", "paused") in said
    assert "Where to give birth" in say(server, sender, "where can I give birth?")  # not taken as an answer
    said = say(server, sender, "FEEDBACK")  # she carries on where she was
    assert TEXTS.text("en", "resumed") in said and TEXTS.text("en", "better_question") in said
    for answer in ("0", "0", "0", "0", "1"):
        said = say(server, sender, answer)
    if TEXTS.text("en", "thanks") not in said and TEXTS.text("en", "thanks_safety_concern") not in said:
        said = say(server, sender, "1")  # the site question when sites are configured
    [row] = [r for r in rows(server) if marker in (r["went_well"] or "")]
    assert row["rating"] == "good"  # nothing she gave before the urgent advice was lost


def test_feedback_by_sms(server):
    number = new_number()
    send(server, form(number, "FEEDBACK"))
    server.twilio.wait_for_text(number, "Reply with a number")
    send(server, form(number, "2"))
    server.twilio.wait_for_text(number, "What went well?")
    marker = secrets.token_hex(3)
    send(server, form(number, f"Lovely midwife {marker}, text me on {PHONE}"))
    server.twilio.wait_for_text(number, "What could have been better?")
    for answer in ("0", "0", "0", "0", "2"):
        send(server, form(number, answer))
    server.twilio.wait_for_text(number, "Your feedback has been saved")
    [row] = [r for r in rows(server) if marker in (r["went_well"] or "")]
    assert PHONE not in row["went_well"] and row["consent_mvp"] in (0, False)


def test_feedback_on_telegram_with_buttons(server):
    chat_id = chat()
    assert post(server, message(chat_id, "/start")) == 200
    assert post(server, message(chat_id, "I want to give feedback about my care")) == 200
    said = server.telegram.wait_for_text(chat_id, "Overall, how was your experience")
    assert "1. Very good" in said
