"""Short requests for a person, in every language, become `ask_person`; questions about interpreters do not."""

from __future__ import annotations

import pytest

from bot.nlu.rules import ASK_PERSON, PersonRequestRule
from bot.services.handoff.texts import load_handoff_texts

RULE = PersonRequestRule(load_handoff_texts().phrases)


@pytest.mark.parametrize("text", [
    "interpreter", "I need an interpreter", "Interpreter please!!", "talk to a real person please",
    "Potrzebuję tłumacza", "tłumacz", "Waxaan u baahanahay turjubaan", "turjubaan", "مترجم", "أريد مترجم",
    "ተርጓሚ", "Мені потрібен перекладач", "intérprete por favor", "un interpret", "দোভাষী", "ਦੁਭਾਸ਼ੀਆ", "مترجم چاہیے",
])
def test_requests_for_a_person(text):
    match = RULE.match(text)
    assert match is not None and match.intent == ASK_PERSON, text


@pytest.mark.parametrize("text", [
    "can I have an interpreter at my birth, and will it cost anything?",  # a question about the topic: the model's
    "hello", "when is my scan", "", "1",
])
def test_not_requests(text):
    assert RULE.match(text) is None


def test_every_language_has_phrases():
    phrases = load_handoff_texts().phrases
    assert {"en", "pl", "ro", "pt", "ar", "fa", "ur", "bn", "pa", "so", "ti", "uk"} <= set(phrases)
