"""Hospital numbers (MRN, unit or patient numbers): a code after a cue word in any language served ("hospital
number", "MRN", "numer pacjentki", "رقم الملف", "ہسپتال نمبر", "হাসপাতাল নম্বর", "ቁጽሪ ሕሙም", "номер картки" ...),
or on its own in the shapes trusts use: one to three letters then six to eight digits ("RX1234567", "K0123456").

After a cue, the code is the first run of characters with at least four digits within a few words (words such as
"is", "jest", "هو" or "ہے" may come between); letters and digits may be split by a space or hyphen ("RX 123 4567").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.anonymise.entities import HOSPITAL_NUMBER
from bot.anonymise.recognizers.base import Recognizer, Span
from bot.anonymise.resources import Resources
from bot.anonymise.text import SENTENCE_END, words

_SHAPE = re.compile(r"(?<![\w-])[^\W\d_]{1,3}\d{6,8}(?![\w-])")
_ALNUM = re.compile(r"[^\W_]+")
WINDOW = 3  # words allowed between the cue and the code
MIN_DIGITS = 4


class HospitalNumberRecognizer(Recognizer):
    ENTITY = HOSPITAL_NUMBER

    def __init__(self, resources: Resources) -> None:
        self.cues = resources.phrases("hospital_number", "cues")
        super().__init__(resources)

    def find(self, text: str) -> Iterable[Span]:
        for match in _SHAPE.finditer(text):
            if match.group(0).isascii():
                yield Span(match.start(), match.end(), 0.7)
        ws = words(text)
        keys = [w.key for w in ws]
        for i in range(len(ws)):
            length = self.cues.starting_at(keys, i)
            if length:
                span = self._code_after(text, ws, i + length)
                if span:
                    yield span

    def _code_after(self, text: str, ws: tuple, index: int) -> Span | None:
        """The code in the words from `index` on: the first word with a digit, with its neighbours of the code."""
        for k in range(index, min(index + WINDOW + 1, len(ws))):
            if any(ch in SENTENCE_END for ch in ws[k].gap.replace(".", "")):
                return None
            if not ws[k].has_digit:
                continue
            first = k - 1 if k > index and _prefix(ws[k - 1]) and _joined(ws[k].gap) else k
            last = k
            while last + 1 < len(ws) and _joined(ws[last + 1].gap) and _code_part(ws[last + 1]):
                last += 1
            code = text[ws[first].start:ws[last].end]
            if sum(ch.isdigit() for ch in code) >= MIN_DIGITS:
                return Span(ws[first].start, ws[last].end, 0.95)
            return None
        return None


def _prefix(word) -> bool:
    """Letters that start a code ("RX" of "RX 1234567"), in capitals."""
    return len(word.text) <= 3 and word.text.isalpha() and word.text.isupper()


def _code_part(word) -> bool:
    return word.has_digit and len(word.text) <= 12


def _joined(gap: str) -> bool:
    return gap in (" ", "-", "/")
