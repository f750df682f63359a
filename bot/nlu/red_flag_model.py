"""Rasa graph component for the learned red-flag signal (:mod:`bot.safety.learned`), trained with the model.

It runs before :class:`bot.nlu.red_flag.RedFlagClassifier`, which combines it with the lexicons; it only adds the
parse data key `red_flag_model` = {"category", "best", "score"} and changes no intent itself.

Its training data is the NLU data Rasa hands it plus the labelled sets of :mod:`bot.safety.training_sets`. Those
files are outside Rasa's view, so :meth:`fingerprint_addon` hashes them for Rasa's cache, and `doula train` counts
them among the model's inputs.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.red_flag import category_of
from bot.nlu.storage import read_pickled, write_pickled
from bot.safety import training_sets
from bot.safety.learned import DEFAULT_C, DEFAULT_MIN_WORDS, DEFAULT_THRESHOLD, NONE, LearnedRedFlags

PARSE_KEY = "red_flag_model"
MODEL_FILE = "learned_red_flags.pkl"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LearnedRedFlagComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"threshold": DEFAULT_THRESHOLD, "min_words": DEFAULT_MIN_WORDS, "C": DEFAULT_C, "random_seed": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: LearnedRedFlags | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model
        if model is not None:  # read at load time, so changing them in config.yml needs no retraining
            model.threshold, model.min_words = float(self.config["threshold"]), int(self.config["min_words"])

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        digest = hashlib.sha256()
        for path in training_sets.files():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LearnedRedFlagComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LearnedRedFlagComponent:
        # None when untrained (no red-flag examples): the lexicons work alone.
        return cls(config, model_storage, resource, read_pickled(model_storage, resource, MODEL_FILE))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m.get(TEXT), category_of(m.get(INTENT)) or NONE)
                    for m in training_data.intent_examples if m.get(TEXT)]
        examples += list(training_sets.examples())
        try:
            self.model = LearnedRedFlags.fit(examples, float(self.config["threshold"]), float(self.config["C"]),
                                             int(self.config["random_seed"]), int(self.config["min_words"]))
        except ValueError:
            return self._resource
        write_pickled(self._model_storage, self._resource, MODEL_FILE, self.model)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        wanted = [i for i, t in enumerate(texts) if t.strip()]
        for index, finding in zip(wanted, self.model.scores([texts[i] for i in wanted]), strict=True):
            messages[index].set(PARSE_KEY, {"category": finding.category, "best": finding.best,
                                            "score": finding.score}, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
