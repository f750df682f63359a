"""What she is told when the bot cannot answer: the degraded reply, built without the action server.

Rasa swallows a failed custom action (the action server is down, restarting, or an action raised): it logs the error
and the conversation goes on with *no reply at all*. And when a store Rasa needs is down (the Redis lock store, the
PostgreSQL tracker store), `handle_message` raises. Either way she would be left with silence, or an HTTP error that
a phone cannot show. Outside a handoff every message of hers gets at least one reply (every intent has a rule that
answers), so an empty reply means something failed.

Then the channel sends, in her language, from `content/faults/<lang>.yml`:

* "Sorry, I can't answer right now; try again in a few minutes", the UI's urgent line ("... call your maternity unit
  now, or 999") and the triage number when ``DOULA_TRIAGE_PHONE`` is set;
* before that, when her message names a red-flag symptom, the urgent advice of ``content/red_flags/`` rendered here by
  the same :class:`~bot.services.red_flags.RedFlagResponder` the action uses, minus its "talk to a person?" menu
  (which needs the action server).

Nothing here is state: each message is tried on Rasa first, so the bot recovers by itself when the action server or
the store is back. Her language and the red-flag categories come from the tracker when the store answers (the NLU ran
before the action failed: its parse data is there), otherwise from the lexicons and the language detector on her text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.content.catalog import Catalog, load_catalog, load_ui
from bot.content.models import UiCatalog
from bot.content.render import Renderer
from bot.gateway.prepare import Gateway
from bot.paths import CONTENT_DIR
from bot.policies.handoff import HANDOFF_METADATA
from bot.safety.catalog import SafetyCatalog, load_safety
from bot.services.conversation import SLOT_LANGUAGE, SLOT_LANGUAGE_CHOSEN, Turn
from bot.services.red_flags import RedFlagResponder
from bot.settings import Settings

logger = logging.getLogger(__name__)

FAULTS = "faults"
# Set by `prepare` when the gateway's own checks failed (doula's database is down): the message then never reaches Rasa.
# Not knowing whether a person has her conversation, or whether her words are a feedback answer still to anonymise,
# the bot must neither answer as if nothing were open nor store her raw words in the tracker.
GATEWAY_FAILED = "gateway_failed"
TRACKER_TIMEOUT_S = 3.0  # the tracker is only a better guess of her language: never wait long for it
HEALTH_TIMEOUT_S = 2.0


@lru_cache(maxsize=4)
def load_fault_texts(content_dir: Path = CONTENT_DIR) -> dict[str, UiCatalog]:
    """`content/faults/<lang>.yml`, read once per process."""
    return {path.stem: load_ui(path) for path in sorted((Path(content_dir) / FAULTS).glob("*.yml"))}


@dataclass(frozen=True)
class Context:
    """What is known of her message without the action server."""

    language: str | None = None  # the conversation's language slot
    language_chosen: bool = False
    detected_language: str | None = None
    red_flags: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What the channel sends her for one message."""

    messages: list[dict[str, Any]] = field(default_factory=list)  # CollectingOutputChannel's shape
    degraded: bool = False  # the degraded reply replaced Rasa's (empty) one
    failed: bool = False  # Rasa raised: her message may not be recorded (REST answers 503)


