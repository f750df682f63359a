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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageDetectorComponent(ContentComponent):
    @classmethod
    def from_catalog(cls, catalog: Catalog, config: dict[str, Any] | None = None) -> LanguageDetectorComponent:
        # Detect among every language we know of, not only the curated ones, so that Romanian is not taken for Polish.
        return cls(detector_for(tuple(catalog.languages)))

    def __init__(self, detector: LanguageDetector) -> None:
        self.detector = detector

    def process_message(self, message: Message) -> None:
        detection = self.detector.detect(message.get(TEXT) or "")
        message.set(PARSE_KEY, asdict(detection) if detection else None, add_to_output=True)
