"""What every doula action shares: tracker -> Turn, handler, Reply -> messages and slot events."""

from __future__ import annotations

import re
from abc import ABCMeta, abstractmethod
from dataclasses import replace
from functools import lru_cache
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.content.catalog import load_catalog
from bot.content.render import Renderer
from bot.language.digits import to_ascii_digits
from bot.nlu.red_flag import category_of
from bot.services import conversation as conv
from bot.services.machine_translation import ReplyTranslator, TranslationError, read_notices
from bot.services.translation import Translator
from bot.settings import Settings
from bot.storage.database import engine_for


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
    metadata = latest.get("metadata") or {}
    translation = metadata.get("translation") if isinstance(metadata.get("translation"), dict) else {}
    translated_from = translation.get("from") if isinstance(translation.get("from"), str) else None
    failed = bool(translation.get("failed")) and translated_from is not None
    red_flag = latest.get("red_flag") or {}
    red_flags = tuple(red_flag.get("categories") or ()) if isinstance(red_flag, dict) else ()
    if not red_flags and category_of(intent):  # e.g. "/red_flag_bleeding" typed in rasa shell skips the NLU
        red_flags = (category_of(intent),)
    return conv.Turn(
        intent=intent,
        text=text,
        menu_choice=choice,
        # A machine-translated message reads as English to the NLU: its language is the one it was translated from.
        detected_language=translated_from or (detection.get("language") if isinstance(detection, dict) else None),
        language=tracker.get_slot(conv.SLOT_LANGUAGE),
        language_chosen=bool(tracker.get_slot(conv.SLOT_LANGUAGE_CHOSEN)),
        menu=tracker.get_slot(conv.SLOT_MENU),
        introduced=bool(tracker.get_slot(conv.SLOT_INTRODUCED)),
        truncated=bool((latest.get("metadata") or {}).get("truncated")),
        red_flags=red_flags,
        misunderstood=int(tracker.get_slot(conv.SLOT_MISUNDERSTOOD) or 0),
        translated_from=None if failed else translated_from,
        translation_failed=failed,
    )


def send(reply: conv.Reply, dispatcher: CollectingDispatcher) -> list[EventType]:
    for message in reply.messages:
        buttons = [{"title": b.title, "payload": b.payload} for b in message.buttons]
        dispatcher.utter_message(text=message.text, buttons=buttons or None)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


@lru_cache(maxsize=1)
def reply_translator() -> ReplyTranslator | None:
    """Tier 2: the translator of English replies, or None when no translator is configured."""
    settings = Settings.from_env()
    translator = Translator.from_settings(settings)
    if translator is None:
        return None
    return ReplyTranslator(translator, engine_for(settings.database_url), read_notices(),
                           load_catalog().default_language)


def machine_translated(reply: conv.Reply, service: conv.Conversation, turn: conv.Turn) -> conv.Reply:
    """`reply` translated into her language (tier 2). Without a translator (no longer configured, or not for this
    language) she gets the English; when the translator fails, the interpreter path (tier 3), never a half reply."""
    translator = reply_translator()
    if translator is None or not translator.supports(reply.translate_to):
        return reply
    try:
        reply.messages = translator.translate(reply.messages, reply.translate_to)
    except TranslationError:
        return service.unsupported_language(replace(turn, translated_from=None, translation_failed=True))
    return reply


def deliver(reply: conv.Reply, service: conv.Conversation, turn: conv.Turn, tracker: Tracker,
            dispatcher: CollectingDispatcher) -> list[EventType]:
    """The last steps of every conversational action: machine-translate the reply if her language needs it, send it,
    and open a request for a person if the reply asks for one."""
    if reply.translate_to:
        reply = machine_translated(reply, service, turn)
    events = send(reply, dispatcher)
    if reply.handoff:
        from actions.handoff import request_person  # the handoff module builds on this one

        request_person(tracker, turn, reply.handoff, dispatcher)
    return events


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
        if reply.start_feedback or reply.offer_feedback:
            from actions import feedback  # the feedback module builds on this one

            language = reply.slots.get(conv.SLOT_LANGUAGE) or turn.language or "en"
            if reply.start_feedback:
                feedback.begin(tracker.sender_id, reply, Renderer(service.catalog, language), language)
            else:
                feedback.offer(reply, language)
        from actions.privacy import add_notice  # the privacy notice, once per version (see actions/privacy.py)

        reply = add_notice(reply, tracker.sender_id, turn, service.catalog)
        return deliver(reply, service, turn, tracker, dispatcher)
