"""A policy that answers red-flag symptoms before anything else, in every state of the conversation.

A rule alone is not enough: while a form is active, Rasa's RulePolicy predicts the form as a "no user" prediction,
which overrules every rule. This policy makes the same kind of prediction with a higher priority, so that after a
message whose intent is `red_flag_<category>` (see :mod:`bot.nlu.red_flag`) the next action is `action_red_flag`
— in a menu, a form or a handoff alike — and after it the bot listens.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.red_flag import category_of

ACTION_RED_FLAG = "action_red_flag"
# Above RulePolicy (6) and every other built-in policy: on equal confidence the higher priority wins.
PRIORITY = 7


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RedFlagPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RedFlagPolicy:
        return cls(config, model_storage, resource, execution_context)  # nothing was learned, nothing to read

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self.next_action(tracker)
        probabilities = self._default_predictions(domain)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)

    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        """`action_red_flag` right after a red-flag message, `action_listen` right after it; otherwise no opinion."""
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and category_of(tracker.latest_message.intent.get("name")):
            return ACTION_RED_FLAG
        if latest == ACTION_RED_FLAG:
            return ACTION_LISTEN_NAME
        return None
