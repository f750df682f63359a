"""A policy that pauses the bot while a person has taken over her conversation.

The channels add `{"handoff": <request id>}` to the metadata of every message she sends while her handoff request is
open (bot.gateway.handoff looks it up in the database, which the staff console changes). This policy then predicts
`action_handoff_relay`, which passes the message to the request's conversation instead of answering it — in every
state, forms included, like :mod:`bot.policies.red_flag`. A red-flag message is the one exception: this policy stays
silent, RedFlagPolicy answers it first, and `action_red_flag` both sends the urgent advice and alerts the staff.

Closing the request in the console is all it takes to hand her back: her next message carries no handoff metadata.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.red_flag import category_of
from bot.policies.base import CertainPolicy

ACTION_HANDOFF_RELAY = "action_handoff_relay"
HANDOFF_METADATA = "handoff"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class HandoffPolicy(CertainPolicy):
    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        """`action_handoff_relay` after a message sent during a handoff (unless it is a red flag), then listen."""
        latest = tracker.latest_action_name
        if latest == ACTION_HANDOFF_RELAY:
            return ACTION_LISTEN_NAME
        if latest != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        metadata = tracker.latest_message.metadata or {}
        if not metadata.get(HANDOFF_METADATA):
            return None
        if category_of(tracker.latest_message.intent.get("name")):
            return None  # RedFlagPolicy answers first; action_red_flag tells the staff
        return ACTION_HANDOFF_RELAY
