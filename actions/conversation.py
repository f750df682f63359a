"""Actions that map one-to-one onto a handler of :class:`bot.services.conversation.Conversation`.

Each line below is a whole action: its name in domain.yml and the handler it calls.
"""

from __future__ import annotations

from collections.abc import Callable

from actions.base import DoulaAction
from bot.services.conversation import Conversation, Reply, Turn


def _action(class_name: str, action_name: str, handler: Callable[[Conversation, Turn], Reply]) -> type[DoulaAction]:
    def handle(self: DoulaAction, service: Conversation, turn: Turn) -> Reply:
        return handler(service, turn)

    return type(class_name, (DoulaAction,), {"action_name": action_name, "handle": handle, "__module__": __name__})


ActionGreet = _action("ActionGreet", "action_greet", Conversation.greet)
ActionMainMenu = _action("ActionMainMenu", "action_main_menu", Conversation.main_menu)
ActionLanguageMenu = _action("ActionLanguageMenu", "action_language_menu", Conversation.language_menu)
ActionSelectOption = _action("ActionSelectOption", "action_select_option", Conversation.select_option)
ActionHelp = _action("ActionHelp", "action_help", Conversation.help)
ActionStop = _action("ActionStop", "action_stop", Conversation.stop)
ActionThanks = _action("ActionThanks", "action_thanks", Conversation.thanks)
ActionFallback = _action("ActionFallback", "action_fallback", Conversation.fallback)
ActionNoText = _action("ActionNoText", "action_no_text", Conversation.no_text)
