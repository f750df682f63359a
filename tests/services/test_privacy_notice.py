"""The privacy notice, the delete keywords and their content checks, on the real content of the twelve languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.content.check import MAX_NOTICE_SEGMENTS, MAX_NOTICE_SEGMENTS_EN, check_privacy
from bot.content.render import OutMessage
from bot.content.sms import segments
from bot.paths import CONTENT_DIR
from bot.services.privacy_notice import PrivacyTexts, load_privacy_texts, normalise, with_notice
from bot.settings import Settings

LANGUAGES = ("en", "pl", "ro", "pt", "ar", "ur", "bn", "pa", "fa", "so", "ti", "uk")
URL = "https://www.example-trust.nhs.uk/privacy/doula"


@pytest.fixture(scope="module")
def texts() -> PrivacyTexts:
    return load_privacy_texts()


def test_every_curated_language_has_the_notice_in_the_current_version(texts, catalog):
    assert set(texts.messages) == set(LANGUAGES) == set(catalog.curated_languages)
    assert texts.version >= 1 and set(texts.versions.values()) == {texts.version}
    assert texts.status("en") == "original"
    assert all(texts.status(code) == "machine-drafted" for code in LANGUAGES if code != "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_renders_the_retention_settings_and_the_link(texts, language):
    settings = Settings.from_env({"DOULA_PRIVACY_URL": URL, "DOULA_RETAIN_CONVERSATION_DAYS": "61",
                                  "DOULA_RETAIN_HANDOFF_DAYS": "400"})
    notice = texts.notice(language, settings)
    assert "61" in notice and "400" in notice and URL in notice and "STOP" in notice
    assert "{" not in notice and "90" not in notice
    limit = MAX_NOTICE_SEGMENTS_EN if language == "en" else MAX_NOTICE_SEGMENTS
    assert segments(notice) <= limit


def test_without_a_link_she_is_told_to_ask_her_maternity_unit(texts):
    notice = texts.notice("en", Settings.from_env({}))
    assert "Ask your maternity unit for the full privacy notice." in notice and "http" not in notice
    assert "90 days (365 if staff help you)" in notice  # the default retention periods


def test_a_language_without_a_notice_gets_the_english_one(texts):
    assert texts.notice("lt", Settings.from_env({})) == texts.notice("en", Settings.from_env({}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_own_keywords_are_recognised_in_any_case(texts, language):
    for word in texts.keywords[language]:
        assert texts.keyword_language(word) == language
        assert texts.keyword_language(f"  {word.upper()}! ") == language
        assert texts.keyword_language(word.lower()) == language


@pytest.mark.parametrize("message, language", [
    ("DELETE", "en"), ("delete my data", "en"), ("Delete my data.", "en"), ("USUŃ", "pl"), ("usun moje dane", "pl"),
    ("Usuń moje dane!", "pl"), ("sterge datele mele", "ro"), ("\u015fterge datele mele", "ro"),
    ("apagar os meus dados", "pt"), ("احذف بياناتي", "ar"), ("حذف", "ar"), ("میرا ڈیٹا حذف کریں", "ur"),
    ("আমার তথ্য মুছুন", "bn"), ("ਮੇਰਾ ਡਾਟਾ ਮਿਟਾਓ", "pa"), ("اطلاعاتم را پاک کن", "fa"), ("TIRTIR", "so"),
    ("ሓበሬታይ ሰርዝ", "ti"), ("видаліть мої дані", "uk"), ("Видалити", "uk"),
])
def test_delete_keywords_of_the_twelve_languages(texts, message, language):
    assert texts.keyword_language(message) == language


@pytest.mark.parametrize("message", [
    "delete the scan appointment", "how do I delete my data?", "can you delete my data please", "STOP", "", "1",
    "deleted", "I want to delete", "DELETE ME NOW", "usuń wizytę", "حذف الموعد",
])
def test_only_a_whole_message_keyword_deletes(texts, message):
    assert texts.keyword_language(message) is None


def test_english_keywords_answer_in_her_own_language(texts):
    assert texts.keyword_language("DELETE", preferred="pl") == "pl"
    assert texts.keyword_language("delete my data", preferred="so") == "so"
    assert texts.keyword_language("DELETE", preferred="lt") == "en"  # no curated content: English
    assert texts.keyword_language("USUŃ", preferred="uk") == "pl"  # a Polish word is Polish


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_exists_in_every_language(texts, language):
    done, failed = texts.confirmation(language, True), texts.confirmation(language, False)
    assert done and failed and done != failed
    if language != "en":
        assert done != texts.confirmation("en", True)


def test_normalise_folds_case_accents_punctuation_and_invisible_characters():
    assert normalise("  Usuń   MOJE dane!! ") == "usun moje dane"
    assert normalise("اطلاعاتم\u200c را پاک کن؟") == normalise("اطلاعاتم را پاک کن")
    assert normalise("أحذف") == normalise("احذف")


def test_the_notice_joins_the_greeting_or_comes_first():
    greeting = "Hello, I'm Doula"
    messages = [OutMessage("Hello, I'm Doula, an assistant."), OutMessage("menu")]
    joined = with_notice(messages, "NOTICE", greeting)
    assert [m.text for m in joined] == ["Hello, I'm Doula, an assistant.\n\nNOTICE", "menu"]
    assert [m.text for m in with_notice([OutMessage("answer")], "NOTICE", greeting)] == ["NOTICE", "answer"]


# -- content check ------------------------------------------------------------------------------------------------
def test_the_privacy_content_passes_its_checks(catalog):
    assert check_privacy(catalog) == []


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The shipped content with a copy of content/privacy/ to break (the rest linked, not copied: it is large)."""
    copy = tmp_path / "content"
    copy.mkdir()
    for entry in CONTENT_DIR.iterdir():
        if entry.name != "privacy":
            (copy / entry.name).symlink_to(entry)
    shutil.copytree(CONTENT_DIR / "privacy", copy / "privacy")
    return copy


def edit(content: Path, language: str, change) -> None:
    path = content / "privacy" / f"{language}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("language, change, problem", [
    ("pl", lambda d: d["keywords"].append("koniec"), "is also a STOP word"),
    ("pl", lambda d: d["keywords"].append("2"), "is empty or a number"),
    ("pl", lambda d: d["keywords"].append("OPINIA"), "is also a feedback keyword"),
    ("pl", lambda d: d["keywords"].append("język"), "is also a language keyword"),
    ("uk", lambda d: d["keywords"].append("USUŃ"), "is also a keyword of pl"),
    ("en", lambda d: d["keywords"].append("I'm bleeding heavily"), "reads as a red flag"),
    ("ro", lambda d: d["messages"].update(notice=d["messages"]["notice"].replace("{handoff_days}", "365")),
     "placeholders differ"),
    ("pt", lambda d: d["meta"].update(notice_version=0), "is not the English"),
    ("pt", lambda d: d["messages"].update(notice=d["messages"]["notice"] * 2), "SMS segments"),
    ("so", lambda d: d["messages"].update(notice=d["messages"]["notice"].replace("TIRTIR", "XX")),
     "names no delete word"),
    ("fa", lambda d: d["messages"].pop("deleted"), "missing message 'deleted'"),
])
def test_the_check_finds_problems(catalog, content, language, change, problem):
    edit(content, language, change)
    problems = check_privacy(catalog, content)
    assert any(problem in found for found in problems), problems


def test_a_missing_language_is_reported(catalog, content):
    (content / "privacy" / "ti.yml").unlink()
    assert "content/privacy/ti.yml is missing" in check_privacy(catalog, content)
