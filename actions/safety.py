"""`action_red_flag`: urgent advice first (see bot/policies/red_flag.py for why it always runs first)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import send, turn_from_tracker
from bot.content.catalog import load_catalog
from bot.safety.catalog import load_safety
from bot.services.red_flags import RedFlagResponder
from bot.settings import Settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def responder() -> RedFlagResponder:
    settings = Settings.from_env()
    if not settings.triage_phone:
        logger.warning("DOULA_TRIAGE_PHONE is not set: urgent advice names no triage number")
    return RedFlagResponder(load_catalog(), load_safety(), settings.triage_phone)


class ActionRedFlag(Action):
    def name(self) -> str:
        return "action_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        turn = turn_from_tracker(tracker)
        categories = list(turn.red_flags)
        reply = responder().respond(turn, categories)
        # Only the category is logged: never her words.
        logger.info("red flag answered: %s (source %s)", categories[0] if categories else None,
                    (tracker.latest_message or {}).get("red_flag", {}).get("source", "intent"))
        events = send(reply, dispatcher)
        if tracker.active_loop_name:
            events.append(ActiveLoop(None))  # an emergency ends the form; she can start it again later
        return events
