"""The ops port of `doula run` (DOULA_OPS_PORT, 127.0.0.1 only): `GET /health` and `GET /metrics`.

Served by the supervising process itself, in a thread, because it is the one process that knows every other: it can
ask each part whether it is ready and say which children are running. It listens on loopback only: monitoring runs
on the host (or scrapes through an SSH tunnel or a private network), never through the public reverse proxy.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.runtime import health, metrics
from bot.settings import Settings

logger = logging.getLogger(__name__)

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


class OpsServer:
    """Start with :meth:`start`, stop with :meth:`stop`. `processes` says which children are up, by name."""

    def __init__(self, settings: Settings, processes: Callable[[], Mapping[str, bool]] | None = None) -> None:
        self.settings = settings
        self.processes = processes or (lambda: {})
        self._server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server else self.settings.ops_port

    def start(self) -> None:
        ops = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                path = self.path.split("?", 1)[0].rstrip("/")
                if path == "/health":
                    status, body = health.check_all(ops.settings)
                    self._send(status, "application/json", json.dumps(body).encode())
                elif path == "/metrics":
                    self._send(200, PROMETHEUS_TEXT, ops.metrics().encode())
                else:
                    self._send(404, "application/json", b'{"error": "not_found"}')

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - scrapes are not worth a line
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.settings.ops_port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="doula-ops", daemon=True).start()

    def metrics(self) -> str:
        up = {f'doula_process_up{{process="{metrics.label(name)}"}}': float(running)
              for name, running in self.processes().items()}
        workers = {'doula_workers{process="rasa"}': float(self.settings.rasa_workers),
                   'doula_workers{process="actions"}': float(self.settings.action_workers)}
        head = ["# HELP doula_process_up Whether each process `doula run` supervises is running.",
                "# TYPE doula_process_up gauge"]
        head_workers = ["# HELP doula_workers Configured worker processes.", "# TYPE doula_workers gauge"]
        return (metrics.exposition(self.settings.metrics_dir)
                + "\n".join(head + [f"{k} {int(v)}" for k, v in up.items()]) + "\n"
                + "\n".join(head_workers + [f"{k} {int(v)}" for k, v in workers.items()]) + "\n")

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
