"""Words and their offsets in every script, and digits of other scripts made ASCII one for one."""

import sys
import unicodedata

import pytest

from bot.anonymise.text import words
from bot.language.digits import to_ascii_digits


def test_every_decimal_digit_maps_to_one_ascii_character():
    # offsets found in the ASCII text are offsets in hers only because of this
    for codepoint in range(sys.maxunicode + 1):
        ch = chr(codepoint)
        if unicodedata.category(ch) == "Nd":
            assert len(to_ascii_digits(ch)) == 1 and to_ascii_digits(ch).isascii(), hex(codepoint)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. O'Brien, Anne-Marie!", ["Dr", "O'Brien", "Anne-Marie"]),
        ("রহিমা আপা", ["রহিমা", "আপা"]),  # vowel signs are marks, not breaks
        ("ਸਿਮਰਨ ਜੀ", ["ਸਿਮਰਨ", "ਜੀ"]),
        ("می‌کنم", ["می‌کنم"]),  # the Persian zero-width non-joiner stays inside the word
        ("ሰላም፣ ዳዊት።", ["ሰላም", "ዳዊት"]),
    ],
)
def test_words(text, expected):
    found = words(text)
    assert [w.text for w in found] == expected
    assert all(text[w.start:w.end] == w.text for w in found)


def test_sentence_starts():
    ws = words("Hope so. Will they call? yes")
    assert [w.sentence_start for w in ws] == [True, False, True, False, False, True]
