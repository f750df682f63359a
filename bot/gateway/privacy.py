"""The gateway's privacy step: "DELETE" erases her data before Rasa sees anything, and a message after the privacy
notice is recorded as her going on with the service having been told.

A message that is only a delete keyword of any of the twelve languages ("DELETE", "delete my data", "USUŃ", "حذف"
...; bot.services.privacy_notice) erases everything doula holds about her (bot.services.privacy.erase: tracker
events, handoff requests and messages, contact, consents, unfinished feedback; saved feedback is anonymised and
stays). Rasa then gets an empty message with ``{"privacy": {"erased": true, "language": "pl"}}``: bot.policies.privacy
sends it to `action_privacy_erased`, which confirms it in her language, through whichever channel she used. The text
goes as "", so nothing of hers starts the new, empty tracker, and no model can read an alarm into it.

The keyword must be the whole message: "delete the scan appointment" is an ordinary question. None of the keywords
is a red flag, a STOP/START word or a menu number (`doula content check`), so this step never swallows urgent words.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from functools import cached_property

from sqlalchemy.exc import SQLAlchemyError

from bot.policies.privacy import PRIVACY_METADATA
from bot.services.consent import CONTINUED, ConsentRecord
from bot.services.privacy_notice import PrivacyTexts, load_privacy_texts
from bot.settings import Settings
from bot.storage.database import engine_for

logger = logging.getLogger(__name__)

# Senders whose `continued` is recorded (for the current notice version), so that their later messages, most of all
# messages, cost no query here. Per process and bounded; an erasure here forgets her.
_SETTLED_MAX = 50_000


class PrivacyGate:
    def __init__(self, settings: Settings, texts: PrivacyTexts | None = None) -> None:
        self.settings = settings
        self._texts = texts
        self._settled: OrderedDict[tuple[str, int], None] = OrderedDict()

    @property
    def texts(self) -> PrivacyTexts:
        return self._texts or load_privacy_texts()

    @cached_property
    def record(self) -> ConsentRecord:
        return ConsentRecord(engine_for(self.settings.database_url))

    async def inbound(self, sender_id: str, text: str) -> dict | None:
        """The metadata for Rasa when `text` asked to delete her data (it is then deleted), else None (and, if she
        was shown the notice and has not written since, that she continued is recorded)."""
        if self.asks_erasure(text):
            # Her language before it is erased: the one her notice was shown in, if the keyword is English.
            stored = await asyncio.to_thread(self._stored_language, sender_id)
            language = self.texts.keyword_language(text, stored) or self.texts.default
            erased = await asyncio.to_thread(self._erase, sender_id)
            self._settled.pop((sender_id, self.texts.version), None)
            return {PRIVACY_METADATA: {"erased": erased, "language": language}}
        await asyncio.to_thread(self._continued, sender_id)
        return None

    def asks_erasure(self, text: str) -> bool:
        """Whether `text` is a delete keyword (for channels that silence an opted-out sender: not this request)."""
        return self.texts.keyword_language(text) is not None

    def _stored_language(self, sender_id: str) -> str | None:
        try:
            return self.record.language(sender_id)
        except SQLAlchemyError:
            return None

    def _erase(self, sender_id: str) -> bool:
        from bot.services.privacy.erase import HER, erase

        try:
            erasure = erase(self.settings, sender_id, actor=HER)
        except Exception as exc:  # noqa: BLE001 - she must be told it failed, whatever the cause
            logger.error("erasure at her request failed (%s)", type(exc).__name__)  # never her id or words
            return False
        logger.info("her data was erased at her request (%d rows)", erasure.total)
        return True

    def _continued(self, sender_id: str) -> None:
        """Record, once per notice version, that she wrote again after being shown the notice."""
        version = self.texts.version
        if (sender_id, version) in self._settled:
            return
        try:
            state = self.record.state(sender_id, version)
            if state.shown and not state.continued:
                self.record.record(sender_id, CONTINUED, version, state.shown_in[-1])
        except SQLAlchemyError as exc:  # a record we cannot write must not stop her message
            logger.warning("consent record not updated (%s)", type(exc).__name__)
            return
        if state.shown:
            self._settled[(sender_id, version)] = None
            if len(self._settled) > _SETTLED_MAX:
                self._settled.popitem(last=False)
