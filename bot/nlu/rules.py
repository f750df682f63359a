"""A registry of small deterministic intent rules, each behind the same interface (in the manner of Presidio's
recognizers): add a rule by adding a class to :func:`default_rules`, not by patching the classifier.

Rules see the raw message text and return a :class:`RuleMatch`, or None. The first match wins, so order the registry
from the most to the least important.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.content.catalog import Catalog
from bot.language.digits import menu_choice

NO_TEXT = "no_text"
SELECT_OPTION = "select_option"
CHANGE_LANGUAGE = "change_language"


@dataclass(frozen=True)
class RuleMatch:
    intent: str
    # Extra keys added to the parse data (e.g. {"menu_choice": 2}); actions read them from the latest message.
    data: dict[str, Any] = field(default_factory=dict)


class IntentRule(Protocol):
    name: str

    def match(self, text: str) -> RuleMatch | None: ...


def _has_text(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


class NoTextRule:
    """Empty, whitespace, emoji-only or punctuation-only messages: nothing for the model to understand."""

    name = "no_text"

    def match(self, text: str) -> RuleMatch | None:
        return None if _has_text(text or "") else RuleMatch(NO_TEXT)


class MenuNumberRule:
    """A message that is only a number (in any script) is a menu choice."""

    name = "menu_number"

    def match(self, text: str) -> RuleMatch | None:
        number = menu_choice(text)
        return None if number is None else RuleMatch(SELECT_OPTION, {"menu_choice": number})


class LanguageKeywordRule:
    """"language", "język", "زبان" ... typed on their own reopen the language menu, in any state."""

    name = "language_keyword"

    def __init__(self, keywords: set[str]) -> None:
        self.keywords = {self._norm(k) for k in keywords}

    @staticmethod
    def _norm(text: str) -> str:
        return re.sub(r"[\s\W_]+", " ", unicodedata.normalize("NFC", text).casefold()).strip()

    def match(self, text: str) -> RuleMatch | None:
        return RuleMatch(CHANGE_LANGUAGE) if self._norm(text or "") in self.keywords else None


def default_rules(catalog: Catalog) -> list[IntentRule]:
    keywords = {k for info in catalog.languages.values() for k in info.keywords}
    return [NoTextRule(), MenuNumberRule(), LanguageKeywordRule(keywords)]
