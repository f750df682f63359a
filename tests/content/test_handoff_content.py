"""The texts of the handoff to a person (content/handoff/): complete, consistent with English, and safe to send."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from bot.paths import CONTENT_DIR

HANDOFF = CONTENT_DIR / "handoff"
LANGUAGES = ("en", "pl", "ro", "pt", "ar", "fa", "ur", "bn", "pa", "so", "ti", "uk")
RTL = ("ar", "fa", "ur")
PLACEHOLDERS = {"minutes", "time", "date", "triage", "hours"}
MIN_PHRASES = 10


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    return load(HANDOFF / "messages" / "en.yml")["messages"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_every_message_with_the_placeholders_of_english(code, english):
    catalog = load(HANDOFF / "messages" / f"{code}.yml")
    assert catalog["meta"]["language"] == code
    assert catalog["meta"]["translation_status"] == ("original" if code == "en" else "machine-drafted")
    messages = catalog["messages"]
    assert set(messages) == set(english)
    for key, text in messages.items():
        assert isinstance(text, str) and text.strip(), f"{code}: {key} is empty"
        assert placeholders(text) == placeholders(english[key]), f"{code}: {key} placeholders differ from en"
        assert placeholders(text) <= PLACEHOLDERS, f"{code}: {key} uses an unknown placeholder"
        text.format(minutes=30, time="09:00", date="27/11/2026", triage=messages["triage_unknown"],
                    hours="Mon–Fri 09:00–17:00")  # no stray braces
    assert "999" in messages["urgent_meanwhile"]


def test_english_uses_each_placeholder_where_expected(english):
    assert placeholders(english["wait_in_hours"]) == {"minutes"}
    assert placeholders(english["wait_out_of_hours"]) == {"time", "date"}
    assert placeholders(english["urgent_meanwhile"]) == {"triage"}


@pytest.mark.parametrize("code", RTL)
def test_right_to_left_messages_have_no_latin_words(code):
    for key, text in load(HANDOFF / "messages" / f"{code}.yml")["messages"].items():
        without_placeholders = re.sub(r"\{\w+\}", "", text)
        assert not re.search(r"[A-Za-z]", without_placeholders), f"{code}: {key} contains Latin letters"


def test_the_interpreter_message_exists_in_every_language_of_the_urgent_message():
    generic = load(HANDOFF / "interpreter_generic.yml")
    urgent = load(CONTENT_DIR / "red_flags" / "urgent_generic.yml")
    assert generic["meta"]["translation_status"] == "machine-drafted"
    assert set(generic["messages"]) == set(urgent["messages"])
    for code, text in generic["messages"].items():
        assert isinstance(text, str) and text.strip(), f"{code} is empty"
        assert "999" in text, f"{code} does not say 999"
        assert not placeholders(text), f"{code} has a placeholder"


def test_every_language_has_enough_request_phrases():
    requests = load(HANDOFF / "requests.yml")
    assert requests["meta"]["translation_status"] == "machine-drafted"
    phrases = requests["phrases"]
    for code in LANGUAGES:
        listed = phrases.get(code) or []
        assert len(listed) >= MIN_PHRASES, f"{code}: only {len(listed)} phrases"
        assert all(isinstance(p, str) and p.strip() for p in listed), f"{code}: an empty or non-text phrase"
        assert len({p.casefold() for p in listed}) == len(listed), f"{code}: a phrase is listed twice"
        assert "help" not in {p.casefold() for p in listed}, f"{code}: 'help' alone is not a request for a person"
