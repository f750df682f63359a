"""Readiness of every part of a deployment, for a process manager, a load balancer or monitoring.

Two layers:

* :class:`bot.runtime.rasa_health.RasaHealthInput` at `GET /webhooks/health/` on the Rasa server: does the worker
  that answers have a model loaded?
* :func:`check_all`, what `doula run` serves at `GET /health` on the ops port: that Rasa endpoint, the action server,
  the staff console, doula's database and (when configured) the Redis lock store, each with a short timeout.
  200 when every part is ready, else 503; JSON per part, never a URL, a host or a password (an error is named by its
  class only).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from bot.settings import Settings

TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str
    seconds: float = 0.0


def _http(url: str) -> Check:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as reply:
            return Check(reply.status == 200, f"HTTP {reply.status}")
    except urllib.error.HTTPError as error:
        return Check(False, f"HTTP {error.code}")
    except (urllib.error.URLError, OSError) as error:
        return Check(False, f"unreachable ({error.__class__.__name__})")


def rasa(settings: Settings) -> Check:
    return _http(f"http://127.0.0.1:{settings.rasa_port}/webhooks/health/")


def action_server(settings: Settings) -> Check:
    return _http(f"http://127.0.0.1:{settings.action_port}/health")


def console(settings: Settings) -> Check:
    return _http(f"http://127.0.0.1:{settings.console_port}/")


_database_engines: dict[str, Any] = {}


def database(settings: Settings) -> Check:
    """`SELECT 1` on doula's own database (its schema is checked when `doula run` starts)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage.database import sqlite_url

    url = settings.database_url
    if url not in _database_engines:
        arguments = {} if url.startswith("sqlite") else {"connect_args": {"connect_timeout": int(TIMEOUT_S)}}
        _database_engines[url] = create_engine(sqlite_url(url), future=True, pool_pre_ping=True, **arguments)
    try:
        with _database_engines[url].connect() as connection:
            connection.execute(text("SELECT 1"))
        return Check(True, "reachable")
    except SQLAlchemyError as error:
        return Check(False, f"unreachable ({error.__class__.__name__})")


def lock_store(settings: Settings) -> Check:
    import redis

    try:
        client = redis.Redis.from_url(settings.lock_store_url, socket_timeout=TIMEOUT_S,
                                      socket_connect_timeout=TIMEOUT_S)
        client.ping()
        client.close()
        return Check(True, "reachable")
    except redis.RedisError as error:
        return Check(False, f"unreachable ({error.__class__.__name__})")


def checks(settings: Settings) -> dict[str, Callable[[Settings], Check]]:
    found: dict[str, Callable[[Settings], Check]] = {
        "rasa": rasa, "action_server": action_server, "console": console, "database": database}
    if settings.lock_store_url:
        found["lock_store"] = lock_store
    return found


def check_all(settings: Settings) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body): every check at once, so the whole answer takes at most about one timeout."""
    def timed(check: Callable[[Settings], Check]) -> Check:
        started = time.monotonic()
        result = check(settings)
        return Check(result.ok, result.detail, round(time.monotonic() - started, 3))

    named = checks(settings)
    with ThreadPoolExecutor(max_workers=len(named)) as pool:
        results = dict(zip(named, pool.map(timed, named.values()), strict=True))
    ready = all(r.ok for r in results.values())
    body = {"status": "ready" if ready else "unavailable", "profile": settings.profile,
            "components": {name: asdict(result) for name, result in results.items()}}
    return (200 if ready else 503), body
