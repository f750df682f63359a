"""What she is asked in the feedback conversation, in her language: `content/feedback/messages/<lang>.yml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content.catalog import load_ui
from bot.content.models import UiCatalog
from bot.paths import CONTENT_DIR


@dataclass(frozen=True)
class FeedbackTexts:
    messages: dict[str, UiCatalog]  # language -> the questions and answers
    default: str = "en"

    @property
    def keywords(self) -> tuple[str, ...]:
        """The word each language tells her to type to give feedback ("FEEDBACK", "OPINIA" ...), from `keyword`."""
        return tuple(c.messages["keyword"] for c in self.messages.values() if c.messages.get("keyword"))

    def language_for(self, language: str | None) -> str:
        return language if language in self.messages else self.default

    def text(self, language: str | None, key: str, **values: object) -> str:
        catalog = self.messages[self.language_for(language)]
        template = catalog.messages.get(key) or self.messages[self.default].messages[key]
        return template.format(**values) if values else template

    def status(self, language: str | None) -> str:
        return self.messages[self.language_for(language)].translation_status


def read_feedback_texts(content_dir: Path = CONTENT_DIR) -> FeedbackTexts:
    folder = content_dir / "feedback" / "messages"
    return FeedbackTexts({path.stem: load_ui(path) for path in sorted(folder.glob("*.yml"))})


@lru_cache(maxsize=2)
def load_feedback_texts(content_dir: Path = CONTENT_DIR) -> FeedbackTexts:
    return read_feedback_texts(content_dir)
