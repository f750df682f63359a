"""Full dates — day, month and year — in figures or in words: "12/03/1990", "12.03.90", "1990-03-12",
"3 March 1990", "March 3rd, 1990", "3 marca 1990 r.", "3 de março de 1990", "۱۲ اسفند ۱۳۶۸", "3 березня 1990".

Every full date is redacted as a date of birth: hers, her baby's (the most identifying date in a maternity service)
or an appointment's, which also narrows down who she is. A date without a year ("3 March"), a month alone ("May"),
and the counts of pregnancy ("week 37", "37+4", "37 weeks", "3 days") are left: they carry the story, not her.
Month names come from every language file (Gregorian, Solar Hijri, Bengali and Ethiopian calendars), with and
without accents; years run from 1300 (Solar Hijri and Bengali years) to 2099.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.anonymise.entities import DATE_OF_BIRTH
from bot.anonymise.recognizers.base import Recognizer, Span
from bot.anonymise.resources import Resources
from bot.anonymise.text import is_word_char

_YEAR4 = r"(?:1[3-9]\d\d|20\d\d)"
_NUMERIC = re.compile(r"(?<![\d.,/:-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[./-]\d)")
_ISO = re.compile(rf"(?<![\d.,/:-])({_YEAR4})([./-])(\d{{1,2}})\2(\d{{1,2}})(?![\d]|[./-]\d)")


def _plausible(day: int, month: int) -> bool:
    """Day/month or month/day (she may write either)."""
    return (1 <= day <= 31 and 1 <= month <= 12) or (1 <= month <= 31 and 1 <= day <= 12)


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _alternatives(items: Iterable[str]) -> str:
    variants = set()
    for item in items:
        item = unicodedata.normalize("NFC", item)
        variants |= {item, unicodedata.normalize("NFC", _strip_accents(item))}
    ordered = sorted((v for v in variants if v), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in v.split()) for v in ordered)


class DateOfBirthRecognizer(Recognizer):
    ENTITY = DATE_OF_BIRTH

    def __init__(self, resources: Resources) -> None:
        months = _alternatives(resources.months)
        ordinals = _alternatives(resources.union("date", "ordinals"))
        joiners = _alternatives(resources.union("date", "joiners"))
        day = rf"(?:0?[1-9]|[12]\d|3[01])(?:\s?(?:{ordinals}))?" if ordinals else r"(?:0?[1-9]|[12]\d|3[01])"
        joiner = rf"(?:\s*(?:{joiners})\s*|\s*,\s*|\s+|\s*[./-]\s*)" if joiners else r"(?:\s*,\s*|\s+|\s*[./-]\s*)"
        month = rf"(?:{months})\.?"
        year = rf"(?:{_YEAR4}|['’]\d\d)"
        self._words = re.compile(
            rf"(?<![\d])(?:{day}{joiner}{month}{joiner}{year}|{month}{joiner}{day}{joiner}{year})(?!\d)",
            re.IGNORECASE,
        )
        super().__init__(resources)

    def find(self, text: str) -> Iterable[Span]:
        for match in _NUMERIC.finditer(text):
            first, second, year = int(match.group(1)), int(match.group(3)), match.group(4)
            if _plausible(first, second) and (len(year) == 2 or 1300 <= int(year) <= 2099):
                yield Span(match.start(), match.end(), 0.85)
        for match in _ISO.finditer(text):
            if 1 <= int(match.group(3)) <= 12 and 1 <= int(match.group(4)) <= 31:
                yield Span(match.start(), match.end(), 0.85)
        for match in self._words.finditer(text):
            start, end = match.span()
            if (start == 0 or not is_word_char(text[start - 1])) and (end == len(text) or not is_word_char(text[end])):
                yield Span(start, end, 0.85)
