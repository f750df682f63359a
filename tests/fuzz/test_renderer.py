"""The content renderer on every message, language and value: it never fails for a complete set of values, the output
is a str without an unfilled `{placeholder}`, every value given appears in it as given (nothing lost, nothing
re-interpreted, even a value that looks like a placeholder), and an unknown language falls back to the default."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.catalog import load_catalog
from bot.content.models import SECTIONS
from bot.content.render import MissingPlaceholder, Renderer, placeholders
from tests.fuzz.conftest import MEDIUM, fuzz

CATALOG = load_catalog()
LANGUAGES = sorted(CATALOG.ui)
KEYS = sorted(CATALOG.ui[CATALOG.default_language].messages)
TOPICS = sorted(CATALOG.topics)
UNFILLED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
VALUE = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@fuzz(MEDIUM * 2)
@given(language=st.one_of(st.sampled_from(LANGUAGES), st.text(max_size=5)), key=st.sampled_from(KEYS),
       values=st.lists(VALUE, min_size=8, max_size=8), braces=st.booleans())
def test_any_message_renders_completely(language: str, key: str, values: list[str], braces: bool) -> None:
    renderer = Renderer(CATALOG, language)
    assert renderer.language in CATALOG.ui
    template = CATALOG.ui[renderer.language].messages.get(key) or CATALOG.ui[CATALOG.default_language].messages[key]
    names = sorted(placeholders(template))
    given_values = {name: ("{" + name + "}" if braces else value) for name, value in zip(names, values, strict=False)}
    out = renderer.text(key, **given_values)
    assert isinstance(out, str) and out.strip()
    for value in given_values.values():
        assert value in out
    if not braces and not any("{" in v for v in given_values.values()):
        assert not UNFILLED.search(out), out
    if names:
        with pytest.raises(MissingPlaceholder):
            renderer.text(key)


@fuzz(MEDIUM)
@given(language=st.one_of(st.sampled_from(LANGUAGES), st.text(max_size=3)), topic=st.sampled_from(TOPICS),
       section=st.sampled_from(SECTIONS))
def test_every_topic_section_renders_without_placeholders(language: str, topic: str, section: str) -> None:
    renderer = Renderer(CATALOG, language)
    item = CATALOG.topics[topic]
    text = renderer._topic_text(item)
    if section not in text.sections:
        return
    out = renderer.topic_section(item, section)
    assert isinstance(out, str) and text.sections[section] in out
    assert not UNFILLED.search(out), out


@fuzz(MEDIUM)
@given(prompt=VALUE, labels=st.lists(VALUE, max_size=9))
def test_a_menu_lists_every_option_with_its_number(prompt: str, labels: list[str]) -> None:
    options = list(enumerate(labels))
    menu = Renderer(CATALOG, "en").menu(prompt, options)
    assert [b.payload for b in menu.buttons] == [str(n) for n, _ in options if n != 0] + (["0"] if labels else [])
    for number, label in options:
        assert f"{number}. {label}" in menu.text
