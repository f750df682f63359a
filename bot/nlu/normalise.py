"""Text normalisation for the intent classifier only (:mod:`bot.nlu.linear`): two views of one message.

Women type the same word in many ways: "ciąża" and "ciaza", "زیادہ" and "زياده" (Persian/Urdu ی ک ہ against Arabic
ي ك ه), with or without harakat, with a stretched tatweel or letter ("pleeease"), with Persian or Bengali digits. A
character n-gram model sees these as different strings, so the training examples of one spelling do not help the
other. The classifier therefore looks at:

* :func:`normalise` — case-folded, invisible characters and Arabic marks (harakat, tatweel) removed, letter variants
  of the Arabic script unified, digits made ASCII, stretched letters shortened; Latin accents are *kept*, because
  they still carry meaning ("są" / "sa") when she types them;
* :func:`fold` — the same, and Latin/Cyrillic accents removed too ("ciąża" -> "ciaza", "łożysko" -> "lozysko"), so
  that the message typed without diacritics meets the examples written with them.

The safety lexicons have their own normaliser (:mod:`bot.safety.normalize`); this one is for the model's features,
and changing it changes what the model learns, so `doula eval nlu` should be run after any change.
"""

from __future__ import annotations

import re
import unicodedata

from bot.language.digits import to_ascii_digits

# Zero-width characters and soft hyphens: the Persian half-space (ZWNJ) is often typed as nothing or as a space, so
# "می‌خواهم" and "میخواهم" should be one word.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]")
_APOSTROPHES = re.compile(r"['’‘`ʼ´]")
# Harakat, superscript alef, tatweel, Quranic annotation marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
# One letter per sound-alike group of the Arabic script as Arabic, Persian and Urdu keyboards type it.
_ARABIC_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي", "ے": "ي", "ې": "ي", "ئ": "ي",
    "ک": "ك", "ڪ": "ك",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ە": "ه", "ۃ": "ه",
    "ؤ": "و",
})
_LATIN_MARKS = re.compile("[\u0300-\u036f]")  # combining accents of Latin, Greek and Cyrillic letters
_LATIN_LETTERS = str.maketrans({"ł": "l", "ı": "i", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe",
                                "ş": "s", "ţ": "t"})
_STRETCHED = re.compile(r"(.)\1{2,}")


def normalise(text: str) -> str:
    """Case-folded text with Arabic-script variants, marks, digits and stretched letters unified (Latin accents
    kept)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _INVISIBLE.sub("", _APOSTROPHES.sub("", text))
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    text = to_ascii_digits(text)
    return _STRETCHED.sub(r"\1\1", text)


def fold(text: str) -> str:
    """:func:`normalise`, and without Latin/Cyrillic accents: "Ciąża" -> "ciaza", "йод" -> "иод"."""
    text = unicodedata.normalize("NFD", normalise(text))
    text = _LATIN_MARKS.sub("", text)
    return unicodedata.normalize("NFC", text).translate(_LATIN_LETTERS)
