"""What a Telegram update means for doula: which text goes to Rasa, and whether to answer at all.

Commands become the words the bot understands (/start -> hello, /language -> language, /stop, /help); a pressed
inline button is the number it stands for; an edited message is read again as a new one (she corrected it); a voice
note, photo, sticker, document or location becomes an empty message (the bot then says it reads only text; the media
is never downloaded); in a group chat the bot says once that it talks only in private, because a conversation
about her pregnancy is one to one, and otherwise stays silent there.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

COMMANDS = {"start": "hello", "language": "language", "stop": "stop", "help": "help", "menu": "menu"}
MEDIA = ("voice", "audio", "photo", "sticker", "document", "video", "video_note", "location", "contact", "animation")


@dataclass(frozen=True)
class Incoming:
    chat_id: int
    text: str
    media: bool = False
    callback_query_id: str | None = None
    group: bool = False  # not a private chat: nothing goes to Rasa


def read(update: Update) -> Incoming | None:
    """The message in `update`, or None when there is nothing to answer (service messages, empty updates)."""
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat if query.message else None
        if chat is None:
            return None
        return Incoming(chat.id, query.data or "", callback_query_id=query.id, group=chat.type != "private")
    message = update.message or update.edited_message
    if message is None:
        return None
    if message.chat.type != "private":
        return Incoming(message.chat.id, "", group=True)
    if message.text:
        text = message.text
        if text.startswith("/"):
            command = text[1:].split(" ", 1)[0].split("@", 1)[0].lower()
            text = COMMANDS.get(command, text[1:])
        return Incoming(message.chat.id, text)
    if any(getattr(message, kind, None) for kind in MEDIA):
        return Incoming(message.chat.id, message.caption or "", media=True)
    return None
