"""Rasa graph component that puts red-flag symptoms first: it runs after the trained classifier and before the
fallback, in every channel and in `rasa shell` alike.

Two signals, either of which raises a flag:

* the deterministic lexicons (:mod:`bot.safety.detector`), in every language on every message;
* the models: the learned red-flag signal (:mod:`bot.safety.learned`, trained on every labelled red-flag message
  but the held-out set), and the intent classifier when its top intent is a `red_flag_<category>` intent with enough
  confidence. Either is overruled when the lexicons recognised that very category and saw it negated or asked about
  ("no bleeding"); the intent classifier also when the message is an information question ("how do I count
  kicks?"), as it has learnt symptom words, not whether she has the symptom; the learned signal also when a
  deterministic rule took the message as a command ("STOP", a menu number, "a person please").

A flagged message gets the intent `red_flag_<most urgent category>` with confidence 1.0, and the parse data key
`red_flag` = {"category", "categories", "source"} that `action_red_flag` reads.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.content.catalog import Catalog
from bot.nlu.base import ContentComponent
from bot.safety.catalog import SafetyCatalog, load_safety
from bot.safety.detector import RedFlagDetector

INTENT_PREFIX = "red_flag_"
PARSE_KEY = "red_flag"
LEARNED_KEY = "red_flag_model"  # set by bot.nlu.red_flag_model.LearnedRedFlagComponent, when in the pipeline
DEFAULT_MODEL_THRESHOLD = 0.5


def red_flag_intent(category: str) -> str:
    return INTENT_PREFIX + category


def category_of(intent_name: str | None) -> str | None:
    if intent_name and intent_name.startswith(INTENT_PREFIX):
        return intent_name[len(INTENT_PREFIX):]
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagClassifier(ContentComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"model_threshold": DEFAULT_MODEL_THRESHOLD}

    @classmethod
    def from_catalog(cls, catalog: Catalog, config: dict[str, Any] | None = None) -> RedFlagClassifier:
        threshold = float((config or {}).get("model_threshold", DEFAULT_MODEL_THRESHOLD))
        return cls(load_safety(), threshold)

    def __init__(self, safety: SafetyCatalog, model_threshold: float = DEFAULT_MODEL_THRESHOLD) -> None:
        self.detector: RedFlagDetector = safety.detector
        self.order = safety.categories
        self.model_threshold = model_threshold

    def process_message(self, message: Message) -> None:
        finding = self.detector.detect(message.get(TEXT) or "")
        predicted = message.get(INTENT) or {}
        model_category = category_of(predicted.get(INTENT_NAME_KEY))
        confident = (predicted.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.model_threshold
        model_flag = None
        if model_category and confident and model_category not in finding.vetoed:
            if finding.flagged or not self.detector.is_question(message.get(TEXT) or ""):
                model_flag = model_category

        learned = (message.get(LEARNED_KEY) or {}).get("category")
        if learned in finding.vetoed:  # "no bleeding": the lexicons saw this very category negated
            learned = None
        if message.get("rule") and not finding.flagged:  # a command ("STOP", "1", "a person please") is a command
            learned = None

        model = {"intent": predicted.get(INTENT_NAME_KEY), "confidence": predicted.get(PREDICTED_CONFIDENCE_KEY)}
        categories = set(finding.categories) | {c for c in (model_flag, learned) if c}
        if not categories:
            if model_category:  # the model alone, unsure or contradicted: fall back to its best other guess
                self._demote_model_flag(message)
                message.set(PARSE_KEY, {"category": None, "categories": [], "source": None, "model": model},
                            add_to_output=True)
            return
        ordered = [c for c in self.order if c in categories]
        source = "+".join(name for name, used in (("lexicon", finding.flagged), ("model", model_flag or learned))
                          if used)
        intent = {INTENT_NAME_KEY: red_flag_intent(ordered[0]), PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        message.set(
            PARSE_KEY,
            {
                "category": ordered[0],
                "categories": ordered,
                "source": source,
                "model": model,  # the trained model's own guess, kept for evaluation (doula eval red-flags)
            },
            add_to_output=True,
        )

    @staticmethod
    def _demote_model_flag(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if not category_of(r.get(INTENT_NAME_KEY))]
        best = ranking[0] if ranking else {INTENT_NAME_KEY: "nlu_fallback", PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
