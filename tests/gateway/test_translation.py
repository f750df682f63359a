"""The gateway translates her message into English when she writes in a language without curated content (tier 2),
through the real deep-translator client against a loopback fake of Google's /m page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.gateway.translation import TRANSLATION_METADATA, TranslationGate
from bot.services.translation import Translator
from bot.settings import Settings
from tests.fakes.google_translate import FakeGoogleTranslate

LITHUANIAN = "Sveiki, norėčiau sužinoti, kur galiu gimdyti savo kūdikį"
SPANISH = "mi bebé llora mucho por la noche"  # lingua: Spanish 0.62, far ahead of Portuguese


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogleTranslate]:
    fake = FakeGoogleTranslate()
    fake.known[("en", LITHUANIAN)] = "Hello, I would like to know where I can give birth to my baby"
    fake.known[("en", SPANISH)] = "my baby cries a lot at night"
    yield fake
    fake.close()


@pytest.fixture
def gate(google) -> Iterator[TranslationGate]:
    google.mode = "ok"
    google.calls.clear()
    translator = Translator("google", google.url, timeout=1.5)
    yield TranslationGate(Settings.from_env({}), translator=translator)
    translator.close()


async def test_a_message_in_lithuanian_reaches_rasa_in_english(gate, google):
    text, metadata = await gate.inbound(LITHUANIAN)
    assert text == "Hello, I would like to know where I can give birth to my baby"
    assert metadata == {TRANSLATION_METADATA: {"from": "lt"}}
    assert google.calls[-1]["sl"] == "lt" and google.calls[-1]["tl"] == "en"


async def test_a_language_the_detector_names_below_lingua_s_0_7_is_translated_too(gate, google):
    """The detector returns a language without content only when it is sure enough (0.7, or 0.45 and far ahead of
    every curated one): the gate trusts that, rather than asking her for a language again."""
    text, metadata = await gate.inbound(SPANISH)
    assert (text, metadata) == ("my baby cries a lot at night", {TRANSLATION_METADATA: {"from": "es"}})


@pytest.mark.parametrize("text", ["gdzie mogę urodzić dziecko?", "where can I give birth", "2", "ok", "",
                                  "mujhe epidural chahiye"])
async def test_curated_languages_numbers_and_short_replies_are_not_translated(gate, google, text):
    assert await gate.inbound(text) == (text, {})
    assert google.calls == []


async def test_nothing_is_translated_while_a_person_has_her_conversation(gate, google):
    assert await gate.inbound(LITHUANIAN, paused=True) == (LITHUANIAN, {})
    assert google.calls == []


@pytest.mark.parametrize("mode", ["error", "hang", "garbage"])
async def test_a_failing_translator_passes_her_words_on_marked_as_failed(gate, google, mode):
    google.mode = mode
    text, metadata = await gate.inbound(LITHUANIAN)
    assert text == LITHUANIAN
    assert metadata == {TRANSLATION_METADATA: {"from": "lt", "failed": True}}


async def test_without_a_translator_the_gate_does_nothing():
    assert await TranslationGate(Settings.from_env({})).inbound(LITHUANIAN) == (LITHUANIAN, {})
