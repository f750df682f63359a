"""Two Rasa processes behind a round-robin balancer, one conversation: every message is processed exactly once, in
order, and every request gets its reply.

What "in order" means here. Both processes share the PostgreSQL tracker store and the Redis lock store. Rasa's lock
gives each message of a conversation a ticket when it reaches the lock (after the gateway's checks) and processes the
tickets one at a time, in ticket order. Ticket order is not quite the order of arrival over HTTP: a Rasa process whose
event loop is busy with another message's NLU reaches the lock later, so under load (2 shared cores) messages sent
0.15 s and 0.4 s apart were seen to swap. So:

* messages sent one second apart (a woman typing fast) are in the tracker in the order sent: asserted exactly;
* messages sent at the very same instant have no order to keep: what is asserted is that each is in the tracker
  exactly once, none lost or doubled, and that each request got a reply of its own.

Rasa's own Redis lock store is not atomic across processes: two messages arriving within a millisecond can get the
same ticket and be processed at once (bot/storage/lock_store.py; tests/storage/test_lock_store.py shows it on
tickets). Rare at these rates, so these tests seldom see it; doula's atomic store closes it.
"""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.conftest import user_texts

pytestmark = pytest.mark.e2e

STAGGER_S = 1.0


def summary(results) -> list[tuple[int, list[str]]]:
    return [(status, [str(r.get("text", r))[:60] for r in (replies if isinstance(replies, list) else [replies])])
            for status, replies in results]


def test_staggered_messages_are_processed_once_each_in_the_order_sent(stack):
    sender = f"faults-rr-{secrets.token_hex(6)}"
    messages = [f"Hello {i}" for i in range(1, 11)]
    before = dict(stack.proxy.connections)

    def send(text: str) -> tuple[int, object]:
        return stack.send(stack.proxy.url, sender, text)

    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        futures = []
        for text in messages:
            futures.append(pool.submit(send, text))
            time.sleep(STAGGER_S)
        results = [f.result() for f in futures]

    assert all(status == 200 and replies for status, replies in results), summary(results)
    assert user_texts(stack.tracker(sender)) == messages
    assert all(stack.proxy.connections[i] > before.get(i, 0) for i in (0, 1)), "both Rasa servers took messages"


def test_simultaneous_messages_are_each_processed_exactly_once(stack):
    sender = f"faults-rr-{secrets.token_hex(6)}"
    messages = [f"Hello {i}" for i in range(1, 11)]
    start = threading.Barrier(len(messages))

    def send(text: str) -> tuple[int, object]:
        start.wait()
        return stack.send(stack.proxy.url, sender, text)

    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        results = list(pool.map(send, messages))

    assert all(status == 200 and replies for status, replies in results), summary(results)
    stored = user_texts(stack.tracker(sender))
    assert sorted(stored) == sorted(messages) and len(stored) == len(messages)
    # Each reply belongs to its request: every bot turn follows exactly one user turn.
    events = [e["event"] for e in stack.tracker(sender)["events"] if e["event"] in ("user", "bot")]
    assert events[0] == "user" and "user" not in [b for a, b in zip(events, events[1:], strict=False) if a == "user"]
