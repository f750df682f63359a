"""Before the action server forks its workers, the actions are imported and their warm-up threads have finished: a
worker forked while a thread held an import lock would wait on that lock forever."""

from __future__ import annotations

import sys
import threading

from bot.runtime.action_server import _actions_package, settle_before_fork

WARMING = """
import threading, time

def warm_up():
    time.sleep(0.3)

threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
"""


def test_submodules_are_imported_and_their_threads_finish_first(tmp_path, monkeypatch):
    package = tmp_path / "fake_actions"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "feedback.py").write_text(WARMING)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert settle_before_fork("fake_actions") == []
        assert "fake_actions.feedback" in sys.modules
        assert not [t for t in threading.enumerate() if t.name == "warm-up"]
    finally:
        for name in ("fake_actions", "fake_actions.feedback"):
            sys.modules.pop(name, None)


STUCK = """
import threading
STOP = threading.Event()
threading.Thread(target=STOP.wait, name="stuck", daemon=True).start()
"""


def test_a_thread_that_never_ends_is_reported_not_waited_for_forever(tmp_path, monkeypatch):
    (tmp_path / "stuck_actions.py").write_text(STUCK)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert settle_before_fork("stuck_actions", timeout=0.2) == ["stuck"]
    finally:
        sys.modules["stuck_actions"].STOP.set()
        sys.modules.pop("stuck_actions", None)


def test_the_package_comes_from_the_command_line():
    assert _actions_package(["--actions", "my_actions", "--port", "5055"]) == "my_actions"
    assert _actions_package(["--port", "5055"]) == "actions"


def test_the_content_is_read_before_the_workers_start():
    from actions.base import conversation
    from bot.runtime.action_server import warm_up

    conversation.cache_clear()
    warm_up()
    assert conversation.cache_info().currsize == 1
