"""The atomic Redis lock store against the real Redis (db 15, a random key prefix): tickets taken at the same time by
several "processes" (a store each, in threads) are all distinct and served in order, which Rasa's own store does not
guarantee."""

from __future__ import annotations

import asyncio
import os
import secrets
import threading

import pytest
import redis
from rasa.core.lock_store import RedisLockStore

from bot.storage.lock_store import AtomicRedisLockStore

REDIS_URL = os.environ.get("DOULA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def prefix():
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
    prefix = "faults" + secrets.token_hex(4)
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def stores(cls, prefix: str, count: int) -> list[RedisLockStore]:
    url = redis.connection.parse_url(REDIS_URL)
    return [cls(host=url.get("host", "127.0.0.1"), port=url.get("port", 6379), db=url.get("db", 15),
                key_prefix=prefix) for _ in range(count)]


def tickets_taken_together(cls, prefix: str, count: int = 8, rounds: int = 5) -> list[list[int]]:
    taken = []
    for _ in range(rounds):
        conversation = secrets.token_hex(6)
        numbers: list[int] = []
        start = threading.Barrier(count)

        def take(store: RedisLockStore, conversation: str = conversation, start: threading.Barrier = start,
                 numbers: list[int] = numbers) -> None:
            start.wait()
            numbers.append(store.issue_ticket(conversation))

        threads = [threading.Thread(target=take, args=(store,)) for store in stores(cls, prefix, count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        taken.append(sorted(numbers))
    return taken


def test_tickets_taken_at_once_by_several_processes_are_distinct(prefix):
    for numbers in tickets_taken_together(AtomicRedisLockStore, prefix):
        assert numbers == list(range(len(numbers)))


def test_the_lock_is_kept_until_the_last_ticket_is_given_back(prefix):
    one, other = stores(AtomicRedisLockStore, prefix, 2)
    first, second = one.issue_ticket("c"), other.issue_ticket("c")
    assert (first, second) == (0, 1)
    one.cleanup("c", first)
    lock = other.get_lock("c")
    assert lock is not None and not lock.is_locked(second)
    other.cleanup("c", second)
    assert other.get_lock("c") is None


def test_messages_are_served_in_ticket_order_across_processes(prefix):
    served: list[int] = []

    async def message(store: AtomicRedisLockStore, number: int) -> None:
        await asyncio.sleep(number * 0.01)  # arrive in this order
        async with store.lock("c", wait_time_in_seconds=0.01):
            served.append(number)
            await asyncio.sleep(0.02)

    async def run() -> None:
        pair = stores(AtomicRedisLockStore, prefix, 2)
        await asyncio.gather(*(message(pair[i % 2], i) for i in range(10)))

    asyncio.run(run())
    assert served == list(range(10))


def test_built_from_an_endpoint_config(prefix):
    from rasa.utils.endpoints import EndpointConfig

    url = redis.connection.parse_url(REDIS_URL)
    store = AtomicRedisLockStore(endpoint_config=EndpointConfig(
        url=url.get("host", "127.0.0.1"), port=url.get("port", 6379), db=url.get("db", 15), key_prefix=prefix))
    assert store.issue_ticket("c") == 0 and store.key_prefix.startswith(prefix)
