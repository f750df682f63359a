"""What she is told about a handoff, in her language: `content/handoff/`.

Twelve languages have the full set of messages (`messages/<lang>.yml`); the languages of the short "tier 3" message
(`interpreter_generic.yml`) get that message, and English for the rest. Texts are pre-written and reviewed like all
content: a handoff notice is never machine-translated at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from bot.content.catalog import ContentError, load_ui, read_yaml
from bot.content.messages import MessageSet
from bot.paths import CONTENT_DIR
from bot.services.handoff.hours import WorkingHours

HANDOFF_DIR = "handoff"


@dataclass(frozen=True)
class HandoffTexts(MessageSet):
    """The full set of handoff messages per language (see MessageSet), and what tier 3 needs beside them."""

    generic: dict[str, str] = field(default_factory=dict)  # language -> "an interpreter will contact you; ..."
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> phrases that ask for a person

    def generic_for(self, language: str | None) -> str | None:
        """The pre-written tier-3 message in `language`, if there is one."""
        return self.generic.get(language or "")

    def urgent_meanwhile(self, language: str | None, triage_phone: str) -> str:
        triage = triage_phone or self.text(language, "triage_unknown")
        return self.text(language, "urgent_meanwhile", triage=triage)

    def hours(self, language: str | None, hours: WorkingHours) -> str:
        """When the team answers, in her language's day names."""
        if hours.always:
            return self.text(language, "hours_always")
        days = self.text(language, "weekdays").split("|")
        return self.text(language, "hours", hours=hours.describe([d.strip() for d in days]))

    def wait(self, language: str | None, open_now: bool, sla_minutes: int, reply_from: datetime) -> str:
        """How long she should expect to wait: minutes in hours, the local time and date of opening otherwise."""
        if open_now:
            return self.text(language, "wait_in_hours", minutes=sla_minutes)
        return self.text(language, "wait_out_of_hours", time=reply_from.strftime("%H:%M"),
                         date=reply_from.strftime("%d/%m/%Y"))


def read_handoff_texts(content_dir: Path = CONTENT_DIR) -> HandoffTexts:
    folder = content_dir / HANDOFF_DIR
    messages = {path.stem: load_ui(path) for path in sorted((folder / "messages").glob("*.yml"))}
    if "en" not in messages:
        raise ContentError(f"{folder}/messages/en.yml is missing")
    generic = read_yaml(folder / "interpreter_generic.yml").get("messages") or {}
    phrases = read_yaml(folder / "requests.yml").get("phrases") or {}
    return HandoffTexts(
        messages=messages,
        generic={str(k): str(v) for k, v in generic.items()},
        phrases={str(lang): tuple(str(p) for p in items or ()) for lang, items in phrases.items()},
    )


@lru_cache(maxsize=2)
def load_handoff_texts(content_dir: Path = CONTENT_DIR) -> HandoffTexts:
    return read_handoff_texts(content_dir)
