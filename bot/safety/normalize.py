"""Normalisation and tokenisation shared by the lexicons and the messages they are matched against, and by the
classifiers (bot/nlu/linear.py, bot/safety/learned.py), which take their n-grams from the same text.

Both sides go through the same function, so a lexicon author writes a word once and it also matches the way women
type it on a phone: any case, with or without accents ("krwawie" = "krwawię"), with Arabic diacritics or letter
variants (ي/ی, ك/ک, ة/ه, أ/إ/آ), with a stretched letter ("bleeeeding"), or with digits in another script.
"""

from __future__ import annotations

import re
import unicodedata

from bot.language.digits import to_ascii_digits

# Tokens standing for the end of a sentence (BREAK) or of a clause within one (CLAUSE, e.g. a comma). Patterns,
# negation and question frames reach across neither (kept apart for tools that want sentences).
BREAK = "|"
CLAUSE = ","
BREAKS = (BREAK, CLAUSE)

_APOSTROPHES = re.compile(r"['’‘`ʼ´]")
# Zero-width characters, soft hyphens and direction marks: the Persian half-space (ZWNJ) is often typed as nothing
# or as a space, so "می‌خواهم" and "میخواهم" are one word.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]")
_LATIN_MARKS = re.compile("[\u0300-\u036f]")  # accents on Latin, Greek and Cyrillic letters
# Harakat, superscript alef, tatweel, Quranic marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_ARABIC_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي", "ے": "ي", "ئ": "ي", "ې": "ي",
    "ک": "ك", "ڪ": "ك",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ە": "ه", "ۃ": "ه",
    "ؤ": "و",
})
_LATIN_LETTERS = str.maketrans({"ł": "l", "ı": "i", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})
_STRETCHED = re.compile(r"(.)\1{2,}")
# Sentence and clause punctuation in the scripts we serve (Latin, Arabic, Devanagari/Bengali danda, Ethiopic).
_SENTENCE_PUNCTUATION = set(".!?\n؟۔।॥።፧")
_CLAUSE_PUNCTUATION = set(",;:،؛፣፤፥፦")


def normalize(text: str) -> str:
    """Case-folded, accent-free, variant-free text (word boundaries kept)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _INVISIBLE.sub("", _APOSTROPHES.sub("", text))
    text = unicodedata.normalize("NFD", text)
    text = _LATIN_MARKS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS).translate(_LATIN_LETTERS)
    text = to_ascii_digits(text)
    return _STRETCHED.sub(r"\1\1", text)


def tokens(text: str) -> list[str]:
    """Words (letters, marks and digits) of normalised `text`, with :data:`BREAK` where a sentence ends and
    :data:`CLAUSE` where a clause ends."""
    out: list[str] = []
    word: list[str] = []
    for ch in normalize(text):
        category = unicodedata.category(ch)
        if category[0] in "LMN":
            word.append(ch)
            continue
        if word:
            out.append("".join(word))
            word = []
        if ch in _SENTENCE_PUNCTUATION and out:
            if out[-1] == CLAUSE:
                out[-1] = BREAK
            elif out[-1] != BREAK:
                out.append(BREAK)
        elif ch in _CLAUSE_PUNCTUATION and out and out[-1] not in BREAKS:
            out.append(CLAUSE)
    if word:
        out.append("".join(word))
    return out


def fuzzy_script(word: str) -> bool:
    """Whether one typo may be forgiven in `word`: alphabets where one letter is one sound-ish unit and words are
    long enough. Not for abugidas (Bengali, Gurmukhi, Ethiopic), where one 'typo' changes a syllable."""
    if len(word) < 5:
        return False
    first = unicodedata.name(word[0], "")
    return first.startswith(("LATIN", "CYRILLIC", "ARABIC"))
