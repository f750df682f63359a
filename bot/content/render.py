"""Turns content into the messages the bot sends, in one language.

A :class:`Renderer` never invents text: every sentence comes from `content/`. When a key or a topic is missing in the
requested language it falls back to the default language (English) rather than failing, because a reply in English
is better than no reply; `doula content check` makes sure that does not happen in a release.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from bot.content.catalog import Catalog
from bot.content.models import Topic


@dataclass(frozen=True)
class Button:
    """A quick reply. The payload is exactly what she could type instead (a menu number), so all channels agree."""

    title: str
    payload: str


@dataclass(frozen=True)
class OutMessage:
    text: str
    buttons: tuple[Button, ...] = ()


class MissingPlaceholder(KeyError):
    """A message needs a value the caller did not give."""


def placeholders(template: str) -> set[str]:
    """The `{names}` used in a message template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class Renderer:
    """Renders UI messages and topics of `catalog` in `language`."""

    def __init__(self, catalog: Catalog, language: str) -> None:
        self.catalog = catalog
        self.language = language if language in catalog.ui else catalog.default_language

    # -- UI messages -------------------------------------------------------------------------------------------------
    def text(self, key: str, **params: object) -> str:
        """The message `key` with its placeholders filled from `params`."""
        template = self.catalog.ui[self.language].messages.get(key)
        if template is None:
            template = self.catalog.ui[self.catalog.default_language].messages[key]
        missing = placeholders(template) - params.keys()
        if missing:
            raise MissingPlaceholder(f"{key} needs {sorted(missing)}")
        return template.format(**params)

    def translation_note(self) -> str | None:
        """The status line for this language's UI text, or None for the original language."""
        status = self.catalog.ui[self.language].translation_status
        return self._status_line(status)

    def _status_line(self, status: str) -> str | None:
        if status == "machine-drafted":
            return self.text("status.machine_drafted")
        if status == "reviewed":
            return self.text("status.reviewed")
        return None

    # -- topics ------------------------------------------------------------------------------------------------------
    def topic_title(self, topic: Topic) -> str:
        return self._topic_text(topic).title

    def topic_section(self, topic: Topic, section: str) -> str:
        """One section of a topic with its sources, translation status and clinical review status."""
        text = self._topic_text(topic)
        lines = [text.title if section == "summary" else f"{text.title}: {self.text('section.' + section)}"]
        lines.append(text.sections[section])
        if section == "summary":
            lines.append(self.text("your_choice"))
            # Every explanation carries the urgent route: she may be reading about a choice while unwell.
            lines.append(self.text("urgent_line"))
        citations = [topic.sources[sid] for sid in topic.section_sources.get(section, ())]
        if citations:
            lines.append(self.text("source_line", sources="; ".join(f"{s.citation()} {s.url}" for s in citations)))
        status = self._status_line(text.status) if text.language != self.catalog.default_language else None
        if status:
            lines.append(status)
        if topic.clinical_status != "approved":
            lines.append(self.text("status.clinical_draft"))
        return "\n".join(lines)

    def _topic_text(self, topic: Topic):
        return topic.texts.get(self.language) or topic.texts[self.catalog.default_language]

    # -- menus -------------------------------------------------------------------------------------------------------
    def menu(self, prompt: str, options: list[tuple[int, str]]) -> OutMessage:
        """A numbered menu: the numbers are in the text (SMS) and in buttons (channels with quick replies).
        Option 0 is listed last, as people expect "0" to mean "back"."""
        ordered = [o for o in options if o[0] != 0] + [o for o in options if o[0] == 0]
        lines = [prompt] + [f"{number}. {label}" for number, label in ordered]
        buttons = tuple(Button(title=f"{number}. {label}", payload=str(number)) for number, label in ordered)
        return OutMessage(text="\n".join(lines), buttons=buttons)
