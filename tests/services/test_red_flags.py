"""The urgent reply, without Rasa: language, triage number, sources, translation status, the offer of a person."""

from __future__ import annotations

import pytest

from bot.safety.catalog import load_safety
from bot.services import menus
from bot.services.conversation import Turn
from bot.services.red_flags import RedFlagResponder

SAFETY = load_safety()


@pytest.fixture(scope="module")
def responder(catalog):
    return RedFlagResponder(catalog, SAFETY)


def test_advice_comes_first_says_automated_and_cites_the_nhs(responder):
    reply = responder.respond(Turn(detected_language="en"), ["bleeding"])
    first = reply.messages[0].text
    assert first.startswith("URGENT (automated message):")
    assert "Bleeding in pregnancy or after birth needs checking now" in first
    assert "Source: NHS: Vaginal bleeding in pregnancy https://www.nhs.uk/" in first
    assert reply.slots["red_flag"] == "bleeding"


def test_without_a_configured_number_the_advice_points_to_the_notes(responder):
    first = responder.respond(Turn(), ["reduced_movements"]).messages[0].text
    assert "call your maternity unit's triage line (the number is in your pregnancy notes) now" in first


def test_the_trust_number_is_used_when_configured(catalog):
    first = RedFlagResponder(catalog, SAFETY, "01632 960 000").respond(Turn(), ["bleeding"]).messages[0].text
    assert "Call 01632 960 000 straight away" in first


def test_mental_health_and_domestic_abuse_have_their_own_numbers(responder):
    crisis = responder.respond(Turn(), ["mental_health_crisis"]).messages[0].text
    assert "999" in crisis and "option 2" in crisis and "116 123" in crisis
    abuse = responder.respond(Turn(), ["domestic_abuse"]).messages[0].text
    assert "0808 2000 247" in abuse and "999" in abuse


def test_the_most_urgent_category_leads_and_at_most_three_are_given(responder):
    reply = responder.respond(Turn(), ["itching", "bleeding", "breathing_or_seizure", "fever_infection"])
    first = reply.messages[0].text
    assert first.index("Call 999 now") < first.index("Bleeding in pregnancy") < first.index("high temperature")
    assert "Itching" not in first
    assert reply.slots["red_flag"] == "breathing_or_seizure"


def test_then_a_person_is_offered_as_a_numbered_menu(responder):
    reply = responder.respond(Turn(), ["bleeding"])
    offer = reply.messages[-1]
    assert "1. Talk to a person" in offer.text and "0. Main menu" in offer.text
    assert [b.payload for b in offer.buttons] == ["1", "0"]
    assert reply.slots["menu"] == menus.RED_FLAG


@pytest.mark.parametrize("language", ["pl", "ro", "pt", "ar", "fa", "ur", "bn", "pa", "so", "ti", "uk"])
def test_advice_in_the_language_she_writes_in_marked_machine_drafted(responder, language):
    reply = responder.respond(Turn(detected_language=language), ["bleeding"])
    first = reply.messages[0].text
    messages = SAFETY.advice[language].messages
    assert first.startswith(messages["heading"])
    assert messages["status.machine_drafted"] in first
    assert messages["option.person"] in reply.messages[-1].text


def test_her_choice_of_language_wins_and_the_message_language_gets_the_short_urgent_line(responder):
    reply = responder.respond(Turn(language="en", language_chosen=True, detected_language="pl"), ["bleeding"])
    first = reply.messages[0].text
    assert first.startswith(SAFETY.generic["pl"])
    assert "URGENT (automated message):" in first


def test_without_a_choice_the_message_language_wins_over_the_conversation_language(responder):
    reply = responder.respond(Turn(language="en", detected_language="ar"), ["bleeding"])
    assert reply.messages[0].text.startswith(SAFETY.advice["ar"].messages["heading"])


def test_a_number_after_the_advice_reads_the_same_menu(catalog, service):
    reply = service.select_option(Turn(intent="select_option", menu=menus.RED_FLAG, menu_choice=1, introduced=True))
    assert reply.handoff == "asked_for_person"  # the action layer opens the request (tests/services/handoff)
