"""What doula's own policies share: they learn nothing, and when they have an opinion it is certain.

A subclass says which action comes next in :meth:`next_action` (or None for no opinion). The prediction is a "no user"
prediction with the policy's priority, which is how Rasa lets a policy overrule RulePolicy's rules and active forms.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.red_flag import category_of

# Above RulePolicy (6) and every other built-in policy: on equal confidence the higher priority wins.
PRIORITY = 7


class CertainPolicy(Policy):
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
    ) -> CertainPolicy:
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
    @abstractmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        """The next action, or None when this policy has no opinion."""


class MetadataPolicy(CertainPolicy):
    """While the channel marks her messages with `metadata_key` (the database says a person has her conversation, or
    she is answering feedback questions), every message goes to `action`, whatever the NLU made of it; then listen.
    A red flag is the one exception: this policy stays silent and RedFlagPolicy answers first."""

    action: str
    metadata_key: str

    @classmethod
    def next_action(cls, tracker: DialogueStateTracker) -> str | None:
        latest = tracker.latest_action_name
        if latest == cls.action:
            return ACTION_LISTEN_NAME
        if latest != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        if not (tracker.latest_message.metadata or {}).get(cls.metadata_key):
            return None
        if category_of(tracker.latest_message.intent.get("name")):
            return None
        return cls.action
