"""Tier 2: the bot's English replies machine-translated into her language, through the real deep-translator client
against a loopback fake of Google's /m page, with the cache in a real (SQLite) database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.content.render import Button, OutMessage
from bot.services.machine_translation import ReplyTranslator, read_notices
from bot.services.translation import TranslationError, Translator
from bot.storage.database import engine_for, translations
from tests.fakes.google_translate import FakeGoogleTranslate, fake_translation


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogleTranslate]:
    fake = FakeGoogleTranslate()
    yield fake
    fake.close()


@pytest.fixture
def replies(google, tmp_path) -> Iterator[ReplyTranslator]:
    google.mode = "ok"
    google.calls.clear()
    translator = Translator("google", google.url, timeout=2.0)
    yield ReplyTranslator(translator, engine_for(f"sqlite:///{tmp_path / 'doula.db'}"), read_notices())
    translator.close()


MENU = OutMessage("Reply with a number to read more:\n1. Benefits\n2. Risks",
                  (Button("Benefits", "1"), Button("Risks", "2")))


def test_a_reply_and_its_buttons_are_translated_with_the_notice_first(replies):
    out = replies.translate([OutMessage("Induction means starting labour with medical help."), MENU], "lt")
    notices = read_notices()
    assert out[0].text.startswith(notices["lt"] if "lt" in notices else "[lt]")
    assert fake_translation("Induction means starting labour with medical help.", "lt") in out[0].text
    assert out[1].text == fake_translation(MENU.text, "lt")
    assert [b.payload for b in out[1].buttons] == ["1", "2"]  # the number she types is unchanged
    assert all(b.title.startswith("[lt]") or b.title for b in out[1].buttons)


def test_each_text_goes_to_the_provider_once(replies, google):
    replies.translate([OutMessage("Talk it through with your midwife.")], "tr")
    first = len(google.calls)
    replies.translate([OutMessage("Talk it through with your midwife.")], "tr")
    assert len(google.calls) == first  # the second time from the database cache
    with replies.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(translations)).scalar() >= 1


def test_a_language_without_a_pre_written_notice_gets_it_translated_with_the_english(replies):
    replies.notices = {"en": replies.notices["en"]}
    out = replies.translate([OutMessage("Hello.")], "tr")
    assert f"({replies.notices['en']})" in out[0].text


@pytest.mark.parametrize("mode", ["error", "garbage", "empty"])
def test_a_failing_provider_raises_so_the_bot_falls_back_to_an_interpreter(replies, google, mode):
    google.mode = mode
    with pytest.raises(TranslationError):
        replies.translate([OutMessage("Something new to translate.")], "lt")
