"""Loads `content/red_flags/`: categories (most urgent first) with their sources, advice per language, the short
urgent message for languages without curated advice, and the trigger lexicons."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from bot.content.catalog import ContentError, load_ui, read_yaml
from bot.content.models import Source, UiCatalog
from bot.paths import CONTENT_DIR
from bot.safety.detector import RedFlagDetector
from bot.safety.lexicon import Lexicon, load_lexicon

RED_FLAGS = "red_flags"


@dataclass(frozen=True)
class SafetyCatalog:
    categories: tuple[str, ...]  # most urgent first
    sources: dict[str, tuple[Source, ...]]
    advice: dict[str, UiCatalog]  # the urgent-advice messages of each language
    generic: dict[str, str]  # language -> the short "call your maternity unit / 999" message
    generic_status: str
    lexicons: dict[str, Lexicon]

    @cached_property
    def detector(self) -> RedFlagDetector:
        return RedFlagDetector(self.lexicons.values(), self.categories)


def read_safety(content_dir: Path = CONTENT_DIR) -> SafetyCatalog:
    root = Path(content_dir) / RED_FLAGS
    data = read_yaml(root / "categories.yml")
    categories = tuple(data["categories"])
    sources = {
        category: tuple(
            Source(id=f"{category}-{i}", publisher=s["publisher"], title=s["title"], url=s["url"])
            for i, s in enumerate(info.get("sources") or ())
        )
        for category, info in data["categories"].items()
    }
    # Advice files have the shape of UI catalogs (meta + messages), and load the same way.
    advice = {path.stem: load_ui(path) for path in sorted((root / "advice").glob("*.yml"))}
    generic_raw = read_yaml(root / "urgent_generic.yml")
    generic = {str(k): " ".join(str(v).split()) for k, v in (generic_raw.get("messages") or {}).items()}
    lexicons = {}
    for path in sorted((root / "triggers").glob("*.yml")):
        try:
            lexicons[path.stem] = load_lexicon(path, categories)
        except ValueError as exc:
            raise ContentError(str(exc)) from exc
    return SafetyCatalog(
        categories=categories,
        sources=sources,
        advice=advice,
        generic=generic,
        generic_status=(generic_raw.get("meta") or {}).get("translation_status", "machine-drafted"),
        lexicons=lexicons,
    )


@lru_cache(maxsize=4)
def load_safety(content_dir: Path = CONTENT_DIR) -> SafetyCatalog:
    """The safety catalog for `content_dir`, read once per process."""
    return read_safety(content_dir)
