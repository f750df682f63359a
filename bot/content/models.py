"""Plain data classes for content. They hold text only; rendering lives in :mod:`bot.content.render`."""

from __future__ import annotations

from dataclasses import dataclass, field

# The stages of the journey, in menu order.
STAGES: tuple[str, ...] = ("pregnancy", "planning_birth", "after_birth", "rights")

# Every topic has these sections. `summary` is shown first; the others are offered as a numbered menu in this order
# (BRAN: benefits, risks, alternatives, if I do nothing; then questions for the midwife).
SECTIONS: tuple[str, ...] = ("summary", "benefits", "risks", "alternatives", "nothing", "questions")
MENU_SECTIONS: tuple[str, ...] = SECTIONS[1:]

TRANSLATION_STATUSES = ("original", "machine-drafted", "reviewed")
CLINICAL_STATUSES = ("draft", "approved")


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str
    native: str
    direction: str
    script: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class UiCatalog:
    """The UI messages of one language."""

    language: str
    translation_status: str
    messages: dict[str, str]
    reviewed_by: str | None = None
    reviewed_on: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str
    section: str | None = None
    published: str | None = None
    # The date someone last checked the live page still says what the topic relies on (None: not yet checked).
    checked: str | None = None

    def citation(self) -> str:
        """Short citation for a message, e.g. `NICE: Intrapartum care (NG235), Place of birth`."""
        text = f"{self.publisher}: {self.title}"
        return f"{text}, {self.section}" if self.section else text


@dataclass(frozen=True)
class TopicText:
    """A topic's text in one language."""

    language: str
    status: str
    title: str
    sections: dict[str, str]


@dataclass(frozen=True)
class Topic:
    id: str
    stage: str
    clinical_status: str
    sources: dict[str, Source]
    section_sources: dict[str, tuple[str, ...]]
    texts: dict[str, TopicText]
    clinical_reviewed_by: str | None = None
    clinical_reviewed_on: str | None = None
    order: int = 0                # position in its stage's menu (journey order)
    reading_level: str = ""       # the reading level the text is written for (its measure: bot.content.readability)
    extra: dict = field(default_factory=dict)

    @property
    def intent(self) -> str:
        """The NLU intent that asks for this topic in free text."""
        return f"topic_{self.id}"
