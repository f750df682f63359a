"""How hard English text is to read: the Flesch reading ease and Flesch-Kincaid grade.

NHS guidance aims health information at a reading age of 9 to 11 (roughly grade 4 to 6, reading ease 60 and above).
The measures are crude (they count syllables and sentence length, not meaning), so they inform reviewers in the
content export; they do not fail the content check. Only English is measured: the formulas are calibrated for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables of an English word by vowel groups, a silent final e removed; at least one."""
    word = word.lower().strip("'-")
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    return max(1, len(_VOWEL_GROUPS.findall(word)))


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def reading_ease(self) -> float:
        """Flesch reading ease: 60-70 is plain English; higher is easier."""
        if not self.words:
            return 100.0
        return 206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level: the US school grade; a reading age is about grade + 5."""
        if not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def measure(text: str) -> Readability:
    words = _WORD.findall(text)
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    return Readability(words=len(words), sentences=sentences, syllables=sum(syllables(w) for w in words))
