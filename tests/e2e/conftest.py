"""A real doula (`doula run`: Rasa server + action server, trained model, SQLite) on free ports, for the whole session.

The model must exist (`make test` trains it first). The server's output is kept in a file so tests can check what
it logs.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.gateway.identity import pseudonymous_id
from bot.paths import ROOT
from bot.settings import Settings
from tests.fakes.google_translate import FakeGoogleTranslate
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegram, start_fake_telegram
from tests.fakes.twilio_api import FakeTwilio, start_fake_twilio

API_TOKEN = "e2e-test-token"
SENDER_KEY = "e2e-sender-key-" + "x" * 32
# Twilio, as the tests' loopback fake sees it. The server checks signatures against the public URL, as behind a proxy.
TWILIO_SID = "AC" + "e2e0" * 8
TWILIO_TOKEN = "e2e-twilio-auth-token"
TWILIO_SMS_NUMBER = "+447700900001"
TWILIO_WHATSAPP_NUMBER = "+14155238886"
PUBLIC_BASE_URL = "https://doula.example.nhs.uk"
TELEGRAM_SECRET = "e2e-telegram-secret_0123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path
    twilio: FakeTwilio | None = None
    telegram: FakeTelegram | None = None
    translator: FakeGoogleTranslate | None = None
    database: Path | None = None
    console: str = ""
    ops: str = ""  # /health and /metrics

    def post_form(self, path: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode()
        return self.post_raw(path, data, {"Content-Type": "application/x-www-form-urlencoded", **headers})

    def post_raw(self, path: str, data: bytes, headers: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, body: bytes | dict, timeout: float = 60) -> tuple[int, object]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def tracker(self, sender_id: str) -> dict:
        status, body = self.get(f"/conversations/{sender_id}/tracker?token={API_TOKEN}")
        assert status == 200, body
        return json.loads(body)

    @staticmethod
    def webchat_sender_id(browser_id: str) -> str:
        return pseudonymous_id("webchat", browser_id, SENDER_KEY)


def start_server(tmp: Path, settings_env: dict[str, str]):
    """Start `doula run --no-train` with `settings_env`; yield a Server; stop it with Ctrl-C and check it stopped."""
    if not Settings.from_env({}).model_path.is_file():
        pytest.fail("no trained model: run `make test` (or `doula train`) first")
    rasa_port, action_port, console_port, ops_port = free_port(), free_port(), free_port(), free_port()
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # the unit tests' throw-away database; each server says which it uses
    env.update({
        "RASA_PORT": str(rasa_port),
        "ACTION_SERVER_PORT": str(action_port),
        "DOULA_CONSOLE_PORT": str(console_port),
        "RASA_API_TOKEN": API_TOKEN,
        "DOULA_SENDER_KEY": SENDER_KEY,
        "DOULA_OPS_PORT": str(ops_port),  # /health and /metrics
        "DOULA_METRICS_DIR": str(tmp / "metrics"),
        **settings_env,
    })
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--no-train"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    while "doula is running" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("doula did not start:\n" + log.read_text(errors="replace")[-4000:])
        time.sleep(0.5)
    assert f"http://localhost:{rasa_port}/webhooks/webchat/" in log.read_text(), "the web chat URL is printed"
    yield Server(f"http://127.0.0.1:{rasa_port}", process, log, console=f"http://127.0.0.1:{console_port}",
                 ops=f"http://127.0.0.1:{ops_port}")
    # Ctrl-C stops both servers cleanly: exit status 0, and nothing left listening.
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0, log.read_text(errors="replace")[-3000:]
    assert "==> stopped" in log.read_text(errors="replace")
    for port in (rasa_port, action_port, console_port, ops_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open after Ctrl-C"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """The embedded profile (SQLite tracker store, in-memory locks) with every channel on: web chat, REST, and Twilio
    and Telegram (whose APIs are loopback fakes)."""
    tmp = tmp_path_factory.mktemp("embedded")
    twilio, telegram, translator = start_fake_twilio(), start_fake_telegram(), FakeGoogleTranslate()
    env = {
        "DOULA_PROFILE": "embedded",
        "TRACKER_STORE_URL": f"sqlite:///{tmp / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{tmp / 'doula.db'}",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_NUMBER": TWILIO_SMS_NUMBER,
        "TWILIO_WHATSAPP_NUMBER": TWILIO_WHATSAPP_NUMBER,
        "TWILIO_API_URL": twilio.url,
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": telegram.url,
        "DOULA_HANDOFF_HOURS": "always",  # what she is told about the wait does not depend on when the tests run
        "DOULA_TRANSLATOR": "google",  # tier 2, through the real deep-translator client
        "DOULA_TRANSLATOR_URL": translator.url,
    }
    for running in start_server(tmp, env):
        running.twilio, running.telegram, running.database = twilio, telegram, tmp / "doula.db"
        running.translator = translator
        yield running
    twilio.stop()
    telegram.stop()
    translator.close()


def scrape_until(ops: str, ready: Callable[[str], bool], timeout: float = 10.0) -> str:
    """/metrics on the ops port once `ready(text)` holds (or the last scrape after `timeout`): each process writes its
    counts behind, at most a second late (bot.runtime.metrics.FLUSH_EVERY_S)."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(ops + "/metrics", timeout=10) as response:
            text = response.read().decode()
        if ready(text) or time.monotonic() > deadline:
            return text
        time.sleep(0.2)


def scrape_settled(ops: str, timeout: float = 10.0) -> str:
    """/metrics on the ops port once two scrapes a flush apart agree: an earlier test's counts, still being written
    behind, must not land between a test's "before" and "after"."""
    deadline = time.monotonic() + timeout
    with urllib.request.urlopen(ops + "/metrics", timeout=10) as response:
        text = response.read().decode()
    while True:
        time.sleep(1.5)  # longer than bot.runtime.metrics.FLUSH_EVERY_S
        with urllib.request.urlopen(ops + "/metrics", timeout=10) as response:
            again = response.read().decode()
        if _counts(again) == _counts(text) or time.monotonic() > deadline:
            return again
        text = again


def _counts(text: str) -> list[str]:
    """The counter and histogram lines of a scrape (gauges such as uptime move on their own)."""
    return [line for line in text.splitlines()
            if line and not line.startswith("#") and ("_total" in line or "_count" in line or "_bucket" in line)]


def send_webchat(server: Server, browser_id: str, text: str) -> list[dict]:
    status, replies = server.post("/webhooks/webchat/webhook", {"sender": browser_id, "message": text})
    assert status == 200, replies
    return replies
