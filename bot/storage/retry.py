"""A bounded retry for the writes that must not be lost to a database blip (a PostgreSQL restart or fail-over).

A restart refuses connections for a second or two, and cuts the connections already open. `pool_pre_ping` (see
:func:`bot.storage.database.engine_for`) replaces cut connections; this retries a write whose transaction could not
run at all meanwhile, a few times over about four seconds, so that her feedback or her request for a person is
stored instead of refused. Only whole transactions are retried (the caller passes one `engine.begin()` block): a
transaction that failed was rolled back, so running it again writes it once. The one ambiguous case, the connection
cut while COMMIT was on its way, may store a record twice; a refused one is the worse failure.

It blocks the calling thread (the action server runs actions in its event loop, which waits anyway: every action of
hers needs this database). After the last attempt the error is raised, and she is told to try again
(:mod:`bot.gateway.degraded`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

logger = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 5
FIRST_DELAY_S = 0.25  # then 0.5, 1, 2: about four seconds in all


def retry_write(write: Callable[[], T], attempts: int = ATTEMPTS, first_delay: float = FIRST_DELAY_S,
                sleep: Callable[[float], None] = time.sleep) -> T:
    """`write()`, run again while the database cannot be reached (``OperationalError``), at most `attempts` times."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return write()
        except OperationalError as error:
            if attempt == attempts:
                raise
            # The error's class only: its message can hold the statement's parameters.
            logger.warning("database unavailable (%s); write retried in %.2f s (%d/%d)",
                           type(error.orig).__name__, delay, attempt, attempts - 1)
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
