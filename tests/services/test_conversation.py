"""Behaviour of the conversation handlers, without Rasa: what she reads, and which slots are set."""

import pytest

from bot.services.conversation import Turn


def texts(reply):
    return [m.text for m in reply.messages]


def joined(reply):
    return "\n".join(texts(reply))


def test_first_contact_says_it_is_automated_and_gives_urgent_help(service):
    reply = service.greet(Turn(intent="greet", text="hello there", detected_language="en"))
    assert "automated assistant" in texts(reply)[0] and "not a midwife" in texts(reply)[0]
    assert "999" in texts(reply)[0]
    assert reply.slots["introduced"] is True and reply.slots["language"] == "en"


def test_unknown_language_on_first_contact_offers_languages_in_their_own_script(service):
    reply = service.greet(Turn(intent="greet", text="hi"))
    menu = reply.messages[-1]
    assert "1. English" in menu.text and "2. Polski" in menu.text
    assert [b.payload for b in menu.buttons][:2] == ["1", "2"]
    assert reply.slots["menu"] == "language"


def test_writing_in_polish_gets_polish_and_how_to_change(service):
    reply = service.greet(Turn(intent="greet", text="Dzień dobry", detected_language="pl"))
    assert "automatyczny asystent" in texts(reply)[0]
    assert "JĘZYK" in joined(reply)
    assert "machine-drafted" not in joined(reply) and "wersja robocza" in joined(reply)
    assert reply.slots["language"] == "pl" and reply.slots["menu"] == "main"


def test_choosing_a_language_wins_over_detection(service):
    chosen = service.select_option(Turn(intent="select_option", menu_choice=2, menu="language", introduced=True))
    assert chosen.slots == {"language": "pl", "language_chosen": True, "menu": "main"}
    later = service.explain_topic(
        Turn(intent="topic_place_of_birth", detected_language="en", language="pl", language_chosen=True,
             introduced=True),
        "place_of_birth",
    )
    assert later.slots["language"] == "pl" and "Gdzie urodzić" in joined(later)


def test_menu_path_to_a_topic_section(service):
    base = {"introduced": True, "language": "en"}
    stage = service.select_option(Turn(intent="select_option", menu_choice=3, menu="main", **base))
    assert stage.slots["menu"] == "stage:after_birth" and "Feeding your baby" in joined(stage)
    assert "1. Vitamin K for your baby" in joined(stage) and "3. Feeding your baby" in joined(stage)  # journey order
    topic = service.select_option(Turn(intent="select_option", menu_choice=3, menu="stage:after_birth", **base))
    assert topic.slots["topic"] == "infant_feeding" and topic.slots["menu"] == "topic:infant_feeding"
    risks = service.select_option(Turn(intent="select_option", menu_choice=2, menu="topic:infant_feeding", **base))
    assert "Feeding your baby: Risks" in joined(risks) and "Source: NICE" in joined(risks)


def test_every_explanation_cites_its_source_and_review_status(service, catalog):
    for topic_id in catalog.topics:
        for language in catalog.curated_languages:
            reply = service.explain_topic(Turn(language=language, language_chosen=True, introduced=True), topic_id)
            body = reply.messages[0].text
            assert "https://" in body
            assert catalog.ui[language].messages["status.clinical_draft"] in body
            assert catalog.ui[language].messages["your_choice"] in body
            assert catalog.ui[language].messages["urgent_line"] in body
            if language != "en":
                assert catalog.ui[language].messages["status.machine_drafted"] in body


def test_a_number_not_on_the_menu_says_which_numbers_work(service):
    reply = service.select_option(Turn(intent="select_option", menu_choice=9, menu="main", introduced=True,
                                       language="en"))
    assert "1-7" in texts(reply)[0] and reply.slots["menu"] == "main"


def test_zero_always_returns_to_the_main_menu(service):
    reply = service.select_option(Turn(intent="select_option", menu_choice=0, menu="topic:place_of_birth",
                                       introduced=True, language="en"))
    assert reply.slots["menu"] == "main" and "What would you like to know about?" in joined(reply)


def test_fallback_admits_it_and_offers_a_person_not_a_guess(service):
    reply = service.fallback(Turn(intent="nlu_fallback", introduced=True, language="en"))
    assert "I don't have an answer" in joined(reply) and "Talk to a person" in joined(reply)
    assert "topic" not in reply.slots and reply.slots["menu"] == "fallback"


def test_a_cut_message_is_acknowledged(service):
    reply = service.help(Turn(intent="help", introduced=True, language="en", truncated=True))
    assert "very long" in joined(reply)


