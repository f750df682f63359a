"""The one interface every doula recognizer has: Presidio's EntityRecognizer, reduced to `find(text)`.

A recognizer receives text whose digits are already ASCII and returns spans of that text (the same offsets as in her
own text). It finds one type of entity, in every language at once: the language of a message is only a hint (she
mixes languages, and her words are also redacted in English translation), so recognizers are registered under
Presidio's language code :data:`ALL_LANGUAGES`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable
from typing import ClassVar, NamedTuple

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from bot.anonymise.resources import Resources

ALL_LANGUAGES = "xx"


class Span(NamedTuple):
    start: int
    end: int
    score: float = 0.85


class Recognizer(EntityRecognizer):
    ENTITY: ClassVar[str]

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        super().__init__(supported_entities=[self.ENTITY], supported_language=ALL_LANGUAGES)

    def load(self) -> None:
        """Everything is built in `__init__` from the resources (Presidio calls this hook too)."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return [RecognizerResult(self.ENTITY, span.start, span.end, span.score) for span in self.find(text)]

    @abstractmethod
    def find(self, text: str) -> Iterable[Span]:
        """Spans of `text` (ASCII digits) holding this recognizer's entity."""
