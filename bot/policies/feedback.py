"""A policy that keeps her in the feedback conversation until it ends.

The channels add ``{"feedback": {"step": ...}}`` to her message while a feedback conversation is unfinished
(bot.gateway.feedback reads it from doula's database, and has already anonymised a free-text answer). This policy
then predicts `action_feedback`, whatever the message looks like to the NLU: "the midwife was lovely" answers "what
went well?", it is not a greeting or a topic. A red flag is the one exception, as everywhere: RedFlagPolicy answers it
first and `action_red_flag` ends the feedback conversation.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.red_flag import category_of
from bot.policies.base import CertainPolicy

ACTION_FEEDBACK = "action_feedback"
FEEDBACK_METADATA = "feedback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class FeedbackPolicy(CertainPolicy):
    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        """`action_feedback` after a message that answers a feedback question (unless it is a red flag), then
        listen."""
        latest = tracker.latest_action_name
        if latest == ACTION_FEEDBACK:
            return ACTION_LISTEN_NAME
        if latest != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        metadata = tracker.latest_message.metadata or {}
        if not metadata.get(FEEDBACK_METADATA):
            return None
        if category_of(tracker.latest_message.intent.get("name")):
            return None  # RedFlagPolicy answers first
        return ACTION_FEEDBACK
