"""The translator drives the real deep-translator client against a loopback fake of Google's /m page."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest

from bot.services.translation import TranslationError, Translator
from bot.settings import Settings, SettingsError
from tests.fakes.google_translate import FakeGoogleTranslate, fake_translation

SECRET = "Bleeding after 20 weeks needs a call to triage"


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogleTranslate]:
    fake = FakeGoogleTranslate()
    yield fake
    fake.close()


@pytest.fixture
def translator(google: FakeGoogleTranslate) -> Iterator[Translator]:
    google.mode = "ok"
    google.calls.clear()
    translator = Translator("google", google.url)
    yield translator
    translator.close()


def test_a_reply_is_translated_from_english(translator: Translator, google: FakeGoogleTranslate) -> None:
    assert translator.translate("Please come in  today.", "en", "so") == fake_translation("Please come in today.", "so")
    assert google.calls == [{"path": "/m", "sl": "en", "tl": "so", "q": "Please come in  today."}]


@pytest.mark.parametrize("language", ["pa", "fa", "ti", "so", "ur", "bn", "ar", "pl", "ro", "pt", "uk"])
def test_every_language_of_the_bot_is_supported(translator: Translator, google: FakeGoogleTranslate,
                                                language: str) -> None:
    assert translator.translate("Hello", "en", language) == f"[{language}] Hello"
    assert google.calls[-1]["tl"] == language


def test_a_language_the_provider_lacks_is_refused_without_a_call(translator: Translator,
                                                                 google: FakeGoogleTranslate) -> None:
    with pytest.raises(TranslationError, match="does not support"):
        translator.translate("Hello", "en", "xx")
    assert not translator.supports("xx") and translator.supports("ti")
    assert google.calls == []


def test_english_to_english_is_not_sent(translator: Translator, google: FakeGoogleTranslate) -> None:
    assert translator.translate(" Hello ", "en", "en") == "Hello" and google.calls == []


def test_a_hanging_translator_times_out(translator: Translator, google: FakeGoogleTranslate) -> None:
    google.mode = "hang"
    started = time.monotonic()
    with pytest.raises(TranslationError, match="in time"):
        translator.translate("Hello", "en", "so")
    assert time.monotonic() - started < 4.0


@pytest.mark.parametrize("mode", ["error", "garbage", "empty"])
def test_failures_are_translation_errors_that_never_quote_the_text(
        translator: Translator, google: FakeGoogleTranslate, mode: str, caplog: pytest.LogCaptureFixture) -> None:
    google.mode = mode
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TranslationError) as failure:
        translator.translate(SECRET, "en", "so")
    assert SECRET not in str(failure.value) and failure.value.__cause__ is None
    assert SECRET not in caplog.text and "Bleeding" not in caplog.text


def test_the_text_sent_back_unchanged_is_no_translation(translator: Translator, monkeypatch) -> None:
    monkeypatch.setattr("tests.fakes.google_translate.fake_translation", lambda text, target: text)
    with pytest.raises(TranslationError, match="no translation"):
        translator.translate("Hello", "en", "so")


def test_settings_choose_the_translator() -> None:
    assert Translator.from_settings(Settings.from_env({})) is None
    settings = Settings.from_env({"DOULA_TRANSLATOR": "google", "DOULA_TRANSLATOR_URL": "http://127.0.0.1:9/m/"})
    translator = Translator.from_settings(settings)
    assert translator is not None and translator.base_url == "http://127.0.0.1:9/m"
    translator.close()
    for env in ({"DOULA_TRANSLATOR": "deepl"}, {"DOULA_TRANSLATOR_URL": "http://127.0.0.1:9/m"},
                {"DOULA_TRANSLATOR": "google", "DOULA_TRANSLATOR_URL": "ftp://example.org"}):
        with pytest.raises(SettingsError):
            Settings.from_env(env)
