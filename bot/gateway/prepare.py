"""The gateway's last steps, which every channel takes before Rasa sees her message: who has her conversation, is she
answering a feedback question, and which text Rasa reads."""

from __future__ import annotations

from functools import cached_property

from bot.gateway.feedback import FEEDBACK_METADATA, FeedbackGate
from bot.gateway.handoff import HandoffGate
from bot.gateway.privacy import PrivacyGate
from bot.gateway.translation import TranslationGate
from bot.policies.handoff import HANDOFF_METADATA
from bot.policies.privacy import PRIVACY_METADATA
from bot.settings import Settings


class Gateway:
    """The per-message checks that need doula's database or a translator. One per channel; cheap to build (the
    database and translator are opened on first use)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def privacy(self) -> PrivacyGate:
        return PrivacyGate(self.settings)

    @cached_property
    def handoff(self) -> HandoffGate:
        return HandoffGate(self.settings)

    @cached_property
    def feedback(self) -> FeedbackGate:
        return FeedbackGate(self.settings)

    @cached_property
    def translation(self) -> TranslationGate:
        return TranslationGate(self.settings)

    async def prepare(self, sender_id: str, text: str, metadata: dict) -> tuple[str, dict]:
        """(text, metadata) for Rasa:

        * first, a message that is only "DELETE" (or its equivalent in the twelve languages): her data is erased here,
          before Rasa sees anything, and Rasa gets an empty message marked for the confirmation (bot.gateway.privacy);
        * an open handoff request, if any: the bot stays paused and staff read her own words;
        * otherwise an unfinished feedback conversation: a free-text answer is anonymised here, so her raw words never
          reach Rasa's tracker store (and are not machine-translated: the feedback keeps her language);
        * otherwise her message in English when she writes in a language without curated content and a translator is
          configured (tier 2)."""
        erased = await self.privacy.inbound(sender_id, text)
        if erased is not None:  # nothing of hers is left for the other steps to look at
            return "", erased
        # Only this gateway says an erasure happened (a REST client's metadata cannot fake a confirmation).
        metadata = {k: v for k, v in metadata.items() if k != PRIVACY_METADATA}
        metadata = {**metadata, **await self.handoff.metadata(sender_id)}
        if HANDOFF_METADATA in metadata:
            return text, metadata
        text, feedback = await self.feedback.inbound(sender_id, text)
        if feedback:
            return text, {**metadata, **feedback}
        text, translated = await self.translation.inbound(text)
        return text, {**metadata, **translated}

    async def pull(self, sender_id: str) -> list[str]:
        """Staff messages waiting for her (channels that cannot be pushed to)."""
        return await self.handoff.pull(sender_id)


__all__ = ["FEEDBACK_METADATA", "Gateway"]
