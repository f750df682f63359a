"""The Rasa HTTP API and the action server: the API (trackers, model, events) only with the token, and not served at
all without one; the action server reachable only from this machine (Rasa), whatever DOULA_HOST says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.runtime.server import child_env, rasa_command
from bot.settings import Settings
from tests.e2e.conftest import API_TOKEN


def test_without_a_token_the_api_is_not_served(tmp_path: Path) -> None:
    command = rasa_command(Settings.from_env({}), tmp_path / "endpoints.yml")
    assert "--enable-api" not in command and "--auth-token" not in command
    command = rasa_command(Settings.from_env({"RASA_API_TOKEN": "t0ken"}), tmp_path / "endpoints.yml")
    assert command[command.index("--auth-token") + 1] == "t0ken"


def test_the_action_server_listens_on_loopback_even_when_rasa_is_public() -> None:
    settings = Settings.from_env({"DOULA_HOST": "0.0.0.0"})
    assert child_env(settings, "actions")["SANIC_HOST"] == "127.0.0.1"
    assert settings.action_server_url.startswith("http://127.0.0.1:")


@pytest.mark.e2e
@pytest.mark.parametrize("token", [None, "", "wrong", API_TOKEN.upper(), API_TOKEN + "x"])
def test_the_running_api_refuses_a_missing_or_wrong_token(server, token) -> None:
    for path in ("/status", "/conversations/someone/tracker", "/domain"):
        query = "" if token is None else f"?token={token}"
        status, _ = server.get(path + query)
        assert status == 401, (path, token)
    status, _ = server.post("/model/parse" + ("" if token is None else f"?token={token}"), {"text": "hi"})
    assert status == 401


@pytest.mark.e2e
def test_the_running_api_answers_with_the_token(server) -> None:
    assert server.get(f"/status?token={API_TOKEN}")[0] == 200


def _listening(pids: set[int]) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket in LISTEN state owned by `pids`, from /proc (Linux)."""
    inodes: set[str] = set()
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        try:
            for fd in fd_dir.iterdir():
                target = fd.readlink().as_posix() if fd.is_symlink() else ""
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                address, port = local.split(":")
                found.append((_address(address, width), int(port, 16)))
    return found


def _address(hex_address: str, width: int) -> str:
    if width == 8:
        return ".".join(str(int(hex_address[i:i + 2], 16)) for i in (6, 4, 2, 0))
    return "::1" if hex_address == "0" * 24 + "01000000" else ("::" if set(hex_address) == {"0"} else hex_address)


def _process_tree(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(children.get(pid, []))
    return tree


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads listening sockets from Linux /proc")
def test_the_running_action_server_is_bound_to_loopback_only(server) -> None:
    log = server.log.read_text(errors="replace")
    match = re.search(r"Action endpoint is up and running on https?://([^:/\s]+):(\d+)", log)
    assert match, "rasa_sdk says where it listens"
    assert match.group(1) == "127.0.0.1"
    port = int(match.group(2))
    sockets = _listening(_process_tree(server.process.pid))
    on_port = [address for address, bound in sockets if bound == port]
    assert on_port and set(on_port) <= {"127.0.0.1", "::1"}, sockets
