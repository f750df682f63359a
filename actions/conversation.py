"""Actions for greeting, help, stop, thanks, fallback, messages with no text and asking for a person."""

from __future__ import annotations

from actions.base import DoulaAction
from bot.services.conversation import Conversation, Reply, Turn


class ActionGreet(DoulaAction):
    action_name = "action_greet"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.greet(turn)


class ActionHelp(DoulaAction):
    action_name = "action_help"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.help(turn)


class ActionStop(DoulaAction):
    action_name = "action_stop"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.stop(turn)


class ActionThanks(DoulaAction):
    action_name = "action_thanks"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.thanks(turn)


class ActionFallback(DoulaAction):
    action_name = "action_fallback"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.fallback(turn)


class ActionNoText(DoulaAction):
    action_name = "action_no_text"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.no_text(turn)


class ActionTalkToPerson(DoulaAction):
    action_name = "action_talk_to_person"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.person(turn)
