"""What every doula action shares: tracker -> Turn, handler, Reply -> messages and slot events."""

from __future__ import annotations

import re
from abc import ABCMeta, abstractmethod
from functools import lru_cache
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.content.catalog import load_catalog
from bot.language.digits import to_ascii_digits
from bot.nlu.red_flag import category_of
from bot.services import conversation as conv


@lru_cache(maxsize=1)
def conversation() -> conv.Conversation:
    """The conversation service, built once per action-server process from the (static) content."""
    return conv.Conversation(load_catalog())


def turn_from_tracker(tracker: Tracker) -> conv.Turn:
    """Read what the handlers need from the tracker: the latest parse data and the slots."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    intent = (latest.get("intent") or {}).get("name")
    choice = latest.get("menu_choice")
    if choice is None and intent == "select_option":
        # "option 2": the model recognised a choice that the number-only rule did not; take the first number.
        found = re.search(r"\d{1,2}", to_ascii_digits(text))
        choice = int(found.group()) if found else None
    detection = latest.get("language") or {}
    red_flag = latest.get("red_flag") or {}
    red_flags = tuple(red_flag.get("categories") or ()) if isinstance(red_flag, dict) else ()
    if not red_flags and category_of(intent):  # e.g. "/red_flag_bleeding" typed in rasa shell skips the NLU
        red_flags = (category_of(intent),)
    return conv.Turn(
        intent=intent,
        text=text,
        menu_choice=choice,
        detected_language=detection.get("language") if isinstance(detection, dict) else None,
        language=tracker.get_slot(conv.SLOT_LANGUAGE),
        language_chosen=bool(tracker.get_slot(conv.SLOT_LANGUAGE_CHOSEN)),
        menu=tracker.get_slot(conv.SLOT_MENU),
        introduced=bool(tracker.get_slot(conv.SLOT_INTRODUCED)),
        truncated=bool((latest.get("metadata") or {}).get("truncated")),
        red_flags=red_flags,
        misunderstood=int(tracker.get_slot(conv.SLOT_MISUNDERSTOOD) or 0),
    )


def send(reply: conv.Reply, dispatcher: CollectingDispatcher) -> list[EventType]:
    for message in reply.messages:
        buttons = [{"title": b.title, "payload": b.payload} for b in message.buttons]
        dispatcher.utter_message(text=message.text, buttons=buttons or None)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


class DoulaAction(Action, metaclass=ABCMeta):
    """Subclasses name themselves with `action_name` and implement :meth:`handle`."""

    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def handle(self, service: conv.Conversation, turn: conv.Turn) -> conv.Reply:
        """Return the reply to `turn`."""

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        service, turn = conversation(), turn_from_tracker(tracker)
        # A language with no content: a person with an interpreter, whatever she asked (issue: tier 3).
        reply = service.unsupported_language(turn) if service.needs_interpreter(turn) else self.handle(service, turn)
        events = send(reply, dispatcher)
        if reply.handoff:
            from actions.handoff import request_person  # the handoff module builds on this one

            request_person(tracker, turn, reply.handoff, dispatcher)
        return events
