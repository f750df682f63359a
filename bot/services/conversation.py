"""What the bot says, one function per thing she can ask for.

Each handler takes a :class:`Turn` (the latest message as understood by the NLU, plus the slots that matter) and
returns a :class:`Reply` (messages and slot updates). Handlers never touch Rasa: `actions/` translates a tracker into
a Turn and a Reply into dispatcher calls and events, so everything here is testable without a model.

Every reply:
* is in the language chosen by :mod:`bot.services.language_choice`;
* starts, on first contact, with the automated-assistant disclosure and the urgent-help line;
* says how to change the language whenever the language was set or changed by detection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.content.catalog import Catalog
from bot.content.models import MENU_SECTIONS
from bot.content.render import OutMessage, Renderer
from bot.services import language_choice, menus

# Slot names, shared with domain.yml (tests/test_domain.py checks they exist there).
SLOT_LANGUAGE = "language"
SLOT_LANGUAGE_CHOSEN = "language_chosen"
SLOT_MENU = "menu"
SLOT_TOPIC = "topic"
SLOT_INTRODUCED = "introduced"
SLOT_MISUNDERSTOOD = "misunderstood"

# Reasons for handing her over to a person (stored with the request; shown to staff).
HANDOFF_ASKED = "asked_for_person"
HANDOFF_NOT_UNDERSTOOD = "not_understood"
HANDOFF_LANGUAGE = "language"
# After this many messages in a row that the bot did not understand, a person is asked to help.
MISUNDERSTOOD_LIMIT = 2
# Intents whose text says nothing about her language (see Conversation.needs_interpreter).
_NOT_LANGUAGE_EVIDENCE = ("select_option", "change_language", "no_text")


@dataclass(frozen=True)
class Turn:
    """The latest user message as the NLU understood it, and the conversation state the handlers need."""

    intent: str | None = None
    text: str = ""
    menu_choice: int | None = None
    detected_language: str | None = None
    language: str | None = None
    language_chosen: bool = False
    menu: str | None = None
    introduced: bool = False
    truncated: bool = False  # the channel cut a very long message (bot.gateway.inbound)
    red_flags: tuple[str, ...] = ()  # red-flag categories in this message, most urgent first (bot.nlu.red_flag)
    misunderstood: int = 0  # messages in a row the bot did not understand
    translated_from: str | None = None  # the gateway machine-translated her message from this language (tier 2)
    translation_failed: bool = False  # ... tried to, and the translator failed: an interpreter instead (tier 3)


@dataclass
class Reply:
    messages: list[OutMessage] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    # Set when a person should take over: the reason. The action layer opens the request and says what happens next
    # (bot.services.handoff.assistant), so the handlers here stay free of storage.
    handoff: str | None = None
    # Set when she chose "give feedback" (start the feedback conversation), or at a moment to offer it: the action
    # layer runs bot.services.feedback, which keeps its state in the database.
    start_feedback: bool = False
    offer_feedback: bool = False
    # Set when the reply is in English content for a language without curated content: the action layer machine-
    # translates it into this language (bot.services.machine_translation) before it is sent.
    translate_to: str | None = None

    def say(self, text: str) -> None:
        self.messages.append(OutMessage(text))

    def show(self, menu: menus.Menu, renderer: Renderer) -> None:
        self.messages.append(menu.render(renderer))
        self.slots[SLOT_MENU] = menu.id


class Conversation:
    """The handlers, bound to one content catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- shared opening ----------------------------------------------------------------------------------------------
    def opening(self, turn: Turn) -> tuple[Reply, Renderer, language_choice.LanguageDecision]:
        """The start of any reply (language, disclosure on first contact), for handlers outside this class."""
        return self._open(turn)

    def _open(self, turn: Turn) -> tuple[Reply, Renderer, language_choice.LanguageDecision]:
        """Decide the language and add what every first or language-changing reply must say."""
        decision = language_choice.decide(
            self.catalog, turn.language, turn.language_chosen, self._evidence(turn), turn.translated_from
        )
        renderer = Renderer(self.catalog, decision.language)  # English content for a machine-translated language
        reply = Reply(slots={SLOT_LANGUAGE: decision.language})
        if decision.machine:
            reply.translate_to = decision.language
        if turn.misunderstood:
            reply.slots[SLOT_MISUNDERSTOOD] = 0  # understood this time (fallback sets it again)
        if not turn.introduced:
            reply.say(f"{renderer.text('greeting')}\n{renderer.text('urgent_line')}")
            reply.slots[SLOT_INTRODUCED] = True
        if decision.known and not decision.machine and (decision.changed or not turn.introduced):
            note = renderer.text("language_note")
            status = renderer.translation_note()
            reply.say(f"{note}\n{status}" if status else note)
        if turn.truncated:
            reply.say(renderer.text("too_long"))
        return reply, renderer, decision

    @staticmethod
    def _evidence(turn: Turn) -> str | None:
        """The language this message shows, if any. A menu number, an empty message or a keyword such as "LANGUAGE"
        shows none: lingua reads "LANGUAGE" alone as Romanian, and the menu it opens lists every language in its own
        script anyway."""
        return None if turn.intent in _NOT_LANGUAGE_EVIDENCE else turn.detected_language

    def _menu(self, menu_id: str | None, renderer: Renderer) -> menus.Menu:
        return menus.build(menu_id, self.catalog, renderer)

    # -- handlers ----------------------------------------------------------------------------------------------------
    def greet(self, turn: Turn) -> Reply:
        reply, renderer, decision = self._open(turn)
        if not reply.messages:  # already introduced in this language: a greeting gets the menu again
            reply.say(renderer.text("greeting"))
        menu_id = menus.MAIN if decision.known else menus.LANGUAGE
        reply.show(self._menu(menu_id, renderer), renderer)
        return reply

    def main_menu(self, turn: Turn) -> Reply:
        reply, renderer, _ = self._open(turn)
        reply.show(self._menu(menus.MAIN, renderer), renderer)
        return reply

    def language_menu(self, turn: Turn) -> Reply:
        reply, renderer, _ = self._open(turn)
        reply.show(self._menu(menus.LANGUAGE, renderer), renderer)
        return reply

    def explain_topic(self, turn: Turn, topic_id: str) -> Reply:
        reply, renderer, _ = self._open(turn)
        self._topic(reply, renderer, topic_id, "summary")
        return reply

    def select_option(self, turn: Turn) -> Reply:
        """She replied with a number: look it up in the menu she was shown last."""
        reply, renderer, _ = self._open(turn)
        menu = self._menu(turn.menu, renderer)
        option = menu.select(turn.menu_choice) if turn.menu_choice is not None else None
        if option is None:
            reply.say(renderer.text("invalid_option", choices=menu.numbers()))
            reply.show(menu, renderer)
            return reply
        return self._follow(option.target, reply, renderer, turn)

    def person(self, turn: Turn) -> Reply:
        """She asked for an interpreter, a midwife or a person: a person takes over (see bot.services.handoff)."""
        reply, _, _ = self._open(turn)
        reply.handoff = HANDOFF_ASKED
        reply.slots[SLOT_MENU] = None
        return reply

    def needs_interpreter(self, turn: Turn) -> bool:
        """Her first message is in a language the bot has no content for: a person with an interpreter takes over.

        When the gateway machine-translated her message (tier 2), no; when it tried and failed, yes, at once.
        Otherwise only on first contact, and never for a menu number, the word "language" or an empty message: one
        word later in a conversation can be misdetected (lingua reads "LANGUAGE" alone as Romanian), and a woman
        already talking to the bot can ask for a person herself or is handed over after two messages it did not
        understand.
        """
        if turn.translation_failed:  # tier 2 failed: no waiting, no English she may not read (tier 3)
            return True
        if turn.translated_from:  # tier 2: understood through machine translation
            return False
        detected = turn.detected_language
        curated = self.catalog.curated_languages
        if turn.introduced or not detected or detected in curated or turn.intent in _NOT_LANGUAGE_EVIDENCE:
            return False
        return not (turn.language_chosen and turn.language in curated)

    def unsupported_language(self, turn: Turn) -> Reply:
        """Her language has no curated content: the disclosure, then a person with an interpreter takes over."""
        reply, _, _ = self._open(turn)
        reply.handoff = HANDOFF_LANGUAGE
        reply.slots[SLOT_MENU] = None
        return reply

    def help(self, turn: Turn) -> Reply:
        reply, renderer, _ = self._open(turn)
        reply.say(f"{renderer.text('help')}\n{renderer.text('urgent_line')}")
        return reply

    def stop(self, turn: Turn) -> Reply:
        reply, renderer, _ = self._open(turn)
        reply.say(renderer.text("stop"))
        reply.slots[SLOT_MENU] = None
        return reply

    def thanks(self, turn: Turn) -> Reply:
        reply, renderer, _ = self._open(turn)
        reply.say(renderer.text("thanks"))
        reply.offer_feedback = True  # the end of a conversation: a moment to ask how her care has been
        return reply

    def fallback(self, turn: Turn) -> Reply:
        """She asked something we have no content for: say so, never guess a topic, offer a person."""
        reply, renderer, _ = self._open(turn)
        misunderstood = turn.misunderstood + 1
        reply.slots[SLOT_MISUNDERSTOOD] = 0 if misunderstood >= MISUNDERSTOOD_LIMIT else misunderstood
        if misunderstood >= MISUNDERSTOOD_LIMIT:
            reply.handoff = HANDOFF_NOT_UNDERSTOOD  # twice in a row: a person, not a third guess
            reply.slots[SLOT_MENU] = None
            return reply
        reply.say(f"{renderer.text('fallback')}\n{renderer.text('urgent_line')}")
        reply.show(self._menu(menus.FALLBACK, renderer), renderer)
        return reply

    def no_text(self, turn: Turn) -> Reply:
        reply, renderer, _ = self._open(turn)
        reply.say(renderer.text("no_text"))
        return reply

    # -- internals ---------------------------------------------------------------------------------------------------
    def _follow(self, target: str, reply: Reply, renderer: Renderer, turn: Turn) -> Reply:
        kind, _, arg = target.partition(":")
        if kind == "language":
            renderer = Renderer(self.catalog, arg)
            reply.slots.update({SLOT_LANGUAGE: arg, SLOT_LANGUAGE_CHOSEN: True})
            # The choice replaces any note the detection added to this reply.
            reply.messages = [m for m in reply.messages if not _is_language_note(m, self.catalog)]
            # The disclosure again, now in a language she reads.
            lines = [renderer.text("language_set"), renderer.text("greeting"), renderer.translation_note()]
            reply.say("\n".join(line for line in lines if line))
            reply.show(self._menu(menus.MAIN, renderer), renderer)
        elif kind == "menu":
            reply.show(self._menu(arg, renderer), renderer)
        elif kind == "stage":
            reply.show(self._menu(target, renderer), renderer)
        elif kind == "topic":
            self._topic(reply, renderer, arg, "summary")
        elif kind == "section":
            topic_id, _, section = arg.partition(":")
            self._topic(reply, renderer, topic_id, section)
        elif kind == "feedback":
            reply.start_feedback = True
            reply.slots[SLOT_MENU] = None
        elif kind in ("person", "interpreter"):
            reply.handoff = HANDOFF_ASKED if kind == "person" else HANDOFF_LANGUAGE
            reply.slots[SLOT_MENU] = None
        return reply

    def _topic(self, reply: Reply, renderer: Renderer, topic_id: str, section: str) -> None:
        topic = self.catalog.topics[topic_id]
        assert section == "summary" or section in MENU_SECTIONS, section
        reply.say(renderer.topic_section(topic, section))
        reply.slots[SLOT_TOPIC] = topic_id
        reply.show(self._menu(f"topic:{topic_id}", renderer), renderer)


def _is_language_note(message: OutMessage, catalog: Catalog) -> bool:
    notes = {ui.messages.get("language_note") for ui in catalog.ui.values()}
    return message.text.split("\n", 1)[0] in notes
