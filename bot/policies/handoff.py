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

from bot.policies.base import MetadataPolicy

ACTION_HANDOFF_RELAY = "action_handoff_relay"
HANDOFF_METADATA = "handoff"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class HandoffPolicy(MetadataPolicy):
    action = ACTION_HANDOFF_RELAY
    metadata_key = HANDOFF_METADATA
