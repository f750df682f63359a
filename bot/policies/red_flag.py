"""A policy that answers red-flag symptoms before anything else, in every state of the conversation.

A rule alone is not enough: while a form is active, Rasa's RulePolicy predicts the form as a "no user" prediction,
which overrules every rule. This policy makes the same kind of prediction with a higher priority, so that after a
message whose intent is `red_flag_<category>` (see :mod:`bot.nlu.red_flag`) the next action is `action_red_flag`
— in a menu, a form or a handoff alike — and after it the bot listens.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.red_flag import category_of
from bot.policies.base import CertainPolicy

ACTION_RED_FLAG = "action_red_flag"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RedFlagPolicy(CertainPolicy):
    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        """`action_red_flag` right after a red-flag message, `action_listen` right after it; otherwise no opinion."""
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and category_of(tracker.latest_message.intent.get("name")):
            return ACTION_RED_FLAG
        if latest == ACTION_RED_FLAG:
            return ACTION_LISTEN_NAME
        return None
