"""Rasa graph component running the rules of :mod:`bot.nlu.rules` after the trained classifier.

When a rule matches, its intent replaces the model's prediction with confidence 1.0 (so FallbackClassifier keeps it)
and its data is added to the parse data that actions see in `tracker.latest_message`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.content.catalog import Catalog
from bot.nlu.base import ContentComponent
from bot.nlu.rules import IntentRule, default_rules


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DeterministicIntentClassifier(ContentComponent):
    @classmethod
    def from_catalog(cls, catalog: Catalog, config: dict[str, Any] | None = None) -> DeterministicIntentClassifier:
        return cls(default_rules(catalog))

    def __init__(self, rules: list[IntentRule]) -> None:
        self.rules = rules

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        for rule in self.rules:
            match = rule.match(text)
            if match is None:
                continue
            intent = {INTENT_NAME_KEY: match.intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
            message.set("rule", rule.name, add_to_output=True)
            for key, value in match.data.items():
                message.set(key, value, add_to_output=True)
            return
