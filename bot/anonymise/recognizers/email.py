"""E-mail addresses, including letters of any script before or after the @ ("fatima.x@example.com", "олена@укр.нет")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.anonymise.entities import EMAIL
from bot.anonymise.recognizers.base import Recognizer, Span

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+%'-]*\w@\w[\w-]*(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w@])")


class EmailAddressRecognizer(Recognizer):
    ENTITY = EMAIL

    def find(self, text: str) -> Iterable[Span]:
        if "@" not in text:
            return
        for match in _EMAIL.finditer(text):
            yield Span(match.start(), match.end(), 1.0)
