"""Each channel message is handled once: Twilio retries a webhook that timed out, with the same MessageSid."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.storage.database import handled_messages


def first_time(engine: Engine, channel: str, message_id: str, sender_id: str | None = None) -> bool:
    """Record `message_id` (of pseudonymous `sender_id`, so that erasing her data erases it too) and return True, or
    return False if it was recorded before (by any process)."""
    try:
        with engine.begin() as connection:
            connection.execute(insert(handled_messages).values(channel=channel, message_id=message_id,
                                                               sender_id=sender_id))
    except IntegrityError:
        return False
    return True
