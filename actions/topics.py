"""Action explaining the topic she asked for in free text (intent `topic_<content id>`)."""

from __future__ import annotations

from actions.base import DoulaAction
from bot.services.conversation import Conversation, Reply, Turn


class ActionExplainTopic(DoulaAction):
    action_name = "action_explain_topic"

    def handle(self, service: Conversation, turn: Turn) -> Reply:
        topic = service.catalog.topic_for_intent(turn.intent)
        if topic is None:  # an intent without content: say so rather than guess
            return service.fallback(turn)
        return service.explain_topic(turn, topic.id)
