"""Rasa graph component for the learned red-flag signal (:mod:`bot.safety.learned`), trained with the model.

It runs before :class:`bot.nlu.red_flag.RedFlagClassifier`, which combines it with the lexicons; it only adds the
parse data key `red_flag_model` = {"category", "best", "score"} and changes no intent itself.

Its training data is the NLU data Rasa hands it plus the labelled sets named in config.yml (`labelled_sets`, and
`comment_sets` of feedback comments as negatives, relative to the project root). Those files are outside Rasa's
view, so :meth:`fingerprint_addon` hashes them: a changed case retrains the component, and only it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.red_flag import category_of
from bot.paths import ROOT
from bot.safety.evaluation import load_sets
from bot.safety.learned import DEFAULT_C, DEFAULT_MIN_WORDS, DEFAULT_THRESHOLD, NONE, LearnedRedFlags

PARSE_KEY = "red_flag_model"
MODEL_FILE = "learned_red_flags.pkl"
# Everything labelled except the held-out set (eval/red_flags), which must stay unseen to mean anything.
DEFAULT_SETS = ["tests/safety/cases", "eval/red_flags_dev", "eval/red_flags_dev2", "eval/red_flags_dev3"]
# Feedback comments about care ("my husband was allowed to stay", "the food was cold"), all "none": without them the
# signal alarmed on one comment in nine, and feedback is where women write at length about their birth.
DEFAULT_COMMENT_SETS = ["eval/themes_dev"]


def labelled_examples(directories: list[str]) -> Iterator[tuple[str, str]]:
    for directory in directories:
        for labelled in load_sets(ROOT / directory):
            for category, messages in labelled.alarms.items():
                yield from ((m, category) for m in messages)
            yield from ((m, NONE) for m in labelled.not_alarms)


def comment_examples(directories: list[str]) -> Iterator[tuple[str, str]]:
    for directory in directories:
        for path in sorted((ROOT / directory).glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            yield from ((str(c["text"]), NONE) for c in data.get("comments") or () if c.get("text"))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LearnedRedFlagComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"threshold": DEFAULT_THRESHOLD, "min_words": DEFAULT_MIN_WORDS, "C": DEFAULT_C,
                "labelled_sets": DEFAULT_SETS, "comment_sets": DEFAULT_COMMENT_SETS, "random_seed": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: LearnedRedFlags | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        digest = hashlib.sha256()
        directories = [*config.get("labelled_sets", DEFAULT_SETS), *config.get("comment_sets", DEFAULT_COMMENT_SETS)]
        for directory in directories:
            for path in sorted((ROOT / directory).glob("*.yml")):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LearnedRedFlagComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LearnedRedFlagComponent:
        try:
            with model_storage.read_from(resource) as directory:
                # Our own model file, written by train() below into Rasa's model archive.
                model = pickle.loads((directory / MODEL_FILE).read_bytes())  # noqa: S301
        except (ValueError, FileNotFoundError):
            model = None  # untrained (no red-flag examples): the lexicons work alone
        if model is not None:  # both are read at load time, so changing them needs no retraining
            settings = {**cls.get_default_config(), **config}
            model.threshold, model.min_words = float(settings["threshold"]), int(settings["min_words"])
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m.get(TEXT), category_of(m.get(INTENT)) or NONE)
                    for m in training_data.intent_examples if m.get(TEXT)]
        examples += list(labelled_examples(list(self.config["labelled_sets"])))
        examples += list(comment_examples(list(self.config["comment_sets"])))
        try:
            self.model = LearnedRedFlags.fit(examples, float(self.config["threshold"]), float(self.config["C"]),
                                             int(self.config["random_seed"]))
            self.model.min_words = int(self.config["min_words"])
        except ValueError:
            return self._resource
        with self._model_storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps(self.model))
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
