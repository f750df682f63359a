"""Red-flag detection through the trained Rasa model, for evaluation: the whole NLU pipeline (as the running bot
parses a message) and, from the same parse, what the trained model alone would have said."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.nlu.red_flag import LEARNED_KEY, PARSE_KEY, category_of


class ParsedMessages:
    """Parses every message once with the model at `model_path` and answers both questions from the cache."""

    def __init__(self, model_path: Path, model_threshold: float = 0.5) -> None:
        import logging

        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        # Rasa's structured logs print each message's text at DEBUG; evaluation output must not.
        configure_structlog(logging.WARNING)
        self.agent = Agent.load(str(model_path))
        self.model_threshold = model_threshold
        self._parsed: dict[str, dict] = {}
        self._seconds: dict[str, float] = {}

    def parse_all(self, messages: list[str]) -> None:
        async def run() -> None:
            for message in messages:
                if message not in self._parsed:
                    started = time.perf_counter()
                    self._parsed[message] = await self.agent.parse_message(message)
                    self._seconds[message] = time.perf_counter() - started

        asyncio.run(run())

    def cost(self, message: str) -> float:
        """Seconds the whole NLU parse of `message` took (both columns come from that one parse)."""
        return self._seconds[message]

    def pipeline(self, message: str) -> list[str]:
        data = self._parsed[message].get(PARSE_KEY) or {}
        return list(data.get("categories") or ())

    def learned_alone(self, message: str) -> list[str]:
        """What the learned red-flag signal alone raised (before the lexicons' negation veto)."""
        category = (self._parsed[message].get(LEARNED_KEY) or {}).get("category")
        return [category] if category else []

    def model_alone(self, message: str) -> list[str]:
        """What the intent classifier alone said: a `red_flag_<category>` top intent with enough confidence."""
        parsed = self._parsed[message]
        model = (parsed.get(PARSE_KEY) or {}).get("model") or parsed.get("intent") or {}
        name = model.get("intent", model.get("name"))
        category = category_of(name)
        return [category] if category and (model.get("confidence") or 0) >= self.model_threshold else []
