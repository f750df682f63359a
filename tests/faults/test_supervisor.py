"""`doula run` keeps the bot answering when its action server dies: the action server is restarted in place (Rasa
gives the degraded reply meanwhile), instead of everything stopping until a process manager restarts it all."""

from __future__ import annotations

import os
import secrets
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.gateway.degraded import load_fault_texts
from tests.e2e.conftest import free_port, send_webchat, start_server

pytestmark = pytest.mark.e2e

UNAVAILABLE = load_fault_texts()["en"].messages["unavailable"]


def children_of(pid: int) -> dict[int, str]:
    """{pid: command line} of the direct children of `pid` (from /proc: no psutil needed)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
    return found


def action_server_pid(doula_pid: int) -> int:
    pids = [p for p, command in children_of(doula_pid).items() if "bot.runtime.action_server" in command]
    assert len(pids) == 1, children_of(doula_pid)
    return pids[0]


def is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def supervised(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("supervisor")
    action_port = free_port()
    env = {
        "DOULA_PROFILE": "embedded",
        "TRACKER_STORE_URL": f"sqlite:///{tmp / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{tmp / 'doula.db'}",
        "ACTION_SERVER_PORT": str(action_port),
    }
    for server in start_server(tmp, env):
        server.action_port = action_port
        yield server


def test_a_dead_action_server_is_restarted_and_she_is_answered_meanwhile(supervised):
    browser = f"supervisor-{secrets.token_hex(6)}"
    replies = send_webchat(supervised, browser, "Hello")
    assert replies and UNAVAILABLE not in replies[0]["text"]

    first = action_server_pid(supervised.process.pid)
    os.killpg(first, signal.SIGKILL)  # the action server and its workers, as the kernel's OOM killer would
    replies = send_webchat(supervised, browser, "What is a birth plan?")
    assert UNAVAILABLE in "\n".join(r["text"] for r in replies), "she is told to try again, not left in silence"

    deadline = time.monotonic() + 180
    while not is_up(f"http://127.0.0.1:{supervised.action_port}/health"):
        assert supervised.process.poll() is None, "doula run stopped instead of restarting the action server"
        assert time.monotonic() < deadline, supervised.log.read_text(errors="replace")[-3000:]
        time.sleep(0.5)
    assert action_server_pid(supervised.process.pid) != first
    assert "action server stopped unexpectedly (status -9): restarting it" in supervised.log.read_text()

    replies = send_webchat(supervised, browser, "What is a birth plan?")
    text = "\n".join(r["text"] for r in replies)
    assert replies and UNAVAILABLE not in text, "the bot is itself again"
