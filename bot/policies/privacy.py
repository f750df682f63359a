"""A policy that confirms an erasure she asked for.

bot.gateway.privacy erases her data when her whole message is a delete keyword ("DELETE", "USUŃ" ...) and passes
Rasa an empty message with ``{"privacy": {"erased": ..., "language": ...}}``. This policy then predicts
`action_privacy_erased`, which tells her, in her language, that it is done (or that it failed). Rasa needs no
training data for it, and the channels no change: the confirmation is an ordinary bot reply.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.policies.base import MetadataPolicy

ACTION_PRIVACY_ERASED = "action_privacy_erased"
PRIVACY_METADATA = "privacy"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class PrivacyPolicy(MetadataPolicy):
    action = ACTION_PRIVACY_ERASED
    metadata_key = PRIVACY_METADATA
