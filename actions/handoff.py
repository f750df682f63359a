"""Actions of the handoff to a person (see bot/services/handoff and bot/policies/handoff.py).

* `action_request_interpreter`: she asked for an interpreter, a midwife or a person: open a request, pause the bot,
  tell her what happens next.
* `action_handoff_relay`: a message she sent while paused goes to the request's conversation, not to the bot.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import conversation, send, turn_from_tracker
from bot.policies.handoff import HANDOFF_METADATA
from bot.safety.catalog import load_safety
from bot.services import conversation as conv
from bot.services.handoff.assistant import HandoffAssistant
from bot.services.handoff.desk import HandoffDesk
from bot.services.handoff.texts import load_handoff_texts
from bot.settings import Settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def assistant() -> HandoffAssistant:
    settings = Settings.from_env()
    texts = load_handoff_texts()
    return HandoffAssistant(HandoffDesk.from_settings(settings, texts=texts), texts, load_safety(),
                            settings.triage_phone)


def summary(tracker: Tracker, reason: str) -> str:
    """A short summary for staff, made from the conversation state (never from her words)."""
    parts = [f"reason: {reason}"]
    for slot in (conv.SLOT_TOPIC, "red_flag"):
        value = tracker.get_slot(slot)
        if value:
            parts.append(f"{'last topic' if slot == conv.SLOT_TOPIC else 'last red flag'}: {value}")
    return "; ".join(parts)


def request_person(tracker: Tracker, turn: conv.Turn, reason: str, dispatcher: CollectingDispatcher) -> list[str]:
    """Open her request (or find the open one) and send what she is told. Returns the messages."""
    handoff = assistant()
    language = handoff.language_for(turn.language if turn.language_chosen else None, turn.detected_language,
                                    turn.language)
    channel = tracker.get_latest_input_channel() or "unknown"
    messages = handoff.request(tracker.sender_id, channel, language, reason, summary(tracker, reason))
    for text in messages:
        dispatcher.utter_message(text=text)
    logger.info("handoff requested (%s, %s, %s)", reason, language, channel)
    return messages


def handoff_id(tracker: Tracker) -> int | None:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    value = metadata.get(HANDOFF_METADATA)
    return int(value) if isinstance(value, (int, str)) and str(value).isdigit() else None


class ActionRequestInterpreter(Action):
    def name(self) -> str:
        return "action_request_interpreter"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        turn = turn_from_tracker(tracker)
        reply = conversation().person(turn)
        events = send(reply, dispatcher)
        request_person(tracker, turn, reply.handoff or conv.HANDOFF_ASKED, dispatcher)
        return events


class ActionHandoffRelay(Action):
    def name(self) -> str:
        return "action_handoff_relay"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        latest = tracker.latest_message or {}
        metadata = latest.get("metadata") or {}
        handoff = assistant()
        relayed = handoff.relay(handoff_id(tracker), tracker.sender_id, latest.get("text") or "",
                                media=bool(metadata.get("media")))
        if not relayed.passed_on:
            # Closed between the channel's look-up and now: she is back with the bot; ask her to send it again.
            turn = turn_from_tracker(tracker)
            language = handoff.language_for(None, turn.detected_language, turn.language)
            dispatcher.utter_message(text=handoff.texts.text(language, "closed"))
            return [SlotSet(conv.SLOT_MENU, None)]
        for text in relayed.messages:
            dispatcher.utter_message(text=text)
        return []
