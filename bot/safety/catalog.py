"""Loads `content/red_flags/`: categories (most urgent first) with their sources, advice per language, the short
urgent message for languages without curated advice, and the trigger lexicons."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from bot.content.catalog import ContentError
from bot.content.models import Source
from bot.paths import CONTENT_DIR
from bot.safety.detector import RedFlagDetector
from bot.safety.lexicon import Lexicon, load_lexicon

RED_FLAGS = "red_flags"


@dataclass(frozen=True)
class Advice:
    """The urgent-advice messages of one language."""

    language: str
    translation_status: str
    messages: dict[str, str]
    reviewed_by: str | None = None
    reviewed_on: str | None = None


@dataclass(frozen=True)
class SafetyCatalog:
    categories: tuple[str, ...]  # most urgent first
    sources: dict[str, tuple[Source, ...]]
    advice: dict[str, Advice]
    generic: dict[str, str]  # language -> the short "call your maternity unit / 999" message
    generic_status: str
    lexicons: dict[str, Lexicon]

    @cached_property
    def detector(self) -> RedFlagDetector:
        return RedFlagDetector(self.lexicons.values(), self.categories)


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def read_safety(content_dir: Path = CONTENT_DIR) -> SafetyCatalog:
    root = Path(content_dir) / RED_FLAGS
    data = _read(root / "categories.yml")
    categories = tuple(data["categories"])
    sources = {
        category: tuple(
            Source(id=f"{category}-{i}", publisher=s["publisher"], title=s["title"], url=s["url"])
            for i, s in enumerate(info.get("sources") or ())
        )
        for category, info in data["categories"].items()
    }
    advice = {}
    for path in sorted((root / "advice").glob("*.yml")):
        raw = _read(path)
        meta = raw.get("meta") or {}
        advice[path.stem] = Advice(
            language=meta.get("language", path.stem),
            translation_status=meta.get("translation_status", "machine-drafted"),
            messages={str(k): " ".join(str(v).split()) for k, v in (raw.get("messages") or {}).items()},
            reviewed_by=meta.get("reviewed_by"),
            reviewed_on=None if meta.get("reviewed_on") is None else str(meta["reviewed_on"]),
        )
    generic_raw = _read(root / "urgent_generic.yml")
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
