"""Detects the language of a message, offline.

Three steps, cheapest and surest first:

1. **Script rules.** A script that belongs to one language here names it: Gurmukhi is Punjabi, Chinese characters
   are Chinese, Ge'ez is Tigrinya or Amharic (told apart by their own spellings), Sinhala, Malayalam ... Letters only
   Pashto, Sorani Kurdish or Urdu use in the Arabic script name those; Cyrillic is Ukrainian or Russian when the
   words say so. lingua has no model for most of these languages.
2. **Marker words** (:mod:`bot.language.romanised`): Urdu, Punjabi, Bengali, Arabic and Farsi in Latin letters,
   Vietnamese and Albanian typed without their marks, and French, which lingua reads poorly in short messages. Two
   marker words name a language; one alone only when lingua cannot place the message (below 0.5 on every language),
   and one romanised word (Urdu, Bengali ...) outweighs lingua's less than sure guess of a language without content
   (romanised Bengali looks Albanian to lingua).
3. **lingua**, in two passes. Over the curated languages and the other languages women here write in (`recognised`
   in content/languages.yml), a language without curated content wins when lingua is sure of it (0.7), or fairly
   sure and well ahead of every curated language, so that Lithuanian is recognised as Lithuanian and not taken for
   Polish. Otherwise lingua decides among the curated languages alone, where its confidence on short text is far
   higher ("when is my scan": English 0.6 among 12 languages, 0.23 among 35); there Urdu needs a letter or a word of
   its own in the Arabic script. English words she mixes in ("scan", "midwife") are left out of what lingua reads
   when enough of her own words remain.

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

# A word: a run of letters, split where Latin letters meet another script ("visitor什么时候上门" is two words).
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_WORD = re.compile(rf"[{_LATIN}]+|(?:(?![{_LATIN}])[^\W\d_])+", re.UNICODE)

MIN_LETTERS = 6  # fewer letters than this in total ... (e.g. "ok", "hi", "tak")
MIN_WORDS = 2  # ... and fewer words than this: too short to tell
MIN_CONFIDENCE = 0.5  # among the curated languages ...
# ... or at least 0.4 with a lead of 0.2 over the next ("can i take paracetamol": English 0.46, Romanian 0.2)
MIN_LEAD = (0.4, 0.2)
# lingua over all the languages below this on every one, in 3+ words: it cannot place the message, and a single
# romanised marker word decides ("vitamin k injection na drops kon ta bhalo": English 0.3, one Bengali word)
MAX_UNPLACED = 0.5
MIN_OTHER_CONFIDENCE = 0.7  # for a language without curated content, among them all ...
# ... or at least 0.45 with a lead of 0.3 over every curated language ("mi bebé llora mucho por la noche": Spanish
# 0.62, Portuguese 0.09; among the curated languages alone, Portuguese 0.65). On short text lingua spreads its
# confidence over the many languages, but a curated language it leaves far behind is not hers.
MIN_OTHER_LEAD = (0.45, 0.3)


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
                    "THAI": "th", "GREEK": "el", "CJK": "zh"}
# Letters of the Arabic script that only Pashto, only Sorani Kurdish, or only Urdu use among the languages here.
_PASHTO = set("ټډړښږځڅۍېګڼ")
_SORANI = set("ەێۆڵڕۊ")
_URDU = set("ےۓںٹڈڑہھ")  # almost every Urdu sentence has one (ہے, میں, کے); Farsi and Arabic write none ...
_URDU_WORDS = {"کا", "کیا", "کوئی", "اور", "کون"}  # ... and most of the rest one of these ("آنول کا نکلنا")
# Pashto words a Pashto message written without its own letters still has ("زما ماشوم ناروغ دی"): two are needed.
# Not "کله" nor "یم": Farsi writes them too ("head", and "we are" after a joiner: "خسته‌یم").
_PASHTO_WORDS = {"زما", "ستا", "دی", "په", "ماشوم", "لري", "شته", "نشته", "هغه"}
# Common words of Ukrainian without і ї є ґ, and of Russian without ы э ё ъ: Cyrillic text without those letters is
# told apart by them. Words that Bulgarian shares (ще, ми, ти, как, или, с, после) are left out.
_UKRAINIAN_WORDS = {"дякую", "тепер", "будь", "ласка", "що", "щоб", "як", "яка", "який", "яке", "вже", "коли", "чи",
                    "але", "дуже", "треба", "можна", "немає", "нема", "тому", "чому", "цей", "ця", "цього", "його",
                    "або", "бо", "зараз", "маю", "вона", "вони", "дитина", "дитину", "дитини", "пологи", "де", "з"}
_RUSSIAN_WORDS = {"что", "чтобы", "меня", "мне", "уже", "когда", "очень", "спасибо", "нет", "можно", "еще",
                  "пожалуйста", "потому", "сейчас", "ребенок", "беременна", "больно", "надо", "нужно", "хорошо",
                  "здравствуйте", "привет", "был", "была", "было", "его", "тебя", "кто", "где", "почему", "сколько",
                  "тоже", "только", "если", "он", "она", "они", "роды", "врач", "болит", "немного", "никого"}
# English function words: two of them and the message is English, whatever loanword or marker word it holds. Not
# those that are words of the other languages too ("to", "do", "my" are Polish, "are" Romanian, "is" and "me" Roman
# Urdu, "i" Albanian).
_ENGLISH_WORDS = frozenset({"the", "will", "with", "and", "you", "it", "can", "what", "when", "how", "of", "for",
                            "have", "has", "does", "been", "this", "that", "should", "would", "there", "she", "we",
                            "they", "not", "your", "at", "from", "about", "after"})
# English words women mix into any language ("ce face health visitor"): they tell lingua nothing of hers.
# Only words that are not also words of the Latin-script languages served ("baby" is Polish, "formula" Portuguese).
_LOANWORDS = frozenset({"scan", "scans", "midwife", "midwives", "health", "visitor", "epidural", "gp", "paracetamol",
                        "appointment", "ultrasound", "antenatal", "postnatal"})
# Tigrinya and Amharic share the Ge'ez script: Tigrinya writes "a" as ኣ and has the ቐ series, Amharic writes አ; and
# each has common words of its own.
_TIGRINYA_WORDS = {"እዩ", "ኢዩ", "ድዩ", "ኣሎ", "ኣሎኹ", "ኣሎኒ", "የለን", "እንታይ", "ከመይ", "ብኸመይ", "ኣብ", "ናይ", "ኢኺ", "ኢኹ",
                   "ክንደይ", "ኣነ", "ደሓን", "መዓስ", "ኣበይ", "ሕጂ", "ቆልዓ", "ጥንሲ", "የብለይን"}
_AMHARIC_WORDS = {"ነው", "ነኝ", "ነህ", "ነሽ", "እኔ", "አለ", "የለም", "ምን", "እንዴት", "ላይ", "ውስጥ", "እፈልጋለሁ", "ናት", "ደህና",
                  "አለብኝ", "መቼ", "የት", "ናቸው", "አይደለም", "ይቻላል", "ነበር", "ብቻ", "እርጉዝ", "ልጄ"}
_AMHARIC_ENDINGS = ("ለሁ", "ኛል", "ዋል")  # "I can", "it hurts me", "has ...": common Amharic verb endings
# ... and two more shapes of Amharic verbs: "ይችላል", "ያለቅሳል" (he/it does: ይ/ያ ... -aል) and "ሆኗል", "ቀልቷል" (has
# become: -ʷaል). Tigrinya's present ends "-እል" (ይኽእል), its -aል words are nouns (ክፋል, ሆስፒታል). Amharic writes
# "time" ጊዜ and "with" ጋር, Tigrinya ግዜ and ምስ.
_ETHIOPIC_A = frozenset(chr(c) for c in range(0x1200, 0x1380) if unicodedata.name(chr(c), "").endswith("AA"))
_ETHIOPIC_WA = frozenset(chr(c) for c in range(0x1200, 0x1380) if unicodedata.name(chr(c), "").endswith("WA"))
# Letters that only one of the languages here writes: Vietnamese's tone-marked vowels and đ, Turkish ı and ğ,
# Ukrainian і ї є ґ, Russian ы э ё ъ (Ukrainian first: a Ukrainian message may quote a Russian word).
_DISTINCTIVE_LETTERS = (
    ("vi", set("đơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")),
    ("tr", set("ığ")),
    ("uk", set("іїєґ")),
    ("ru", set("ыэёъ")),
)


def _cyrillic_language(words: list[str]) -> str | None:
    """Ukrainian or Russian by their own common words, or None when they do not say."""
    lowered = [w.lower() for w in words]
    ukrainian = sum(1 for w in lowered if w in _UKRAINIAN_WORDS)
    russian = sum(1 for w in lowered if w in _RUSSIAN_WORDS)
    if ukrainian > russian:
        return "uk"
    return "ru" if russian > ukrainian else None


def _amharic_shape(word: str) -> bool:
    if word.endswith(_AMHARIC_ENDINGS) or "ጊዜ" in word or word == "ጋር":
        return True
    if len(word) < 3 or word[-1] != "ል":
        return False
    return word[-2] in _ETHIOPIC_WA or (word[-2] in _ETHIOPIC_A and word[0] in "ይያ")


def _ethiopic_language(text: str, words: list[str]) -> str:
    tigrinya = text.count("ኣ") + sum(1 for ch in text if "\u1250" <= ch <= "\u125d")
    tigrinya += 2 * sum(1 for w in words if w in _TIGRINYA_WORDS)
    amharic = text.count("አ") + 2 * sum(1 for w in words if w in _AMHARIC_WORDS or _amharic_shape(w))
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
        english = sum(1 for w in words if w.lower() in _ENGLISH_WORDS) >= 2  # "my sister will come with me"
        read = self._lingua_text(words, english)
        # Marker words too few to name a language: one of one language, in 3+ words, can settle what lingua cannot
        marked = self.romanised.marked(text) if not english else {}
        single = next(iter(marked)) if len(marked) == 1 and sum(marked.values()) == 1 and len(words) >= 3 else None
        first, value, ahead = self._wide_pass(read)
        romanised_word = any(code in self.languages for code in marked)  # of Urdu, Bengali ...
        if first and first not in self.languages:
            # a language without curated content: lingua sure of it, or fairly sure and far ahead of the curated
            # ones, unless a romanised word says lingua is reading writing it has no model for (romanised Bengali
            # looks Albanian to it: "interpreter chaite lojja lage")
            if value >= MIN_OTHER_CONFIDENCE or (ahead and not romanised_word):
                return Detection(first, round(value, 3), "lingua")
        if single and (value < MAX_UNPLACED or (first not in self.languages and romanised_word)):
            return Detection(single, 0.5, "romanised")
        ranked = _ranked(self._curated, read, 3) if self._curated is not None else []
        if (ranked and ranked[0][0] == "ur" and _script_of(read[0]) == "ARABIC" and len(words) >= 3
                and not _URDU_WORDS.intersection(words)):
            # Urdu without a letter of its own is Farsi or Arabic (two-word greetings are shared: "خدا حافظ"); the
            # others' confidences are shared out again among themselves
            rest = 1.0 - ranked[0][1]
            ranked = [(c, round(v / rest, 3)) for c, v in ranked[1:]] if rest > 0 else []
        if not ranked:
            return None
        (code, value), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        if value >= MIN_CONFIDENCE or (value >= MIN_LEAD[0] and value - runner_up >= MIN_LEAD[1]):
            return Detection(code, value, "lingua")
        return None

    @staticmethod
    def _lingua_text(words: list[str], english: bool) -> str:
        """What lingua reads. English words mixed into another script ("الفرق بين labour ward و midwife led unit")
        say nothing of her language: when some words are in another script than Latin, lingua reads those alone; in
        Latin letters, the usual English loanwords are left out when two words of hers or more remain, unless the
        message reads as English anyway."""
        own = [w for w in words if _script_of(w[0]) != "LATIN"]
        if not own and not english:
            own = [w for w in words if w.lower() not in _LOANWORDS]
            own = own if len(own) >= 2 else []
        return " ".join(own if own and len(own) < len(words) else words)

    def _wide_pass(self, text: str) -> tuple[str | None, float, bool]:
        """lingua over all the known languages: (the language it ranks first, its confidence, whether that is at
        least MIN_OTHER_LEAD[0] and MIN_OTHER_LEAD[1] ahead of every curated language). One call, whatever follows:
        the curated pass runs only when this one does not decide."""
        detector = self._wide or self._curated  # only curated languages known: their pass is the wide one
        values = detector.compute_language_confidence_values(text) if detector is not None else []
        if not values:
            return None, 0.0, False
        code, value = values[0].language.iso_code_639_1.name.lower(), values[0].value
        curated = next((v.value for v in values if v.language.iso_code_639_1.name.lower() in self.languages), 0.0)
        return code, value, value >= MIN_OTHER_LEAD[0] and value - curated >= MIN_OTHER_LEAD[1]

    def _script_rule(self, text: str, words: list[str]) -> Detection | None:
        letters = set(text.lower())
        for language, distinctive in _DISTINCTIVE_LETTERS:
            if letters & distinctive and language in self.known:
                return Detection(language, 1.0, "script")
        seen: set[str] = set()
        for word in words:
            script = _script_of(word[0])
            if script in seen:  # each script's rules are asked once
                continue
            seen.add(script)
            if script == "ETHIOPIC":
                language = _ethiopic_language(text, words)
            elif script == "ARABIC" and letters & _PASHTO:
                language = "ps"
            elif script == "ARABIC" and letters & _SORANI:
                language = "ckb"
            elif script == "ARABIC" and letters & _URDU:
                language = "ur"
            elif script == "ARABIC" and sum(1 for w in words if w in _PASHTO_WORDS) >= 2:
                language = "ps"
            elif script == "CYRILLIC":
                language = _cyrillic_language(words)
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


def _ranked(detector, text: str, count: int = 2) -> list[tuple[str, float]]:
    return [(v.language.iso_code_639_1.name.lower(), round(v.value, 3))
            for v in detector.compute_language_confidence_values(text)[:count]]


@lru_cache(maxsize=4)
def detector_for(languages: tuple[str, ...], others: tuple[str, ...] = (),
                 romanised: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> LanguageDetector:
    """A shared detector per language set (building one loads lingua's models)."""
    return LanguageDetector(languages, others, dict(romanised))
