"""`doula run`'s ops port: /health says which part is not ready (and nothing secret), /metrics is Prometheus text."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.runtime.ops import PROMETHEUS_TEXT, OpsServer
from bot.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ready(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def serve_ready() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ready)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.headers["Content-Type"], reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
def ops(tmp_path):
    running: list[OpsServer] = []

    def start(env: dict[str, str], processes: dict[str, bool] | None = None) -> str:
        settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'doula.db'}",
                                      "DOULA_OPS_PORT": str(free_port()), "DOULA_METRICS_DIR": str(tmp_path), **env})
        server = OpsServer(settings, lambda: processes or {})
        server.start()
        running.append(server)
        return f"http://127.0.0.1:{server.port}"

    yield start
    for server in running:
        server.stop()


def test_health_is_503_naming_the_parts_that_are_down(ops):
    base = ops({"RASA_PORT": str(free_port()), "ACTION_SERVER_PORT": str(free_port()),
                "DOULA_CONSOLE_PORT": str(free_port())})
    status, content_type, body = get(base + "/health")
    report = json.loads(body)
    assert status == 503 and content_type == "application/json" and report["status"] == "unavailable"
    assert {name: part["ok"] for name, part in report["components"].items()} == {
        "rasa": False, "action_server": False, "console": False, "database": True}
    assert report["components"]["rasa"]["detail"].startswith("unreachable")


def test_health_is_200_when_every_part_answers_and_shows_no_secret(ops):
    parts = [serve_ready() for _ in range(3)]
    try:
        base = ops({"RASA_PORT": str(parts[0].server_address[1]), "ACTION_SERVER_PORT": str(parts[1].server_address[1]),
                    "DOULA_CONSOLE_PORT": str(parts[2].server_address[1]), "LOCK_STORE_URL": "redis://127.0.0.1:6379/15"})
        status, _, body = get(base + "/health")
    finally:
        for part in parts:
            part.shutdown()
    report = json.loads(body)
    assert status == 200 and report["status"] == "ready", report
    assert set(report["components"]) == {"rasa", "action_server", "console", "database", "lock_store"}


def test_an_unreachable_lock_store_is_named_without_its_address(ops):
    base = ops({"LOCK_STORE_URL": f"redis://:not-the-password@127.0.0.1:{free_port()}/15"})
    status, _, body = get(base + "/health")
    report = json.loads(body)
    lock_store = report["components"]["lock_store"]
    assert status == 503 and not lock_store["ok"] and lock_store["detail"] == "unreachable (ConnectionError)"
    assert "not-the-password" not in body and "127.0.0.1" not in body


def test_metrics_are_prometheus_text_with_the_processes_up(ops):
    base = ops({}, processes={"rasa": True, "action_server": False})
    status, content_type, body = get(base + "/metrics")
    assert status == 200 and content_type == PROMETHEUS_TEXT
    assert 'doula_process_up{process="rasa"} 1' in body and 'doula_process_up{process="action_server"} 0' in body
    assert 'doula_workers{process="rasa"} 1' in body
    assert "# TYPE doula_message_seconds histogram" in body
    assert get(base + "/other")[0] == 404
