"""Detects the language of a message, offline.

lingua is accurate on short text, but only when restricted to the languages that matter; it has no model for Tigrinya,
so scripts are checked first (Ethiopic -> Tigrinya). Messages too short to tell ("1", "ok", "yes") give no answer, so
they never switch the conversation's language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetectorBuilder

# Letters in a word: any Unicode letter or combining mark (Indic vowel signs are marks).
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

MIN_LETTERS = 6  # fewer letters than this in total ... (e.g. "ok", "hi", "tak")
MIN_WORDS = 2  # ... and fewer words than this: too short to tell
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Detection:
    language: str
    confidence: float
    method: str  # "lingua" or "script"


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


# Scripts that identify a language lingua cannot model (or identifies less reliably than the script does).
SCRIPT_LANGUAGES = {"ETHIOPIC": "ti", "GURMUKHI": "pa"}


class LanguageDetector:
    """Detects among `languages` (ISO 639-1 codes). Build once; :meth:`detect` is cheap and thread-safe."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = tuple(languages)
        lingua_languages = []
        for code in self.languages:
            try:
                iso = getattr(IsoCode639_1, code.upper())
            except AttributeError:
                continue  # no lingua model: only script rules can find it
            lingua_languages.append(iso)
        self._codes = {iso: iso.name.lower() for iso in lingua_languages}
        self._detector = None
        if len(lingua_languages) > 1:
            builder = LanguageDetectorBuilder.from_iso_codes_639_1(*lingua_languages)
            # Load models now, so her first message is not the one that waits a second for them.
            self._detector = builder.with_preloaded_language_models().build()

    def detect(self, text: str) -> Detection | None:
        """The language of `text`, or None when it is too short or too uncertain to say."""
        words = _WORD.findall(text or "")
        letters = sum(len(w) for w in words)
        if letters < MIN_LETTERS and len(words) < MIN_WORDS:
            return None
        script = self._script_rule(words)
        if script:
            return script
        if self._detector is None:
            return None
        values = self._detector.compute_language_confidence_values(" ".join(words))
        if not values:
            return None
        best = values[0]
        if best.value < MIN_CONFIDENCE:
            return None
        code = best.language.iso_code_639_1.name.lower()
        return Detection(code, round(best.value, 3), "lingua") if code in self.languages else None

    def _script_rule(self, words: list[str]) -> Detection | None:
        for word in words:
            language = SCRIPT_LANGUAGES.get(_script_of(word[0]))
            if language in self.languages:
                return Detection(language, 1.0, "script")
        return None


@lru_cache(maxsize=4)
def detector_for(languages: tuple[str, ...]) -> LanguageDetector:
    """A shared detector per language set (building one loads lingua's models lazily)."""
    return LanguageDetector(languages)
