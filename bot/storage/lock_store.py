"""Rasa's Redis lock store, made safe for several Rasa processes.

Rasa keeps each conversation's messages in order with a ticket lock: a message takes a ticket, waits until its number
is served, and gives it back when done. Rasa's own `RedisLockStore` stores the whole lock as one JSON value and
changes it by GET, change in Python, SET. With one Rasa process that is safe (nothing awaits in between); with two
behind a load balancer, two messages of one conversation arriving together both read the lock, both add "their"
ticket, and the second SET wipes the first: two messages with the same number are processed at once, out of order,
and a ticket given back can delete a lock another message still waits on (it then fails with a `LockError`). The
fault test with two Rasa processes (tests/faults/test_round_robin.py) showed messages processed out of order.

:class:`AtomicRedisLockStore` makes each change a Redis transaction (WATCH the key, read, change, MULTI/EXEC; again if
another process changed it meanwhile), and so is the same lock, atomic across processes. Use it in `endpoints.yml`:

    lock_store:
      type: bot.storage.lock_store.AtomicRedisLockStore
      url: localhost
      port: 6379
      db: 0
      key_prefix: doula
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore

logger = logging.getLogger(__name__)

T = TypeVar("T")
MAX_ATTEMPTS = 100  # optimistic retries of one change; each loses only to another process's change of the same lock


class AtomicRedisLockStore(RedisLockStore):
    """A `RedisLockStore` whose read-change-write steps are Redis transactions."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # built by Rasa from endpoints.yml (`type: <this class>`)
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply `change` to the stored lock atomically. `change` gets the lock (or None) and returns the lock to
        store (None: delete it) and a result."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(lock)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue
        raise redis.WatchError(f"lock for a conversation changed {MAX_ATTEMPTS} times in a row")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._change(conversation_id, take)

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; delete the lock only if, in the same transaction, no one else holds a ticket."""

        def give_back(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, give_back)
