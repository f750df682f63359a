"""`action_feedback`: the feedback conversation for the Maternity Voices Partnership (see bot/services/feedback).

It starts when she asks to give feedback (intent `give_feedback`, or "give feedback" in the main menu), and every
message of hers then comes here (bot.policies.feedback) until the last question is answered or she stops. A red flag
pauses it (actions/safety.py); the keyword carries on where she was. Her free-text answers reach this action
already anonymised by the gateway.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import conversation, deliver, turn_from_tracker
from bot.content.render import OutMessage, Renderer
from bot.services import conversation as conv
from bot.services.feedback.flow import FREE_TEXT_STEPS, FeedbackFlow, is_paused
from bot.services.feedback.sessions import FeedbackSessions
from bot.services.feedback.store import FeedbackStore
from bot.services.feedback.texts import load_feedback_texts
from bot.settings import Settings
from bot.storage.database import engine_for

# Short messages with these intents leave the feedback conversation instead of answering a question.
LEAVING = {"stop": "stop", "main_menu": "main_menu", "change_language": "language_menu", "ask_person": "person"}
MAX_LEAVING_WORDS = 3


@lru_cache(maxsize=1)
def feedback_flow() -> FeedbackFlow:
    from bot.anonymise import anonymiser
    from bot.services.feedback.themes import theme_classifier
    from bot.services.translation import TranslationError, Translator

    settings = Settings.from_env()
    engine = engine_for(settings.database_url)
    translator = Translator.from_settings(settings)

    def english(text: str, language: str) -> str | None:
        if translator is None or not translator.supports(language):
            return None
        try:
            return translator.translate(text, language, "en")
        except TranslationError:
            return None  # the redacted text in her language is kept; the English is a convenience

    return FeedbackFlow(
        load_feedback_texts(), FeedbackSessions(engine), FeedbackStore(engine), sites=settings.feedback_sites,
        anonymise=lambda text, language: anonymiser().redact(text, language).text,
        themes=lambda text, language: theme_classifier().classify(text, language),
        translate=english,
    )


# Presidio, spaCy and the theme cues take seconds to load: load them when the action server starts, not while she
# waits for the answer to her first feedback message.
threading.Thread(target=feedback_flow, name="feedback-warm-up", daemon=True).start()


def begin(sender_id: str, reply: conv.Reply, renderer: Renderer, language: str) -> None:
    """Start the feedback conversation inside `reply` (chosen from a menu)."""
    step = feedback_flow().start(sender_id, language, renderer)
    reply.messages += step.messages
    reply.slots[conv.SLOT_MENU] = step.menu.id if step.menu else None


def offer(reply: conv.Reply, language: str) -> None:
    reply.messages.append(OutMessage(load_feedback_texts().text(language, "offer")))


class ActionFeedback(Action):
    def name(self) -> str:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        service, turn = conversation(), turn_from_tracker(tracker)
        flow = feedback_flow()
        session = flow.active(tracker.sender_id)
        words = len(turn.text.split())
        if session is not None and is_paused(session):
            session = None  # she asked for feedback again after urgent advice: start() carries on where she was
        if session is not None and turn.intent in LEAVING and words <= MAX_LEAVING_WORDS and not (
                session.step in FREE_TEXT_STEPS and turn.intent == "ask_person" and words > 1):
            flow.cancel(tracker.sender_id)
            reply = getattr(service, LEAVING[turn.intent])(turn)
            reply.messages.insert(0, OutMessage(load_feedback_texts().text(
                session.answers.get("language", reply.slots.get(conv.SLOT_LANGUAGE)), "cancelled")))
        else:
            reply, renderer, decision = service.opening(turn)
            if session is None:
                step = flow.start(tracker.sender_id, decision.language, renderer)
            else:
                latest = tracker.latest_message or {}
                redacted = tuple(((latest.get("metadata") or {}).get("feedback") or {}).get("redacted") or ())
                step = flow.answer(session, turn.text, turn.menu_choice, renderer, redacted)
            reply.messages += step.messages
            reply.slots[conv.SLOT_MENU] = step.menu.id if step.menu else None
        return deliver(reply, service, turn, tracker, dispatcher)
