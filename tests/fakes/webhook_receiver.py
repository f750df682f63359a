"""A loopback receiver of notification webhooks (DOULA_NOTIFY_WEBHOOK points here).

It records every POST (path, headers, raw body: the exact bytes a signature is computed over) and can be told how
to answer the next requests: an HTTP status (e.g. 500, 302) or "hang" (no answer until the client times out).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

from tests.fakes.base import JsonHandler


@dataclass(frozen=True)
class ReceivedPost:
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class FakeWebhookReceiver:
    server: ThreadingHTTPServer
    received: list[ReceivedPost] = field(default_factory=list)
    script: list[object] = field(default_factory=list)  # what to answer next: a status code or "hang"; then 200
    hang_seconds: float = 5.0
    stopped: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/doula"

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedPost]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received) < count:
            time.sleep(0.02)
        with self.lock:
            return list(self.received)

    def stop(self) -> None:
        self.stopped.set()  # releases hanging requests
        self.server.shutdown()
        self.server.server_close()


def start_fake_webhook_receiver() -> FakeWebhookReceiver:
    fake: FakeWebhookReceiver

    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with fake.lock:
                fake.received.append(ReceivedPost(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                action = fake.script.pop(0) if fake.script else 200
            if action == "hang":
                fake.stopped.wait(fake.hang_seconds)
                return
            self.reply_json(int(action), {"ok": 200 <= int(action) < 300})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake = FakeWebhookReceiver(server)
    # A short poll, so that stop() (server.shutdown) returns at once rather than after up to half a second.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return fake
