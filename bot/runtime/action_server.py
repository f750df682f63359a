"""The action server as `doula run` starts it: rasa_sdk's own entry point, with two things done first.

* doula's error counter is installed (`doula_errors_total{process="actions"}`);
* with several workers (ACTION_SERVER_SANIC_WORKERS, set by `doula run` from DOULA_ACTION_WORKERS), the actions are
  imported and their warm-up threads (e.g. `actions/feedback.py` loading the anonymiser) finish *before* Sanic forks
  the workers. A fork copies the locks a running thread holds, but not the thread: a worker forked while the warm-up
  was importing a module waited forever on that module's import lock the first time an action needed it (found with
  two workers: a red-flag message, whose action imports the anonymiser, never got an answer);
* the static content the actions render (topics, urgent advice) is read before the workers start (:func:`warm_up`),
  so that the first woman each worker answers does not wait for the YAML to be parsed (about a second per worker
  under load, measured with py-spy), and forked workers share the parsed content. Nothing that opens a database
  connection is built here: connections must not cross a fork.

Same arguments as `python -m rasa_sdk`.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys
import threading
import time

from bot.runtime import metrics

logger = logging.getLogger(__name__)

WARM_UP_TIMEOUT_S = 300


def _actions_package(argv: list[str]) -> str:
    for flag in ("--actions", "-a"):
        if flag in argv and argv.index(flag) + 1 < len(argv):
            return argv[argv.index(flag) + 1]
    return "actions"


def settle_before_fork(package: str, timeout: float = WARM_UP_TIMEOUT_S) -> list[str]:
    """Import `package` and its modules (as rasa_sdk will: then they are already loaded) and wait (up to `timeout`
    s) for the threads the import started. Returns the names of those still running after the timeout (forking then
    is a risk, which is logged)."""
    before = set(threading.enumerate())
    module = importlib.import_module(package)
    for found in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=f"{package}."):
        importlib.import_module(found.name)
    started = [t for t in threading.enumerate() if t not in before]
    deadline = time.monotonic() + timeout
    for thread in started:
        thread.join(max(0.0, deadline - time.monotonic()))
    left = [t.name for t in started if t.is_alive()]
    if left:
        logger.warning("threads still running when the action server workers start: %s", ", ".join(left))
    return left


def warm_up() -> None:
    """Read the content every conversation needs (no database, no network)."""
    from actions.base import conversation
    from bot.safety.catalog import load_safety

    conversation()
    load_safety()


def main() -> None:
    from rasa_sdk.__main__ import main as rasa_sdk_main

    metrics.count_errors("actions")
    if int(os.environ.get("ACTION_SERVER_SANIC_WORKERS", "1") or 1) > 1:
        settle_before_fork(_actions_package(sys.argv[1:]))
    if _actions_package(sys.argv[1:]) == "actions":
        warm_up()
    rasa_sdk_main()


if __name__ == "__main__":
    main()
