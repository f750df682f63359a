"""The cache of machine translations of the bot's own texts (see :data:`bot.storage.database.translations`)."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.storage.database import translations


def cache_key(provider: str, source: str, target: str, text: str) -> str:
    return hashlib.sha256(f"{provider}\x00{source}\x00{target}\x00{text}".encode()).hexdigest()


def lookup(engine: Engine, keys: list[str]) -> dict[str, str]:
    """The cached translations among `keys`."""
    if not keys:
        return {}
    with engine.connect() as connection:
        rows = connection.execute(select(translations.c.key, translations.c.text).where(translations.c.key.in_(keys)))
        return {key: text for key, text in rows}


def store(engine: Engine, key: str, provider: str, source: str, target: str, text: str) -> None:
    """Remember a translation; a concurrent process storing the same one first is fine."""
    try:
        with engine.begin() as connection:
            connection.execute(insert(translations).values(key=key, provider=provider, source=source, target=target,
                                                           text=text))
    except IntegrityError:
        pass