class DegradedReply:
    def __init__(self, settings: Settings, catalog: Catalog | None = None, safety: SafetyCatalog | None = None,
                 texts: dict[str, UiCatalog] | None = None) -> None:
        self.settings = settings
        self.catalog = catalog or load_catalog()
        self.safety = safety or load_safety()
        self.texts = texts if texts is not None else load_fault_texts()

    # -- the reply ---------------------------------------------------------------------------------------------------
    def _language(self, context: Context) -> str:
        for candidate in ((context.language if context.language_chosen else None), context.detected_language,
                          context.language):
            if candidate in self.texts and candidate in self.catalog.ui:
                return candidate
        return self.catalog.default_language

    def _text(self, language: str, key: str, **params: object) -> str:
        messages = self.texts.get(language) or self.texts[self.catalog.default_language]
        template = messages.messages.get(key) or self.texts[self.catalog.default_language].messages[key]
        return template.format(**params)

    def render(self, context: Context) -> list[str]:
        """The texts of the degraded reply, urgent advice first."""
        texts = []
        if context.red_flags:
            turn = Turn(text="", language=context.language, language_chosen=context.language_chosen,
                        detected_language=context.detected_language, red_flags=context.red_flags)
            advice = RedFlagResponder(self.catalog, self.safety, self.settings.triage_phone).respond(
                turn, list(context.red_flags))
            texts += [m.text for m in advice.messages[:-1]]  # not the "talk to a person?" menu: it needs actions
        language = self._language(context)
        lines = [self._text(language, "unavailable"), Renderer(self.catalog, language).text("urgent_line")]
        if self.settings.triage_phone:
            lines.append(self._text(language, "triage_number", number=self.settings.triage_phone))
        texts.append("\n".join(lines))
        return texts

    # -- what is known of her message --------------------------------------------------------------------------------
    def _from_text(self, text: str) -> tuple[str | None, tuple[str, ...]]:
        from bot.nlu.language import language_detector  # lingua: loaded by the NLU already in a Rasa process

        detection = language_detector(self.catalog).detect(text) if text else None
        return (detection.language if detection else None), self.safety.detector.detect(text).categories

    async def context(self, text: str, sender_id: str, agent: Any = None) -> Context:
        """Her language and the red flags in `text`: the lexicons always (they need nothing running), the tracker's
        slots and parse data when the tracker store answers."""
        detected, flags = await asyncio.to_thread(self._from_text, text)
        language, chosen = None, False
        store = getattr(agent, "tracker_store", None)
        if store is not None:
            try:
                tracker = await asyncio.wait_for(store.retrieve(sender_id), TRACKER_TIMEOUT_S)
            except Exception as exc:  # the store may be what failed
                logger.info("degraded reply without the tracker (%s)", type(exc).__name__)
                tracker = None
            if tracker is not None:
                language, chosen = tracker.get_slot(SLOT_LANGUAGE), bool(tracker.get_slot(SLOT_LANGUAGE_CHOSEN))
                latest = tracker.latest_message
                if latest is not None and latest.text == text:  # the NLU's view of this very message
                    parsed = latest.parse_data or {}
                    detection = parsed.get("language") or {}
                    if isinstance(detection, dict) and detection.get("language"):
                        detected = detection["language"]
                    red_flag = parsed.get("red_flag") or {}
                    if isinstance(red_flag, dict):
                        flags = tuple(dict.fromkeys((*(red_flag.get("categories") or ()), *flags)))
        flags = tuple(c for c in self.safety.categories if c in flags)
        return Context(language=language, language_chosen=chosen, detected_language=detected, red_flags=flags)

    async def messages(self, text: str, sender_id: str, agent: Any = None) -> list[dict[str, Any]]:
        context = await self.context(text, sender_id, agent)
        return [{"recipient_id": sender_id, "text": t} for t in self.render(context)]

    async def action_server_up(self) -> bool:
        url = self.settings.action_server_url.rsplit("/webhook", 1)[0] + "/health"
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=HEALTH_TIMEOUT_S)) as session:
                async with session.get(url) as reply:
                    return reply.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
            return False

    # -- the conversation turn ---------------------------------------------------------------------------------------
    async def converse(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                       agent: Any = None) -> Outcome:
        """Her message through Rasa; the degraded reply instead when Rasa fails or says nothing outside a handoff.
        The message's output channel must be a :class:`CollectingOutputChannel`."""
        collector = message.output_channel
        assert isinstance(collector, CollectingOutputChannel)
        text = message.text or ""
        if GATEWAY_FAILED in (message.metadata or {}):
            return Outcome(await self.messages(text, message.sender_id, agent), degraded=True, failed=True)
        try:
            await on_new_message(message)
        except Exception as exc:  # a store Rasa needs is down: never silence, never a hang
            logger.error("the bot could not process a message (%s): degraded reply", type(exc).__name__)
            answered = list(collector.messages)
            return Outcome(answered or await self.messages(text, message.sender_id, agent), degraded=not answered,
                           failed=True)
        if collector.messages:
            return Outcome(list(collector.messages))
        paused = HANDOFF_METADATA in (message.metadata or {})
        up = await self.action_server_up()
        if paused and up:
            return Outcome([])  # her message went to the staff; the bot stays quiet
        logger.warning("the bot said nothing (action server %s): degraded reply", "up" if up else "unreachable")
        return Outcome(await self.messages(text, message.sender_id, agent), degraded=True)


@lru_cache(maxsize=8)
def degraded_reply(settings: Settings) -> DegradedReply:
    """One per settings (channels share it); content is loaded on first use."""
    return DegradedReply(settings)


async def converse(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                   settings: Settings, agent: Any = None) -> Outcome:
    """:meth:`DegradedReply.converse` for channels."""
    return await degraded_reply(settings).converse(on_new_message, message, agent)


async def prepare(gateway: Gateway, sender_id: str, text: str, metadata: dict) -> tuple[str, dict]:
    """:meth:`Gateway.prepare`, or, when it fails (its database is down), her text with ``GATEWAY_FAILED`` set, so
    that :func:`converse` gives the degraded reply instead of passing the message on."""
    try:
        return await gateway.prepare(sender_id, text, metadata)
    except Exception as exc:
        logger.error("the gateway could not check a message (%s): degraded reply", type(exc).__name__)
        return text, {**metadata, GATEWAY_FAILED: True}
