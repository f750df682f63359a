"""Actions for the numbered menus: main menu, language menu, and a number chosen from the menu shown last."""

from __future__ import annotations

from actions.base import DoulaAction
from bot.services.conversation import Conversation, Reply, Turn


class ActionMainMenu(DoulaAction):
    action_name = "action_main_menu"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.main_menu(turn)


class ActionLanguageMenu(DoulaAction):
    action_name = "action_language_menu"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.language_menu(turn)


class ActionSelectOption(DoulaAction):
    action_name = "action_select_option"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        return service.select_option(turn)
