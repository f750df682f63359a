"""Words with their offsets, in any script: the unit the name, address and cue rules work on.

Python's ``\\w`` leaves out the vowel signs of Bengali and Gurmukhi (combining marks), which would cut "রহিমা" in
three, so words are cut here by Unicode category instead: letters, marks and digits, plus the zero-width joiners of
Persian and Urdu, with an apostrophe or hyphen kept between two letters (O'Brien, Anne-Marie, м'яко).

The recognizers receive text whose digits are already ASCII (:func:`bot.language.digits.to_ascii_digits` maps one
character to one character), so the offsets of a word are offsets in the woman's own text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.safety.normalize import normalize

_JOINERS = frozenset("'’ʼ-‐")
_ZERO_WIDTH = frozenset("\u200c\u200d")
# Sentence-ending punctuation of the scripts served (Latin, Arabic, Urdu, Bengali/Gurmukhi danda, Ethiopic).
SENTENCE_END = frozenset(".!?\n؟۔।॥።፧")


_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_ALEFS = str.maketrans("أإآٱ", "اااا")


def written_form(text: str) -> str:
    """A word as written, case-folded, without Arabic diacritics and with its alef unmarked (أحمد = احمد), which is
    how most people type; other letters are kept as they are."""
    return _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text).casefold()).translate(_ALEFS)


def cased(text: str) -> bool:
    """Whether the script has capital letters (Latin, Cyrillic); Arabic, Bengali, Ethiopic ... do not."""
    return text.lower() != text.upper()


def lookup_form(text: str) -> str:
    """How a word is compared with the word lists. In Latin and Cyrillic, without case and accents (women type
    "Lucja" for "Łucja", "mama" for "mamă"); in other scripts, as written, because there a letter variant is often
    another word: "على" is "on", "علی" is Ali; "عايشة" is "living", "عائشة" is Aisha."""
    return normalize(text) if cased(text) else written_form(text)


def is_word_char(ch: str) -> bool:
    return ch in _ZERO_WIDTH or unicodedata.category(ch)[0] in "LMN"


def is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


@dataclass(frozen=True)
class Word:
    """One word of a message: where it is, its text, and the gap of non-word characters just before it."""

    start: int
    end: int
    text: str
    gap: str  # what separates it from the previous word ("" for the first word: see `first`)
    first: bool = False

    @cached_property
    def key(self) -> str:
        """Case-, accent- and letter-variant-free form (for cue phrases, street words ...)."""
        return normalize(self.text)

    @cached_property
    def form(self) -> str:
        """The form compared with the lists of names and of words that are not names (see :func:`lookup_form`)."""
        return lookup_form(self.text)

    @property
    def is_number(self) -> bool:
        return self.text.isdigit()

    @property
    def has_digit(self) -> bool:
        return any(ch.isdigit() for ch in self.text)

    @property
    def cased(self) -> bool:
        return cased(self.text)

    @property
    def title(self) -> bool:
        """Capitalised like a name: "Sarah", "O'Brien", "Łucja" (not "sarah", not "SARAH")."""
        return self.cased and self.text[0].isupper() and not (len(self.text) > 1 and self.text.isupper())

    @property
    def upper(self) -> bool:
        return self.cased and self.text.isupper()

    @property
    def sentence_start(self) -> bool:
        """First word of the text or of a sentence: there a capital letter says nothing about a name."""
        return self.first or any(ch in SENTENCE_END for ch in self.gap)


@lru_cache(maxsize=8)
def words(text: str) -> tuple[Word, ...]:
    """The words of `text` in order (cached for the few recognizers that read the same message in turn)."""
    out: list[Word] = []
    i, n, previous_end = 0, len(text), 0
    while i < n:
        if not is_word_char(text[i]):
            i += 1
            continue
        start = i
        i += 1
        while i < n:
            ch = text[i]
            if is_word_char(ch):
                i += 1
            elif ch in _JOINERS and i + 1 < n and is_letter(text[i + 1]) and is_letter(text[i - 1]):
                i += 1
            else:
                break
        out.append(Word(start, i, text[start:i], text[previous_end:start], first=not out))
        previous_end = i
    return tuple(out)


def plain_gap(gap: str, allowed: str = " \t\u00a0") -> bool:
    """Whether a gap between two words is only spacing (and the characters in `allowed`)."""
    return len(gap) <= 4 and all(ch in allowed for ch in gap) and bool(gap)
