"""The word lists in content/anonymise: every language and community present and well formed."""

from pathlib import Path

import yaml

from bot.anonymise.resources import CONTENT_DIR, read_word_list
from bot.anonymise.text import lookup_form

LANGUAGES = {"en", "pl", "ro", "pt", "ar", "fa", "ur", "bn", "pa", "so", "ti", "uk"}
COMMUNITIES = {"english", "polish", "romanian", "portuguese", "arabic", "farsi", "urdu", "bengali", "punjabi",
               "somali", "tigrinya", "ukrainian"}


def test_every_language_has_its_rules(resources):
    assert set(resources.languages) >= LANGUAGES
    for code, rules in resources.languages.items():
        assert rules.get("person", "roles"), code
        assert rules.get("hospital_number", "cues"), code
        assert rules.get("phone", "cues"), code
        assert len(rules.months) >= 12, code


def test_language_files_parse_and_say_what_they_are():
    for path in sorted((CONTENT_DIR / "languages").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#"), f"{path.name}: a header comment says what the file is for"
        assert yaml.safe_load(text)["language"] == path.stem


def test_every_community_has_a_few_hundred_names():
    files = {p.stem: p for p in (CONTENT_DIR / "names").glob("*.txt")}
    assert set(files) == COMMUNITIES
    for community, path in files.items():
        assert path.read_text(encoding="utf-8").startswith("#"), f"{community}: header comment"
        assert len(set(read_word_list(path))) >= 150, community
        assert all(" " not in name for name in read_word_list(path)), f"{community}: one word per name"


def test_names_are_written_in_their_own_scripts_too():
    scripts = {"arabic": "\u0600", "farsi": "\u0600", "urdu": "\u0600", "bengali": "\u0980", "punjabi": "\u0a00",
               "tigrinya": "\u1200", "ukrainian": "\u0400"}
    for community, block in scripts.items():
        names = read_word_list(CONTENT_DIR / "names" / f"{community}.txt")
        assert sum(block <= name[0] <= chr(ord(block) + 0x17f) for name in names) >= 60, community
        assert sum(name.isascii() for name in names) >= 20, f"{community}: Latin spellings used in the UK"


def test_placeholders_and_role_words_are_never_names(resources):
    for word in ("NAME", "PHONE", "Midwife", "Doctor", "Baby", "May", "Will", "Paracetamol"):
        assert lookup_form(word) in resources.not_names, word


def test_ambiguous_names_are_listed_names(resources):
    """An entry of ambiguous_names.txt that is in no name list does nothing: most likely a spelling slip."""
    listed = {lookup_form(n) for p in (CONTENT_DIR / "names").glob("*.txt") for n in read_word_list(Path(p))}
    unlisted = sorted(w for w in read_word_list(CONTENT_DIR / "ambiguous_names.txt") if lookup_form(w) not in listed)
    assert unlisted == []
