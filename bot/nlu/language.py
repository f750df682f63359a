"""Rasa graph component adding the detected language to the parse data (`latest_message["language"]`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.content.catalog import load_catalog
from bot.language.detect import LanguageDetector, detector_for

PARSE_KEY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageDetectorComponent(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetectorComponent:
        # Detect among every language we know of, not only the curated ones, so that Romanian is not taken for Polish.
        return cls(detector_for(tuple(load_catalog().languages)))

    def __init__(self, detector: LanguageDetector) -> None:
        self.detector = detector

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            detection = self.detector.detect(message.get(TEXT) or "")
            message.set(PARSE_KEY, asdict(detection) if detection else None, add_to_output=True)
        return messages
