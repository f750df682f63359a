"""The gateway's handoff check: is a person handling her conversation right now?

Every channel asks before passing a message to Rasa, and adds ``{"handoff": <request id>}`` to the message metadata
when a request is open; bot.policies.handoff then keeps the bot paused. The database is the single source of truth,
so closing a request in the staff console (another process) takes effect on her very next message.

Channels that cannot be pushed to (the web chat, the REST channel) collect staff messages with :meth:`pull`.
"""

from __future__ import annotations

import asyncio
from functools import cached_property

from bot.policies.handoff import HANDOFF_METADATA
from bot.services.handoff.desk import HandoffDesk
from bot.settings import Settings


class HandoffGate:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def desk(self) -> HandoffDesk:
        return HandoffDesk.from_settings(self.settings)

    async def metadata(self, sender_id: str) -> dict:
        """Metadata to add to her message: the open request's id, or nothing."""
        request = await asyncio.to_thread(self.desk.active_for, sender_id)  # off Rasa's event loop
        return {HANDOFF_METADATA: request.id} if request else {}

    async def pull(self, sender_id: str) -> list[str]:
        """Staff messages (and "someone joined"/"back to the bot" notices) waiting for her, each returned once."""
        return await asyncio.to_thread(self.desk.pull, sender_id)
