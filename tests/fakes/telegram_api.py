"""A loopback fake of the Telegram Bot API, for the real python-telegram-bot client (TELEGRAM_API_URL points here).

It answers getMe, sendMessage, answerCallbackQuery, setWebhook, deleteWebhook and getUpdates (from a queue the test
fills), and records every call.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.fakes.base import JsonHandler, serve

TOKEN = "123456:fake-token-for-tests"


@dataclass
class FakeTelegram:
    server: ThreadingHTTPServer
    calls: list[tuple[str, dict]] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def sent_to(self, chat_id: int) -> list[dict]:
        with self.lock:
            return [p for m, p in self.calls if m == "sendMessage" and str(p.get("chat_id")) == str(chat_id)]

    def wait_for(self, chat_id: int, count: int = 1, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.sent_to(chat_id)) < count:
            time.sleep(0.05)
        return self.sent_to(chat_id)

    def wait_for_text(self, chat_id: int, needle: str, timeout: float = 20.0) -> str:
        """Everything sent to `chat_id`, once `needle` is in it (or when `timeout` runs out)."""
        deadline = time.monotonic() + timeout
        while needle not in "\n".join(m["text"] for m in self.sent_to(chat_id)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return "\n".join(m["text"] for m in self.sent_to(chat_id))

    def called(self, method: str) -> list[dict]:
        with self.lock:
            return [p for m, p in self.calls if m == method]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_telegram() -> FakeTelegram:
    fake: FakeTelegram

    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802
            raw = self.read_body()
            if "json" in (self.headers.get("Content-Type") or ""):
                params = json.loads(raw or "{}")
            else:
                params = {k: v[0] for k, v in parse_qs(raw).items()}
            token, _, method = self.path.lstrip("/").partition("/")
            if token != "bot" + TOKEN:
                self.reply_json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            with fake.lock:
                fake.calls.append((method, params))
            if method == "getMe":
                result = {"id": 123456, "is_bot": True, "first_name": "Doula", "username": "doula_test_bot"}
            elif method == "sendMessage":
                result = {"message_id": len(fake.calls), "date": int(time.time()), "text": params.get("text"),
                          "chat": {"id": int(params["chat_id"]), "type": "private"}}
            elif method == "getUpdates":
                offset = int(params.get("offset") or 0)
                with fake.lock:
                    result = [u for u in fake.updates if u["update_id"] >= offset]
                if not result:
                    time.sleep(0.2)
            else:  # answerCallbackQuery, setWebhook, deleteWebhook
                result = True
            self.reply_json(200, {"ok": True, "result": result})


    fake = FakeTelegram(serve(Handler))
    return fake
