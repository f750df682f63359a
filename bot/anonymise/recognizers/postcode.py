"""UK postcodes, in full ("SW1A 1AA", "m1 1ae", "B338TH"): with the district alone ("SW1A") she is not findable.

The shapes and letters are the Royal Mail's (no C, I, K, M, O or V in the last two letters). Written in lower case
the space is required: "b338th" run together is as likely a typing slip as a postcode.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.anonymise.entities import POSTCODE
from bot.anonymise.recognizers.base import Recognizer, Span

_POSTCODE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPS-UW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?)( ?)\d[ABD-HJLNP-UW-Z]{2})(?!\w)",
    re.IGNORECASE,
)


class PostcodeRecognizer(Recognizer):
    ENTITY = POSTCODE

    def find(self, text: str) -> Iterable[Span]:
        for match in _POSTCODE.finditer(text):
            code = match.group(0)
            if code.isupper() or match.group(1):
                yield Span(match.start(), match.end(), 0.9)
