import pytest

from bot.nlu.rules import CHANGE_LANGUAGE, NO_TEXT, SELECT_OPTION, default_rules


def first_match(rules, text):
    return next((m for m in (r.match(text) for r in rules) if m), None)


@pytest.fixture(scope="module")
def rules(catalog):
    return default_rules(catalog)


@pytest.mark.parametrize("text", ["", "   ", "👍", "🙏🙏", "?!", "...", "\u200d"])
def test_messages_without_text_are_recognised(rules, text):
    assert first_match(rules, text).intent == NO_TEXT


@pytest.mark.parametrize("text, number", [("3", 3), ("٣", 3), ("২.", 2)])
def test_numbers_are_menu_choices(rules, text, number):
    match = first_match(rules, text)
    assert match.intent == SELECT_OPTION and match.data == {"menu_choice": number}


@pytest.mark.parametrize("text", ["language", "LANGUAGE", "Język", "jezyk!", "زبان", "мова", "ቋንቋ"])
def test_language_keywords_open_the_language_menu(rules, text):
    assert first_match(rules, text).intent == CHANGE_LANGUAGE


@pytest.mark.parametrize("text", ["what language do midwives speak", "hello", "gdzie mogę urodzić"])
def test_ordinary_text_is_left_to_the_model(rules, text):
    assert first_match(rules, text) is None
