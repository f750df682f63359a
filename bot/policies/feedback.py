"""A policy that keeps her in the feedback conversation until it ends.

The channels add ``{"feedback": {"step": ...}}`` to her message while a feedback conversation is unfinished
(bot.gateway.feedback reads it from doula's database, and has already anonymised a free-text answer). This policy
then predicts `action_feedback`, whatever the message looks like to the NLU: "the midwife was lovely" answers "what
went well?", it is not a greeting or a topic. A red flag is the one exception, as everywhere: RedFlagPolicy answers it
first and `action_red_flag` pauses the feedback conversation (the keyword carries it on).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.policies.base import MetadataPolicy

ACTION_FEEDBACK = "action_feedback"
FEEDBACK_METADATA = "feedback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class FeedbackPolicy(MetadataPolicy):
    action = ACTION_FEEDBACK
    metadata_key = FEEDBACK_METADATA
