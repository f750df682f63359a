"""Detects the language of a message, offline.

Three steps, cheapest and surest first:

1. **Script rules.** A script that belongs to one language here names it: Gurmukhi is Punjabi, Ge'ez is Tigrinya or
   Amharic (told apart by their own spellings), Sinhala, Malayalam ... Letters only Pashto or Sorani Kurdish use in
   the Arabic script name those. lingua has no model for most of these languages.
2. **Romanised writing** (:mod:`bot.language.romanised`): Urdu, Punjabi, Bengali, Arabic and Farsi in Latin letters.
3. **lingua**, in two passes. Over the curated languages and the other languages women here write in (`recognised`
   in content/languages.yml), a language without curated content wins only when lingua is sure of it (0.7), so that
   Lithuanian is recognised as Lithuanian and not taken for Polish. Otherwise lingua decides among the curated
   languages alone, where its confidence on short text is far higher ("when is my scan": English 0.6 among 12
   languages, 0.23 among 35).

Messages too short to tell ("1", "ok", "yes") give no answer, so they never switch the conversation's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetectorBuilder

from bot.language.romanised import RomanisedDetector

# Letters in a word: any Unicode letter or combining mark (Indic vowel signs are marks).
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

MIN_LETTERS = 6  # fewer letters than this in total ... (e.g. "ok", "hi", "tak")
MIN_WORDS = 2  # ... and fewer words than this: too short to tell
MIN_CONFIDENCE = 0.5  # among the curated languages ...
# ... or at least 0.4 with a lead of 0.2 over the next ("can i take paracetamol": English 0.46, Romanian 0.2)
MIN_LEAD = (0.4, 0.2)
MIN_OTHER_CONFIDENCE = 0.7  # for a language without curated content, among them all


@dataclass(frozen=True)
class Detection:
    language: str
    confidence: float
    method: str  # "lingua", "script" or "romanised"


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


# Scripts that identify one language here (lingua has no model for most of them, or is less sure than the script).
SCRIPT_LANGUAGES = {"GURMUKHI": "pa", "SINHALA": "si", "MALAYALAM": "ml", "TAMIL": "ta", "GUJARATI": "gu",
                    "THAI": "th", "GREEK": "el"}
# Letters of the Arabic script that only Pashto, or only Sorani Kurdish, use among the languages here.
_PASHTO = set("ټډړښږځڅۍې")
_SORANI = set("ەێۆڵڕۊ")
# Tigrinya and Amharic share the Ge'ez script: Tigrinya writes "a" as ኣ and has the ቐ series, Amharic writes አ; and
# each has common words of its own.
_TIGRINYA_WORDS = {"እዩ", "ኢዩ", "ድዩ", "ኣሎ", "ኣሎኹ", "ኣሎኒ", "የለን", "እንታይ", "ከመይ", "ብኸመይ", "ኣብ", "ናይ", "ኢኺ", "ኢኹ",
                   "ክንደይ", "ኣነ", "ደሓን", "መዓስ", "ኣበይ", "ሕጂ", "ቆልዓ", "ጥንሲ", "የብለይን"}
_AMHARIC_WORDS = {"ነው", "ነኝ", "ነህ", "ነሽ", "እኔ", "አለ", "የለም", "ምን", "እንዴት", "ላይ", "ውስጥ", "እፈልጋለሁ", "ናት", "ደህና",
                  "አለብኝ", "መቼ", "የት", "ናቸው", "አይደለም", "ይቻላል", "ነበር", "ብቻ", "እርጉዝ", "ልጄ"}
_AMHARIC_ENDINGS = ("ለሁ", "ኛል", "ዋል")  # "I can", "it hurts me", "has ...": common Amharic verb endings
# Letters that only one of the languages here writes: Vietnamese's tone-marked vowels and đ, Turkish ı and ğ,
# Ukrainian і ї є ґ, Russian ы э ё ъ (Ukrainian first: a Ukrainian message may quote a Russian word).
_DISTINCTIVE_LETTERS = (
    ("vi", set("đơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")),
    ("tr", set("ığ")),
    ("uk", set("іїєґ")),
    ("ru", set("ыэёъ")),
)


def _ethiopic_language(text: str, words: list[str]) -> str:
    tigrinya = text.count("ኣ") + sum(1 for ch in text if "\u1250" <= ch <= "\u125d")
    tigrinya += 2 * sum(1 for w in words if w in _TIGRINYA_WORDS)
    amharic = text.count("አ") + 2 * sum(1 for w in words if w in _AMHARIC_WORDS or w.endswith(_AMHARIC_ENDINGS))
    return "am" if amharic > tigrinya else "ti"


class LanguageDetector:
    """Detects among `languages` and `others` (ISO 639-1 codes; `ckb` and `kmr` for Kurdish). Build once;
    :meth:`detect` is cheap and thread-safe."""

    def __init__(self, languages: tuple[str, ...], others: tuple[str, ...] = (),
                 romanised: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.languages = tuple(languages)
        self.known = tuple(dict.fromkeys(self.languages + tuple(others)))
        self.romanised = RomanisedDetector({k: v for k, v in (romanised or {}).items() if k in self.known})
        self._curated = _lingua(self.languages)
        self._wide = _lingua(self.known) if len(self.known) > len(self.languages) else None

    def detect(self, text: str) -> Detection | None:
        """The language of `text`, or None when it is too short or too uncertain to say."""
        text = text or ""
        words = _WORD.findall(text)
        letters = sum(len(w) for w in words)
        if letters < MIN_LETTERS and len(words) < MIN_WORDS:
            return None
        script = self._script_rule(text, words)
        if script:
            return script
        romanised = self.romanised.detect(text)
        if romanised:
            return Detection(romanised[0], romanised[1], "romanised")
        # English words mixed into another script ("الفرق بين labour ward و midwife led unit") say nothing of her
        # language: when some words are in another script than Latin, lingua reads those alone.
        own_script = [w for w in words if _script_of(w[0]) != "LATIN"]
        text = " ".join(own_script if own_script and len(own_script) < len(words) else words)
        if self._wide is not None:
            best = _best(self._wide, text)
            if best and best[0] not in self.languages and best[1] >= MIN_OTHER_CONFIDENCE:
                return Detection(best[0], best[1], "lingua")
        ranked = _ranked(self._curated, text) if self._curated is not None else []
        if not ranked:
            return None
        (code, value), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        if value >= MIN_CONFIDENCE or (value >= MIN_LEAD[0] and value - runner_up >= MIN_LEAD[1]):
            return Detection(code, value, "lingua")
        return None

    def _script_rule(self, text: str, words: list[str]) -> Detection | None:
        letters = set(text.lower())
        for language, distinctive in _DISTINCTIVE_LETTERS:
            if letters & distinctive and language in self.known:
                return Detection(language, 1.0, "script")
        for word in words:
            script = _script_of(word[0])
            if script == "ETHIOPIC":
                language = _ethiopic_language(text, words)
            elif script == "ARABIC" and letters & _PASHTO:
                language = "ps"
            elif script == "ARABIC" and letters & _SORANI:
                language = "ckb"
            else:
                language = SCRIPT_LANGUAGES.get(script)
            if language in self.known:
                return Detection(language, 1.0, "script")
            if language == "am" and "ti" in self.known:  # Amharic not served: its neighbour's content is closest
                return Detection("ti", 0.6, "script")
        return None


def _lingua(codes: tuple[str, ...]):
    isos = [iso for iso in (getattr(IsoCode639_1, code.upper(), None) for code in codes) if iso is not None]
    if len(isos) < 2:  # no lingua model for the others: only script rules can find them
        return None
    # Load models now, so her first message is not the one that waits a second for them.
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_preloaded_language_models().build()


def _ranked(detector, text: str) -> list[tuple[str, float]]:
    return [(v.language.iso_code_639_1.name.lower(), round(v.value, 3))
            for v in detector.compute_language_confidence_values(text)[:2]]


def _best(detector, text: str) -> tuple[str, float] | None:
    ranked = _ranked(detector, text)
    return ranked[0] if ranked else None


@lru_cache(maxsize=4)
def detector_for(languages: tuple[str, ...], others: tuple[str, ...] = (),
                 romanised: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> LanguageDetector:
    """A shared detector per language set (building one loads lingua's models)."""
    return LanguageDetector(languages, others, dict(romanised))
