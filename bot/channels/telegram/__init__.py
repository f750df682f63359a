"""Telegram through python-telegram-bot: a webhook input channel for Rasa (secret-token checked) and a long-polling
runner (`doula telegram`) for deployments without a public URL. Mounted as `bot.channels.telegram.TelegramInput`."""

from bot.channels.telegram.input import TelegramInput

__all__ = ["TelegramInput"]
