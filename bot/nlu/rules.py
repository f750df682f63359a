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
from bot.safety.normalize import BREAKS, tokens

NO_TEXT = "no_text"
SELECT_OPTION = "select_option"
CHANGE_LANGUAGE = "change_language"
ASK_PERSON = "ask_person"
GIVE_FEEDBACK = "give_feedback"


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


class KeywordRule:
    """A word the bot tells her to type, typed on its own, means one thing in any state ("LANGUAGE", "język",
    "زبان" reopen the language menu; "FEEDBACK", "OPINIA" start the feedback conversation)."""

    name = "keyword"

    def __init__(self, keywords: set[str], intent: str) -> None:
        self.keywords = {self._norm(k) for k in keywords}
        self.intent = intent

    @staticmethod
    def _norm(text: str) -> str:
        return re.sub(r"[\s\W_]+", " ", unicodedata.normalize("NFC", text).casefold()).strip()

    def match(self, text: str) -> RuleMatch | None:
        return RuleMatch(self.intent) if self._norm(text or "") in self.keywords else None


class LanguageKeywordRule(KeywordRule):
    name = "language_keyword"

    def __init__(self, keywords: set[str]) -> None:
        super().__init__(keywords, CHANGE_LANGUAGE)


class FeedbackKeywordRule(KeywordRule):
    name = "feedback_keyword"

    def __init__(self, keywords: set[str]) -> None:
        super().__init__(keywords, GIVE_FEEDBACK)


class PersonRequestRule:
    """A short message asking for an interpreter, a midwife or a person, in any language (content/handoff/requests.yml).

    Only short messages (at most :attr:`max_words` words) are taken as a request: "I need an interpreter" is one,
    "can I have an interpreter at my birth?" is a question about interpreters and is left to the model, which knows
    the `interpreters` topic. This rule is what lets a woman ask for a person in a language the model was not trained
    on (Somali, Tigrinya ...).
    """

    name = "person_request"
    max_words = 6

    def __init__(self, phrases: dict[str, tuple[str, ...]]) -> None:
        self.phrases = {(language, tuple(words)) for language, items in phrases.items()
                        for words in (self._words(p) for p in items) if words}

    @staticmethod
    def _words(text: str) -> list[str]:
        return [t for t in tokens(text) if t not in BREAKS]

    @staticmethod
    def _contains(words: list[str], phrase: tuple[str, ...], max_gap: int = 2) -> bool:
        for first in (i for i, w in enumerate(words) if w == phrase[0]):
            position = first
            for word in phrase[1:]:
                window = words[position + 1:position + 2 + max_gap]
                if word not in window:
                    break
                position += 1 + window.index(word)
            else:
                return True
        return False

    def match(self, text: str) -> RuleMatch | None:
        words = self._words(text or "")
        if not words or len(words) > self.max_words:
            return None
        for language, phrase in sorted(self.phrases):
            if self._contains(words, phrase):
                return RuleMatch(ASK_PERSON, {"person_request": language})
        return None


def default_rules(catalog: Catalog) -> list[IntentRule]:
    from bot.services.feedback.texts import load_feedback_texts
    from bot.services.handoff.texts import load_handoff_texts  # content/handoff: the same folder the replies use

    keywords = {k for info in catalog.languages.values() for k in info.keywords}
    return [NoTextRule(), MenuNumberRule(), LanguageKeywordRule(keywords),
            FeedbackKeywordRule(set(load_feedback_texts().keywords)), PersonRequestRule(load_handoff_texts().phrases)]
