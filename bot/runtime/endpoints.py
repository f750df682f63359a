"""Rasa's endpoints (action server, tracker store, lock store, event broker) built from :class:`bot.settings.Settings`.

`doula run` writes them to `var/run/endpoints-<pid>.yml` for its Rasa process. The committed `endpoints.yml` is what
the embedded defaults give (a test keeps it so), for anyone who runs `rasa` commands by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot.settings import Settings

EVENT_BROKER = "bot.runtime.events.MetricsBroker"
SQL_TRACKER_STORE = "bot.storage.tracker_store.DoulaSQLTrackerStore"
ATOMIC_REDIS_LOCK_STORE = "bot.storage.lock_store.AtomicRedisLockStore"


def tracker_store(url: str) -> dict[str, Any]:
    """Tracker store settings for a SQLAlchemy URL (SQLite or PostgreSQL): Rasa's SQL store, through
    :class:`bot.storage.tracker_store.DoulaSQLTrackerStore` (same table; off the event loop, no second read per
    message for the metrics)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return {"type": SQL_TRACKER_STORE, "dialect": "sqlite", "db": parsed.database}
    config = {
        "type": SQL_TRACKER_STORE,
        "dialect": parsed.drivername,
        "url": parsed.host or "localhost",
        "port": parsed.port or 5432,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }
    return {k: v for k, v in config.items() if v is not None}


def lock_store(url: str) -> dict[str, Any]:
    """Rasa lock store settings: Redis when a URL is given, otherwise in-memory (one Rasa process only).

    Redis through :class:`bot.storage.lock_store.AtomicRedisLockStore`: Rasa's own Redis lock store changes a lock
    by read, change, write, which two processes (two Sanic workers, or two hosts) can interleave."""
    if not url:
        return {"type": "in_memory"}
    parsed = make_url(url)
    config = {
        "type": ATOMIC_REDIS_LOCK_STORE,
        "url": parsed.host or "localhost",
        "port": parsed.port or 6379,
        "db": int(parsed.database or 0),
        "password": parsed.password,
        "key_prefix": "doula",
    }
    return {k: v for k, v in config.items() if v is not None}


def build(settings: Settings) -> dict[str, Any]:
    return {
        "action_endpoint": {"url": settings.action_server_url},
        "tracker_store": tracker_store(settings.tracker_store_url),
        "lock_store": lock_store(settings.lock_store_url),
        # Not a message queue: doula's metrics, counted from the events of every channel (bot/runtime/events.py).
        "event_broker": {"type": EVENT_BROKER},
    }


def write(settings: Settings, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Written by `doula run` from the environment (bot/runtime/endpoints.py); edits are overwritten.\n"
    path.write_text(header + yaml.safe_dump(build(settings), sort_keys=False), encoding="utf-8")
    return path
