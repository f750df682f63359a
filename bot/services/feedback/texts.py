"""What she is asked in the feedback conversation, in her language: `content/feedback/messages/<lang>.yml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content.catalog import load_ui
from bot.content.messages import MessageSet
from bot.paths import CONTENT_DIR


@dataclass(frozen=True)
class FeedbackTexts(MessageSet):
    """The feedback questions and answers per language (see MessageSet)."""

    @property
    def keywords(self) -> tuple[str, ...]:
        """The word each language tells her to type to give feedback ("FEEDBACK", "OPINIA" ...), from `keyword`."""
        return tuple(c.messages["keyword"] for c in self.messages.values() if c.messages.get("keyword"))


def read_feedback_texts(content_dir: Path = CONTENT_DIR) -> FeedbackTexts:
    folder = content_dir / "feedback" / "messages"
    return FeedbackTexts({path.stem: load_ui(path) for path in sorted(folder.glob("*.yml"))})


@lru_cache(maxsize=2)
def load_feedback_texts(content_dir: Path = CONTENT_DIR) -> FeedbackTexts:
    return read_feedback_texts(content_dir)
