"""Counting messages where every channel meets: Rasa's event stream.

Every Rasa worker is given this "event broker" (`endpoints.yml`, written by `doula run`). Rasa hands it the events of
each handled message when it saves the conversation, whatever the channel: her message (with its channel, detected
language and red-flag category), the bot's replies, and `action_listen` when the bot is done. So the channels need
no code for metrics, and a new channel is counted from its first message.

Latency is her message's timestamp to the `action_listen` that ends the bot's turn (both set by Rasa as it goes):
understanding, policies and the action server, not the gateway's database checks nor the channel's sending.
Nothing of the text or the sender leaves this module: only closed labels (see :func:`bot.runtime.metrics.label`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import metrics

logger = logging.getLogger(__name__)

_MAX_PENDING = 10_000  # conversations between her message and the bot's listen, per worker (a few at any time)


class MetricsBroker(EventBroker):
    """Turns Rasa events into doula's counters (:mod:`bot.runtime.metrics`)."""

    def __init__(self) -> None:
        # sender id -> (timestamp of her message, channel), until the bot's turn ends. Pseudonymous ids, in memory.
        self._turns: OrderedDict[str, tuple[float, str]] = OrderedDict()
        metrics.count_errors("rasa")

    @classmethod
    async def from_endpoint_config(cls, broker_config: EndpointConfig,
                                   event_loop: asyncio.AbstractEventLoop | None = None) -> MetricsBroker:
        return cls()

    def publish(self, event: dict[str, Any]) -> None:
        try:
            self._count(event)
        except Exception:  # noqa: BLE001 - a metrics fault must never fail a conversation
            logger.warning("metrics: event not counted", exc_info=True)

    def _count(self, event: dict[str, Any]) -> None:
        kind, sender = event.get("event"), str(event.get("sender_id", ""))
        if kind == "user":
            parse = event.get("parse_data") or {}
            channel = metrics.label(event.get("input_channel"))
            detected = parse.get("language") or {}
            language = detected.get("language") if isinstance(detected, dict) else None
            metrics.count(metrics.MESSAGES, channel=channel, language=language or "und")
            red_flag = parse.get("red_flag") or {}
            if isinstance(red_flag, dict) and red_flag.get("category"):
                metrics.count(metrics.RED_FLAGS, category=red_flag["category"])
            self._turns[sender] = (float(event.get("timestamp") or 0.0), channel)
            while len(self._turns) > _MAX_PENDING:
                self._turns.popitem(last=False)
        elif kind == "bot":
            turn = self._turns.get(sender)
            metrics.count(metrics.REPLIES, channel=turn[1] if turn else "other")
        elif kind == "action" and event.get("name") == "action_listen" and sender in self._turns:
            started, _channel = self._turns.pop(sender)
            finished = float(event.get("timestamp") or 0.0)
            if started and finished >= started:
                metrics.recorder().observe(metrics.LATENCY, finished - started)
