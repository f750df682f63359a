"""The English words of feedback exports, all from content/: the answers as women were offered them
(`content/feedback/messages/en.yml`), language names (`content/languages.yml`), theme names and descriptions
(`content/feedback/themes.yml`) and the exports' own wording (`content/staff/feedback_report.yml`). Codes stay in the
database; coordinators read words."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.content.catalog import load_ui, read_yaml
from bot.paths import CONTENT_DIR

NOT_STATED = "not_stated"  # ethnic group or age band skipped, or "prefer not to say"
NO_ANSWER = "none"  # a question she skipped (rating, stage)


@dataclass(frozen=True)
class Wording:
    """Labels for codes, and the report's sentences (``{placeholders}`` filled by :meth:`text`)."""

    report: dict[str, str]
    answers: dict[str, str]
    languages: dict[str, str]  # code -> English name
    themes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (label, description)

    def text(self, key: str, **values: object) -> str:
        template = self.report[key]
        return template.format(**values) if values else template

    def _answer(self, prefix: str, code: str | None) -> str:
        if not code or code == NO_ANSWER:
            return self.report["value.none"]
        return self.answers.get(f"{prefix}.{code}") or self.report.get(f"value.{code}") or code

    def rating(self, code: str | None) -> str:
        return self._answer("rating", code)

    def stage(self, code: str | None) -> str:
        return self._answer("stage", code)

    def age_band(self, code: str | None) -> str:
        if not code or code in (NOT_STATED, "prefer_not"):
            return self.report["value.not_stated"]
        return self._answer("age", code)

    def ethnic_group(self, code: str | None) -> str:
        """A stored code as words: ``asian.pakistani`` -> "Asian or Asian British: Pakistani"; ``asian`` (detail
        skipped) -> "Asian or Asian British"; nothing or "prefer not to say" -> "Not stated"."""
        if not code or code in (NOT_STATED, "prefer_not"):
            return self.report["value.not_stated"]
        group, _, detail = code.partition(".")
        name = self.answers.get(f"ethnic.{group}", group)
        if not detail:
            return name
        return f"{name}: {self.answers.get(f'ethnic.{group}.{detail}', detail)}"

    def ethnic_groups(self) -> tuple[str, ...]:
        """The broad groups, in the order women are offered them."""
        return tuple(key.split(".")[1] for key in self.answers if key.startswith("ethnic.") and key.count(".") == 1)

    def language(self, code: str) -> str:
        return self.languages.get(code, code)

    def theme(self, theme: str) -> str:
        """A theme's name from the taxonomy; an id it no longer has (older feedback) made readable."""
        known = self.themes.get(theme)
        return known[0] if known else theme.replace("_", " ").capitalize()

    def theme_description(self, theme: str) -> str:
        known = self.themes.get(theme)
        return known[1] if known else ""

    def sentiment(self, code: str | None) -> str:
        return self.report.get(f"sentiment.{code}", code or "")

    def cell(self, hidden: str | None, count: int, min_cell: int) -> str:
        """A count as shown: the number, "<5" (under the minimum) or "*" (hidden to protect a small one)."""
        if hidden is None:
            return str(count)
        return self.text("cell.small", min=min_cell) if hidden == "small" else self.text("cell.balance")


def read_wording(content_dir: Path = CONTENT_DIR) -> Wording:
    report = load_ui(content_dir / "staff" / "feedback_report.yml").messages
    answers = load_ui(content_dir / "feedback" / "messages" / "en.yml").messages
    languages = {str(code): str(info.get("name", code))
                 for code, info in (read_yaml(content_dir / "languages.yml").get("languages") or {}).items()}
    taxonomy = content_dir / "feedback" / "themes.yml"
    themes = {}
    if taxonomy.is_file():
        themes = {str(theme): (str(data.get("label") or theme), " ".join(str(data.get("description") or "").split()))
                  for theme, data in (read_yaml(taxonomy).get("themes") or {}).items() if isinstance(data, dict)}
    return Wording(report, answers, languages, themes)


@lru_cache(maxsize=2)
def load_wording(content_dir: Path = CONTENT_DIR) -> Wording:
    return read_wording(content_dir)
