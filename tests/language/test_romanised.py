"""Romanised Urdu, Punjabi, Bengali, Arabic and Farsi are recognised; ordinary Latin-script languages are not taken
for them."""

import re

import pytest
import yaml

from bot.content.catalog import load_catalog
from bot.language.romanised import RomanisedDetector
from bot.paths import DATA_DIR

CATALOG = load_catalog()
DETECTOR = RomanisedDetector(CATALOG.romanised)


@pytest.mark.parametrize("text, language", [
    ("mujhe epidural chahiye?", "ur"),
    ("kya scan zaroori hai", "ur"),
    ("bacha hil nahi raha", "ur"),
    ("amar scan kobe hobe", "bn"),
    ("ami ki korbo ekhon", "bn"),
    ("ana 7amel w 3ayza a3raf", "ar"),
    ("mikham bedunam chera dard daram", "fa"),
    ("mainu dasso ki karna hunda", "pa"),
    ("em bi sot nhieu qua khong biet lam sao", "vi"),
    ("kam dhimbje te forta ne bark, cfare te bej", "sq"),
    ("j’ai besoin d'un rendez vous", "fr"),  # a phone's curly apostrophe
    ("mera bacha kinna ronda hai", "pa"),  # Urdu words Punjabi shares, and one of its own
])
def test_romanised_writing_is_recognised(text, language):
    found = DETECTOR.detect(text)
    assert found is not None and found[0] == language


@pytest.mark.parametrize("text", ["where can I give birth", "main menu", "gdzie mogę urodzić", "vreau să nasc acasă",
                                  "quero saber sobre a epidural", "waxaan rabaa inaan wax ogaado", "ok thanks",
                                  "میں حاملہ ہوں"])
def test_other_writing_is_not_taken_for_romanised(text):
    assert DETECTOR.detect(text) is None


def test_one_marker_word_is_counted_but_names_no_language_alone():
    assert DETECTOR.detect("kon hospital e delivery bhalo") is None
    assert DETECTOR.marked("kon hospital e delivery bhalo") == {"bn": 1}
    assert DETECTOR.marked("where can I give birth") == {}


def _words(language: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in (DATA_DIR / "nlu" / language).rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for word in re.findall(r"[a-z0-9']+", str(block.get("examples", "")).lower()):
                counts[word] = counts.get(word, 0) + 1
    return counts


@pytest.mark.parametrize("language", ["en", "pl", "ro", "pt", "so"])
def test_marker_words_are_not_common_words_of_the_latin_script_languages(language):
    """A marker that is an everyday word of English or Polish would turn her language into Urdu."""
    counts = _words(language)
    common = {w for w, n in counts.items() if n >= 3}
    clashes = {code: sorted(set(words) & common) for code, words in CATALOG.romanised.items()}
    assert not any(clashes.values()), clashes
