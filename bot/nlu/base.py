"""What doula's Rasa components share: they are not trained, they are built from `content/` when the model loads,
and they look at one message at a time."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.content.catalog import Catalog, load_catalog


class ContentComponent(GraphComponent):
    """Base class. Subclasses implement :meth:`from_catalog` and :meth:`process_message`, and register themselves with
    `@DefaultV1Recipe.register([...INTENT_CLASSIFIER], is_trainable=False)`."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ContentComponent:
        return cls.from_catalog(load_catalog(), config)

    @classmethod
    @abstractmethod
    def from_catalog(cls, catalog: Catalog, config: dict[str, Any] | None = None) -> ContentComponent:
        """Build the component from the content it needs (keywords, languages ...) and its config.yml settings."""

    @abstractmethod
    def process_message(self, message: Message) -> None:
        """Add what this component knows to `message` (with `add_to_output=True` for what actions should see)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.process_message(message)
        return messages
