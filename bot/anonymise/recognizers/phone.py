"""Phone numbers, UK and international: "07700 900123", "+44 (0)7700 900 123", "0044 20 7946 0958", "+48 601-234-567".

A run of digit groups (separated by one space, dot or hyphen, or in brackets) is a phone number when it starts with
"+" or "00" and has 8 to 15 digits, or starts with a trunk "0" and has 10 or 11 (the UK's lengths). After a phone
cue word ("tel", "numer telefonu", "ফোন" ...) any 7 to 15 digits are one, since she may leave out the prefix. Two
numbers written one after the other are split where the first reaches a valid length. Dates ("01.02.1990") are too
short to pass, and a ten-digit number that is not a valid NHS number is still a phone number if it has this shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.anonymise.entities import PHONE
from bot.anonymise.recognizers.base import Recognizer, Span
from bot.anonymise.resources import Resources
from bot.anonymise.text import words

# One group of digits, maybe in brackets; groups are joined by a single separator.
_GROUP = r"\(?\+?\d+\)?"
_RUN = re.compile(rf"(?<![\w+./-])(?:\+|00)?{_GROUP}(?:[ .\-]?{_GROUP})*(?![\w/])")
_GROUPS = re.compile(r"\+?\d+")

CUE_WINDOW = 3  # words between a cue and the number ("tel. kom. 601 ...", "call me on 07 ...")


def _valid(digits: str, prefix: str, cued: bool) -> bool:
    """Whether `digits` (all the digits of the candidate, its "+" or "00" taken off into `prefix`) make a number."""
    if prefix and digits.startswith("44"):
        national = digits[2:].removeprefix("0")  # "+44 (0)20 ..." writes the trunk 0 too
        return len(national) in (9, 10)
    if prefix:
        return 8 <= len(digits) <= 15
    if cued:
        return 7 <= len(digits) <= 15
    return digits.startswith("0") and 10 <= len(digits) <= 11


class PhoneNumberRecognizer(Recognizer):
    ENTITY = PHONE

    def __init__(self, resources: Resources) -> None:
        self.cues = resources.phrases("phone", "cues")
        super().__init__(resources)

    def find(self, text: str) -> Iterable[Span]:
        cued_from = self._cue_ends(text)
        for run in _RUN.finditer(text):
            cued = any(0 <= run.start() - end <= 40 for end in cued_from)
            yield from self._split(text, run, cued)

    def _cue_ends(self, text: str) -> list[int]:
        """Where a phone cue ends, if a number may follow within a few words."""
        if not self.cues.phrases:
            return []
        ws = words(text)
        keys = [w.key for w in ws]
        ends = []
        for i in range(len(ws)):
            length = self.cues.starting_at(keys, i)
            if length:
                ends.append(ws[i + length - 1].end)
        return ends

    def _split(self, text: str, run: re.Match[str], cued: bool) -> Iterable[Span]:
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _GROUPS.finditer(run.group(0))]
        i = 0
        while i < len(groups):
            first = text[groups[i][0]:groups[i][1]]
            prefix = "+" if first.startswith("+") else "00" if first.startswith("00") else ""
            digits, found = "", None
            for j in range(i, len(groups)):
                digits += text[groups[j][0]:groups[j][1]].lstrip("+")
                if len(digits) - len(prefix.strip("+")) > 15:
                    break
                if _valid(digits.removeprefix(prefix.strip("+")), prefix, cued):
                    found = j
            if found is None:
                i += 1
                continue
            start, end = groups[i][0], groups[found][1]
            if start > run.start() and text[start - 1] == "(":
                start -= 1
            if end < run.end() and text[end] == ")":
                end += 1
            yield Span(start, end, 0.8 if cued or prefix or first.startswith("0") else 0.6)
            i = found + 1
