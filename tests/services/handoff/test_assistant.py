"""What she is told when a person is asked for, and what happens to what she writes while paused."""

from __future__ import annotations

import pytest

from bot.safety.catalog import load_safety
from bot.services.handoff.assistant import MEDIA_MARKER, HandoffAssistant
from bot.services.handoff.desk import HER, WAITING
from bot.services.handoff.texts import load_handoff_texts

TEXTS = load_handoff_texts()


@pytest.fixture
def assistant(desk) -> HandoffAssistant:
    return HandoffAssistant(desk, TEXTS, load_safety(), triage_phone="01632 960000")


def test_in_hours_she_is_told_the_wait_the_urgent_numbers_and_who_reads(assistant, desk):
    (told,) = assistant.request("s1", "sms", "en", "asked_for_person", "reason: asked_for_person")
    assert told.startswith("Automated message")
    assert "within 30 minutes" in told and "01632 960000" in told and "999" in told
    assert TEXTS.text("en", "privacy") in told
    assert desk.active_for("s1").status == WAITING


def test_out_of_hours_she_is_told_when_someone_will_reply(assistant, clock):
    clock.advance(hours=9)  # Thursday 19:00
    (told,) = assistant.request("s1", "sms", "en", "asked_for_person")
    assert "after 09:00 on 27/11/2026" in told


@pytest.mark.parametrize("language", sorted(TEXTS.messages))
def test_each_language_is_answered_in_that_language_with_its_translation_status(assistant, language):
    (told,) = assistant.request(f"s-{language}", "sms", language, "asked_for_person")
    assert TEXTS.text(language, "requested") in told and "999" in told
    if TEXTS.status(language) == "machine-drafted":
        assert load_safety().advice[language].messages["status.machine_drafted"] in told


def test_a_language_with_only_the_short_message_gets_it_first(assistant):
    language = next(code for code in TEXTS.generic if code not in TEXTS.messages)
    first, details = assistant.request("s1", "sms", language, "language")
    assert first == TEXTS.generic_for(language) and details.startswith("Automated message")


def test_asking_twice_says_it_is_already_asked(assistant):
    assistant.request("s1", "sms", "pl", "asked_for_person")
    assert assistant.request("s1", "sms", "pl", "asked_for_person") == [TEXTS.text("pl", "already_requested")]


def test_not_understood_says_sorry_first(assistant):
    (told,) = assistant.request("s1", "sms", "en", "not_understood")
    assert told.startswith(TEXTS.text("en", "not_understood"))


def test_relay_keeps_her_words_and_acknowledges_sparingly(assistant, desk):
    assistant.request("s1", "sms", "en", "asked_for_person")
    request = desk.active_for("s1")
    first = assistant.relay(request.id, "s1", "hello?")
    second = assistant.relay(request.id, "s1", "anyone?")
    assert first.messages == [TEXTS.text("en", "still_waiting")] and second.messages == []
    voice = assistant.relay(request.id, "s1", "", media=True)
    assert voice.passed_on
    assert [m.text for m in desk.messages(request.id) if m.author == HER] == ["hello?", "anyone?", MEDIA_MARKER]


def test_relay_refuses_another_womans_request_and_a_closed_one(assistant, desk):
    assistant.request("s1", "sms", "en", "asked_for_person")
    request = desk.active_for("s1")
    assert not assistant.relay(request.id, "someone-else", "hi").passed_on
    desk.close(request.id, None)
    assert not assistant.relay(request.id, "s1", "hi").passed_on
    assert not assistant.relay(None, "s1", "hi").passed_on


def test_the_language_is_her_choice_then_what_she_writes_then_the_conversations(assistant):
    assert assistant.language_for("pl", "so", "en") == "pl"
    assert assistant.language_for(None, "so", "en") == "so"
    assert assistant.language_for(None, "xx", "en") == "en"
    assert assistant.language_for(None, None, None) == "en"


def test_she_is_told_the_working_hours_in_her_language(assistant):
    (told,) = assistant.request("s-hours", "sms", "pl", "asked_for_person")
    assert "pon.–pt. 09:00–17:00" in told
    (told,) = assistant.request("s-hours-so", "sms", "so", "asked_for_person")
    assert "Isniin–Jimco 09:00–17:00" in told
