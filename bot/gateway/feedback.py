"""The gateway's feedback check: is she in the middle of giving feedback, and is this message her own words?

A feedback conversation keeps its state in doula's database (:mod:`bot.services.feedback.sessions`), so the channel
knows before Rasa does that her next message answers "what went well?". Such a free-text answer is anonymised here
(names, NHS and hospital numbers, phone numbers, e-mail and postal addresses, dates of birth become ``[NAME]`` ...),
so that her raw words are never written to Rasa's tracker store, the logs or the feedback table. The metadata
``{"feedback": {"step": ..., "redacted": [...]}}`` then lets bot.policies.feedback pass the message to
`action_feedback` (red flags still come first).
"""

from __future__ import annotations

import asyncio
import threading
from functools import cached_property

from bot.policies.feedback import FEEDBACK_METADATA
from bot.services.feedback.flow import FREE_TEXT_STEPS, is_paused
from bot.services.feedback.sessions import FeedbackSessions
from bot.settings import Settings
from bot.storage.database import engine_for

_warm_up_started = threading.Event()


def _load_anonymiser() -> None:
    from bot.anonymise import anonymiser

    anonymiser()


def _warm_up() -> None:
    """Load the anonymiser once per process in the background (every channel has a gate; one load is enough)."""
    if not _warm_up_started.is_set():
        _warm_up_started.set()
        threading.Thread(target=_load_anonymiser, name="anonymiser-warm-up", daemon=True).start()


class FeedbackGate:
    def __init__(self, settings: Settings, warm: bool = True) -> None:
        self.settings = settings
        if warm:  # Presidio and spaCy take ~10 s to load: not while she waits for her first feedback answer
            _warm_up()

    @cached_property
    def sessions(self) -> FeedbackSessions:
        return FeedbackSessions(engine_for(self.settings.database_url))

    async def inbound(self, sender_id: str, text: str) -> tuple[str, dict]:
        """(text for Rasa, metadata to add): nothing when she is not giving feedback."""
        session = await asyncio.to_thread(self.sessions.get, sender_id)  # off Rasa's event loop
        if session is None or is_paused(session):  # paused by urgent advice: she is not answering a question now
            return text, {}
        info: dict = {"step": session.step}
        if session.step in FREE_TEXT_STEPS and text:
            from bot.anonymise import anonymiser  # Presidio is loaded on first use, not at start-up

            language = session.answers.get("language")
            redaction = await asyncio.to_thread(anonymiser().redact, text, language)
            text = redaction.text
            info["redacted"] = sorted({entity.type for entity in redaction.entities})
        return text, {FEEDBACK_METADATA: info}
