"""A set of messages in several languages, one catalog per language, with English for what a language lacks.

Handoff notices (`content/handoff/messages/`) and feedback questions (`content/feedback/messages/`) are such sets:
the same keys in every language, each file with its translation status."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.models import UiCatalog


@dataclass(frozen=True)
class MessageSet:
    messages: dict[str, UiCatalog]  # language -> its catalog
    default: str = "en"

    def language_for(self, language: str | None) -> str:
        """The language whose catalog is used for `language` (the default when it has none)."""
        return language if language in self.messages else self.default

    def text(self, language: str | None, key: str, **values: object) -> str:
        catalog = self.messages[self.language_for(language)]
        template = catalog.messages.get(key) or self.messages[self.default].messages[key]
        return template.format(**values) if values else template

    def status(self, language: str | None) -> str:
        """Translation status of the catalog used for `language` (original, machine-drafted or reviewed)."""
        return self.messages[self.language_for(language)].translation_status
