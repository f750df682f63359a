"""`doula telegram`: for deployments without a public URL, fetch updates by long polling and hand each one to the
running bot's own webhook (with the secret), so both modes share one code path. `--set-webhook` instead registers
PUBLIC_BASE_URL/webhooks/telegram/webhook with Telegram, secret token included."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request

from telegram.error import NetworkError, TimedOut

from bot.channels.telegram.input import SECRET_HEADER, make_bot
from bot.settings import Settings

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram/webhook"


async def set_webhook(settings: Settings) -> str:
    url = settings.public_base_url + WEBHOOK_PATH
    async with make_bot(settings) as bot:
        await bot.set_webhook(url=url, secret_token=settings.telegram_webhook_secret,
                              allowed_updates=["message", "edited_message", "callback_query"])
    return url


def _forward(settings: Settings, update: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{settings.rasa_port}{WEBHOOK_PATH}", data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", SECRET_HEADER: settings.telegram_webhook_secret})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


async def poll(settings: Settings, max_rounds: int | None = None, poll_timeout: int = 25) -> None:
    """Long-poll until interrupted (or for `max_rounds` rounds, in tests)."""
    async with make_bot(settings) as bot:
        await bot.delete_webhook()  # Telegram refuses getUpdates while a webhook is set
        offset, rounds = None, 0
        while max_rounds is None or rounds < max_rounds:
            rounds += 1
            try:
                updates = await bot.get_updates(offset=offset, timeout=poll_timeout,
                                                allowed_updates=["message", "edited_message", "callback_query"])
            except (TimedOut, NetworkError) as error:
                logger.warning("telegram polling: %s; retrying", type(error).__name__)
                await asyncio.sleep(2)
                continue
            for update in updates:
                status = await asyncio.to_thread(_forward, settings, update.to_dict())
                if status != 200:
                    logger.warning("telegram update not accepted by the bot (HTTP %s)", status)
                offset = update.update_id + 1
