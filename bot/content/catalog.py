"""Loads `content/` into typed models. Content is static per deployment, so it is loaded once per process and cached;
this is not conversation state (that lives in the tracker)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.models import SECTIONS, LanguageInfo, Source, Topic, TopicText, UiCatalog
from bot.paths import CONTENT_DIR


class ContentError(ValueError):
    """Content that cannot be loaded at all (missing file, broken YAML). Finer rules live in bot.content.check."""


@dataclass(frozen=True)
class Catalog:
    """Everything in `content/`: languages, one UI catalog per curated language, and the topics."""

    languages: dict[str, LanguageInfo]
    default_language: str
    ui: dict[str, UiCatalog]
    topics: dict[str, Topic]
    # language -> marker words of its romanised writing (see bot.language.romanised)
    romanised: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # languages without curated content that the detector recognises (tier 2 and 3)
    recognised: tuple[str, ...] = ()

    @property
    def curated_languages(self) -> tuple[str, ...]:
        """Languages the bot can speak: those with a UI catalog, in the order of `languages.yml`."""
        return tuple(code for code in self.languages if code in self.ui)

    def topics_for_stage(self, stage: str) -> list[Topic]:
        """The topics of one stage in journey order (their `order`), as its menu lists them."""
        return sorted((t for t in self.topics.values() if t.stage == stage), key=lambda t: (t.order, t.id))

    def topic_for_intent(self, intent: str | None) -> Topic | None:
        if not intent or not intent.startswith("topic_"):
            return None
        return self.topics.get(intent[len("topic_"):])


def read_yaml(path: Path) -> dict:
    """A YAML mapping from `path`, or a ContentError that names the file."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def _load_languages(content_dir: Path) -> tuple[dict[str, LanguageInfo], str, dict[str, tuple[str, ...]],
                                                tuple[str, ...]]:
    data = read_yaml(content_dir / "languages.yml")
    romanised = {code: tuple(str(w) for w in words) for code, words in (data.get("romanised") or {}).items()}
    languages = {
        code: LanguageInfo(
            code=code,
            name=info["name"],
            native=info["native"],
            direction=info.get("direction", "ltr"),
            script=info.get("script", "Latin"),
            keywords=tuple(str(k) for k in info.get("keywords", ())),
        )
        for code, info in data["languages"].items()
    }
    recognised = tuple(str(code) for code in data.get("recognised") or ())
    return languages, data.get("default", "en"), romanised, recognised


def load_ui(path: Path) -> UiCatalog:
    """A catalog of messages with its translation metadata (`meta` + `messages`)."""
    data = read_yaml(path)
    meta = data.get("meta", {})
    return UiCatalog(
        language=meta.get("language", path.stem),
        translation_status=meta.get("translation_status", "machine-drafted"),
        messages={str(k): str(v).strip() for k, v in (data.get("messages") or {}).items()},
        reviewed_by=meta.get("reviewed_by"),
        reviewed_on=None if meta.get("reviewed_on") is None else str(meta.get("reviewed_on")),
    )


def _load_topic(path: Path) -> Topic:
    data = read_yaml(path)
    try:
        review = data.get("clinical_review") or {}
        sources = {
            sid: Source(
                id=sid,
                publisher=s["publisher"],
                title=s["title"],
                url=s["url"],
                section=s.get("section"),
                published=None if s.get("published") is None else str(s["published"]),
                checked=None if s.get("checked") is None else str(s["checked"]),
            )
            for sid, s in (data.get("sources") or {}).items()
        }
        texts = {
            lang: TopicText(
                language=lang,
                status=t.get("status", "machine-drafted"),
                title=str(t.get("title", "")).strip(),
                sections={name: str(t[name]).strip() for name in SECTIONS if t.get(name)},
            )
            for lang, t in (data.get("text") or {}).items()
        }
        return Topic(
            id=data["id"],
            stage=data["stage"],
            clinical_status=review.get("status", "draft"),
            clinical_reviewed_by=review.get("reviewed_by"),
            clinical_reviewed_on=None if review.get("reviewed_on") is None else str(review["reviewed_on"]),
            sources=sources,
            section_sources={k: tuple(v or ()) for k, v in (data.get("section_sources") or {}).items()},
            texts=texts,
            order=int(data.get("order") or 0),
            reading_level=str((data.get("reading_level") or {}).get("target") or ""),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ContentError(f"{path}: missing or malformed field {exc}") from exc


def read_catalog(content_dir: Path = CONTENT_DIR) -> Catalog:
    """Read `content_dir` from disk (uncached; use :func:`load_catalog` in the running bot)."""
    content_dir = Path(content_dir)
    languages, default, romanised, recognised = _load_languages(content_dir)
    ui = {path.stem: load_ui(path) for path in sorted((content_dir / "ui").glob("*.yml"))}
    topics = {}
    for path in sorted((content_dir / "topics").glob("*.yml")):
        topic = _load_topic(path)
        topics[topic.id] = topic
    if default not in ui:
        raise ContentError(f"the default language {default!r} has no UI catalog in {content_dir / 'ui'}")
    return Catalog(languages=languages, default_language=default, ui=ui, topics=topics, romanised=romanised,
                   recognised=recognised)


@lru_cache(maxsize=4)
def load_catalog(content_dir: Path = CONTENT_DIR) -> Catalog:
    """The catalog for `content_dir`, read once per process."""
    return read_catalog(content_dir)