def test_stage_without_topics_says_so_and_offers_a_person(catalog):
    from dataclasses import replace

    from bot.services.conversation import Conversation

    no_rights = replace(catalog, topics={k: t for k, t in catalog.topics.items() if t.stage != "rights"})
    reply = Conversation(no_rights).select_option(
        Turn(intent="select_option", menu_choice=4, menu="main", introduced=True, language="en"))
    assert "I don't have information on this yet" in joined(reply) and "1. Talk to a person" in joined(reply)


def test_every_stage_of_the_main_menu_leads_to_topics(service):
    for number in (1, 2, 3, 4):
        reply = service.select_option(Turn(intent="select_option", menu_choice=number, menu="main",
                                           introduced=True, language="en"))
        assert "which topic?" in joined(reply)


def test_twice_not_understood_asks_a_person_instead_of_a_third_guess(service):
    first = service.fallback(Turn(intent="nlu_fallback", introduced=True, language="en"))
    assert first.handoff is None and first.slots["misunderstood"] == 1
    second = service.fallback(Turn(intent="nlu_fallback", introduced=True, language="en", misunderstood=1))
    assert second.handoff == "not_understood" and second.slots["misunderstood"] == 0
    understood = service.help(Turn(intent="help", introduced=True, language="en", misunderstood=1))
    assert understood.slots["misunderstood"] == 0 and understood.handoff is None


def test_asking_for_a_person_hands_over(service):
    reply = service.person(Turn(intent="ask_person", introduced=True, language="en"))
    assert reply.handoff == "asked_for_person" and reply.slots["menu"] is None


@pytest.mark.parametrize("detected, chosen, language, introduced, intent, needed", [
    ("lt", False, None, False, "greet", True),  # a first message in Lithuanian (no curated content): an interpreter
    ("pl", False, None, False, "greet", False),
    ("so", False, None, False, "greet", False),
    (None, False, None, False, "greet", False),
    ("lt", True, "en", False, "greet", False),  # she chose English from the menu: her choice wins
    ("lt", False, "en", True, "greet", False),  # later in a conversation: one misdetected message must not hand over
    ("lt", False, None, False, "change_language", False),  # a keyword alone says nothing of her language
])
def test_a_language_without_content_needs_an_interpreter(service, detected, chosen, language, introduced, intent,
                                                         needed):
    turn = Turn(intent=intent, detected_language=detected, language_chosen=chosen, language=language,
                introduced=introduced)
    assert service.needs_interpreter(turn) is needed
    if needed:
        assert service.unsupported_language(turn).handoff == "language"


def test_a_machine_translated_message_is_answered_not_handed_over(service):
    turn = Turn(intent="topic_place_of_birth", detected_language="lt", translated_from="lt")
    assert not service.needs_interpreter(turn)
    reply = service.explain_topic(turn, "place_of_birth")
    assert reply.translate_to == "lt" and reply.slots["language"] == "lt"
    assert "Where to give birth" in joined(reply) or "give birth" in joined(reply)  # English content, to translate
    assert "I'll reply in English" not in joined(reply)  # the translation notice says what happens instead


def test_a_failed_translation_goes_to_an_interpreter_at_once(service):
    turn = Turn(intent="greet", detected_language="lt", translation_failed=True, introduced=True, language="lt")
    assert service.needs_interpreter(turn)


def test_her_language_not_listed_opens_a_request_for_an_interpreter(service):
    menu = service.language_menu(Turn(intent="change_language", introduced=True, language="en"))
    listed = menu.messages[-1]
    assert "13. Another language (an interpreter)" in listed.text
    reply = service.select_option(Turn(intent="select_option", menu_choice=13, menu="language", introduced=True,
                                       language="en"))
    assert reply.handoff == "language"


def test_the_main_menu_offers_feedback_and_choosing_it_starts_the_feedback_conversation(service):
    menu = service.main_menu(Turn(intent="main_menu", introduced=True, language="en"))
    assert "7. Give feedback on your care" in joined(menu)
    reply = service.select_option(Turn(intent="select_option", menu_choice=7, menu="main", introduced=True,
                                       language="en"))
    assert reply.start_feedback and reply.slots["menu"] is None


def test_thanks_is_a_moment_to_offer_feedback(service):
    assert service.thanks(Turn(intent="thanks", introduced=True, language="en")).offer_feedback


@pytest.mark.parametrize("typed, detected", [("LANGUAGE", "ro"), ("język", "pl"), ("zbn", "fa")])
def test_a_language_keyword_or_a_menu_number_never_switches_her_language(service, typed, detected):
    for intent in ("change_language", "select_option"):
        reply = service.language_menu(Turn(intent=intent, text=typed, detected_language=detected, introduced=True,
                                           language="uk"))
        assert reply.slots["language"] == "uk"
