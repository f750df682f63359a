"""A loopback fake of Twilio's Messages API, for the real twilio client (TWILIO_API_URL points here).

It records every message the bot sends and can be told how to answer the next requests: an HTTP status (429, 500)
or "hang" (no answer until the client times out).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.fakes.base import JsonHandler, serve


@dataclass
class FakeTwilio:
    server: ThreadingHTTPServer
    sent: list[dict] = field(default_factory=list)  # form fields of every accepted message
    requests: int = 0
    script: list[object] = field(default_factory=list)  # what to answer next: 429, 500, "hang"; then success
    hang_seconds: float = 3.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def to(self, address: str) -> list[str]:
        with self.lock:
            return [m["Body"] for m in self.sent if m.get("To") == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            bodies = self.to(address)
            if len(bodies) >= count:
                return bodies
            time.sleep(0.05)
        return self.to(address)

    def wait_for_text(self, address: str, needle: str, timeout: float = 20.0) -> str:
        """Everything sent to `address`, once `needle` is in it (or when `timeout` runs out)."""
        deadline = time.monotonic() + timeout
        while needle not in "\n".join(self.to(address)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return "\n".join(self.to(address))

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_twilio() -> FakeTwilio:
    fake: FakeTwilio

    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            form = {k: v[0] for k, v in parse_qs(self.read_body()).items()}
            with fake.lock:
                fake.requests += 1
                action = fake.script.pop(0) if fake.script else 201
            if action == "hang":
                time.sleep(fake.hang_seconds)
                return
            if not self.path.endswith("/Messages.json") or "Authorization" not in self.headers:
                action = 404
            if action != 201:
                body = {"code": 20429 if action == 429 else 20500, "message": "fake failure", "status": action}
                self.reply_json(int(action), body)
                return
            sid = "SM" + uuid.uuid4().hex
            with fake.lock:
                fake.sent.append(form)
            self.reply_json(201, {"sid": sid, "status": "queued", "body": form.get("Body"), "to": form.get("To"),
                              "from": form.get("From"), "account_sid": self.path.split("/")[3]})


    fake = FakeTwilio(serve(Handler))
    return fake
