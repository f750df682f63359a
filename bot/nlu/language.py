"""Rasa graph component adding the detected language to the parse data (`latest_message["language"]`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.content.catalog import Catalog
from bot.language.detect import LanguageDetector, detector_for
from bot.nlu.base import ContentComponent

PARSE_KEY = "language"


def language_detector(catalog: Catalog) -> LanguageDetector:
    """The detector for this content: the curated languages, and the other languages women here write in
    (`recognised` in content/languages.yml), so that a message in Lithuanian is known to be Lithuanian and gets
    machine translation or an interpreter rather than being taken for Polish."""
    others = tuple(code for code in catalog.recognised if code not in catalog.languages)
    romanised = tuple(sorted(catalog.romanised.items()))
    return detector_for(tuple(catalog.languages), others, romanised)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageDetectorComponent(ContentComponent):
    @classmethod
    def from_catalog(cls, catalog: Catalog, config: dict[str, Any] | None = None) -> LanguageDetectorComponent:
        return cls(language_detector(catalog))

    def __init__(self, detector: LanguageDetector) -> None:
        self.detector = detector

    def process_message(self, message: Message) -> None:
        detection = self.detector.detect(message.get(TEXT) or "")
        message.set(PARSE_KEY, asdict(detection) if detection else None, add_to_output=True)
