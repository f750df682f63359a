"""`action_red_flag`: urgent advice first (see bot/policies/red_flag.py for why it always runs first).

During a handoff the message also goes to the staff, marked urgent, which alerts them at once. After a flag that needs
a person whatever else happens (domestic abuse, a mental-health crisis), a handoff request is opened straight away
instead of only offering one.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import send, turn_from_tracker
from actions.handoff import assistant, handoff_id, request_person
from bot.content.catalog import load_catalog
from bot.content.render import OutMessage
from bot.safety.catalog import load_safety
from bot.services.conversation import SLOT_MENU
from bot.services.feedback.flow import is_paused
from bot.services.red_flags import RedFlagResponder
from bot.settings import Settings

logger = logging.getLogger(__name__)

# Red flags after which a person is asked to take over at once, not only offered.
PERSON_CATEGORIES = ("domestic_abuse", "mental_health_crisis")


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
        paused = handoff_id(tracker)
        needs_person = any(c in PERSON_CATEGORIES for c in categories)
        if paused or needs_person:
            # She is (or is about to be) talking to a person: no "talk to a person?" menu after the advice.
            reply.messages = reply.messages[:-1]
            reply.slots[SLOT_MENU] = None
        # Urgent advice pauses a feedback conversation (what she has given is kept, her message too when it answered
        # a free-text question); she carries on with the keyword. Nothing she wrote is lost to a false alarm.
        from actions.feedback import feedback_flow

        flow = feedback_flow()
        session = flow.active(tracker.sender_id)
        if session is not None and not is_paused(session):
            note = OutMessage(flow.pause(session, turn.text))
            has_menu = bool(reply.slots.get(SLOT_MENU))
            reply.messages.insert(len(reply.messages) - 1 if has_menu else len(reply.messages), note)
        events = send(reply, dispatcher)
        if paused:
            latest = tracker.latest_message or {}
            assistant().relay(paused, tracker.sender_id, latest.get("text") or "", urgent=True)
        elif needs_person:
            category = next(c for c in categories if c in PERSON_CATEGORIES)
            request_person(tracker, turn, f"red_flag:{category}", dispatcher)
        if tracker.active_loop_name:
            events.append(ActiveLoop(None))  # an emergency ends the form; she can start it again later
        return events
