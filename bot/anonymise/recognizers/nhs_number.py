"""NHS numbers: ten digits, written "943 476 5919", "943-476-5919" or "9434765919", whose last digit checks out.

The check digit (modulus 11) is what makes a ten-digit number an NHS number: a number that fails it is not one
(a phone number, a typing slip), and is left to the other recognizers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.anonymise.entities import NHS_NUMBER
from bot.anonymise.recognizers.base import Recognizer, Span

# A lookahead, so that a candidate failing the check cannot hide an overlapping one that passes.
_NHS = re.compile(r"(?<!\d)(?=((\d{3})([ -]?)(\d{3})\3(\d{4}))(?!\d))")


def nhs_check_digit_ok(digits: str) -> bool:
    """The modulus 11 check of an NHS number: weights 10..2 on the first nine digits, 11 minus the remainder is the
    tenth (11 counts as 0; 10 means no valid number has these first nine digits)."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


class NhsNumberRecognizer(Recognizer):
    ENTITY = NHS_NUMBER

    def find(self, text: str) -> Iterable[Span]:
        for match in _NHS.finditer(text):
            if nhs_check_digit_ok(match.group(2) + match.group(4) + match.group(5)):
                yield Span(match.start(), match.start() + len(match.group(1)), 1.0)
