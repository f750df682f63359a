"""The privacy notice on her first reply, and `action_privacy_erased`: "your data has been deleted", in her language.

The notice is added here, at the end of every conversational action (actions.base.DoulaAction), because only here
are the reply's language and her introduction known; the consents table says whether she has seen this version.
Urgent advice (`action_red_flag`), the handoff and feedback flows never carry it: it comes with the next ordinary
reply, so it never delays or displaces what matters more.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.content.catalog import Catalog
from bot.policies.privacy import ACTION_PRIVACY_ERASED, PRIVACY_METADATA
from bot.services import conversation as conv
from bot.services.consent import NOTICE_SHOWN, ConsentRecord, notice_due
from bot.services.privacy_notice import load_privacy_texts, with_notice
from bot.settings import Settings
from bot.storage.database import engine_for

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


@lru_cache(maxsize=1)
def consent_record() -> ConsentRecord:
    return ConsentRecord(engine_for(settings().database_url))


def add_notice(reply: conv.Reply, sender_id: str, turn: conv.Turn, catalog: Catalog) -> conv.Reply:
    """`reply` with the privacy notice, when she has not been shown this version (or has just chosen a language she
    has not seen it in); the showing is recorded. A database that cannot be read: no notice this time."""
    texts = load_privacy_texts()
    language = reply.slots.get(conv.SLOT_LANGUAGE) or turn.language or catalog.default_language
    # Tier 2: the English notice goes out machine-translated with the rest of the reply (actions.base.deliver).
    content_language = catalog.default_language if reply.translate_to else texts.language_for(language)
    shown_language = reply.translate_to or content_language
    try:
        state = consent_record().state(sender_id, texts.version)
    except SQLAlchemyError as exc:
        logger.warning("consent record not readable (%s): notice not shown", type(exc).__name__)
        return reply
    if not notice_due(state, shown_language, bool(reply.slots.get(conv.SLOT_LANGUAGE_CHOSEN))):
        return reply
    ui = catalog.ui.get(content_language) or catalog.ui[catalog.default_language]
    reply.messages = with_notice(reply.messages, texts.notice(content_language, settings()),
                                 ui.messages.get("greeting", ""))
    try:
        consent_record().record(sender_id, NOTICE_SHOWN, texts.version, shown_language)
    except SQLAlchemyError as exc:  # she is told all the same; only the record is missing
        logger.warning("consent record not written (%s)", type(exc).__name__)
    return reply


class ActionPrivacyErased(Action):
    def name(self) -> str:
        return ACTION_PRIVACY_ERASED

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        info = ((tracker.latest_message or {}).get("metadata") or {}).get(PRIVACY_METADATA) or {}
        language = info.get("language") if isinstance(info.get("language"), str) else None
        dispatcher.utter_message(text=load_privacy_texts().confirmation(language, bool(info.get("erased"))))
        return []
