"""Fixtures of the staff console tests.

Unit tests get a fresh SQLite database and an injectable clock. HTTP and browser tests share one real console
(`doula console --no-worker` as a subprocess on a free port, with a temporary SQLite database): the tests make
accounts with StaffDirectory and requests with HandoffDesk directly in that database, as the bot would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path

import httpx
import pytest

from bot.console.staff import StaffDirectory
from bot.paths import ROOT
from bot.services.handoff.desk import HandoffDesk, Request
from bot.settings import Settings
from bot.storage.database import engine_for

PASSWORD = "correct horse battery staple"
# username -> (display name, role, languages)
ACCOUNTS = {
    "interp_so": ("Amina (Somali)", "interpreter", "so"),
    "interp_pl": ("Piotr (Polish)", "interpreter", "pl"),
    "midwife": ("Mary Midwife", "midwife", ""),
    "coordinator": ("Colin Coordinator", "mvp_coordinator", ""),
    "admin": ("Ada Admin", "admin", ""),
}
_senders = count(1)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_sender() -> str:
    """A sender id no other test uses (a sender has at most one open request)."""
    return f"test-sender-{os.getpid()}-{next(_senders)}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'doula.db'}"


@pytest.fixture
def directory(database_url: str, clock: FakeClock) -> StaffDirectory:
    return StaffDirectory(engine_for(database_url), clock=clock)


# -- the running console -------------------------------------------------------------------------------------------
@dataclass
class StaffClient:
    """An httpx client logged in as one staff member, sending the CSRF token and Origin a browser would."""

    http: httpx.Client
    csrf: str
    origin: str

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post(self, path: str, json: object | None = None, headers: dict[str, str] | None = None) -> httpx.Response:
        sent = {"X-CSRF-Token": self.csrf, "Origin": self.origin, **(headers or {})}
        return self.http.post(path, json={} if json is None else json, headers=sent)

    def close(self) -> None:
        self.http.close()


@dataclass
class ConsoleServer:
    url: str
    settings: Settings
    process: subprocess.Popen
    log: Path
    desk: HandoffDesk
    staff: StaffDirectory
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self) -> httpx.Client:
        http = httpx.Client(base_url=self.url, timeout=15, follow_redirects=False)
        self.clients.append(http)
        return http

    def login(self, username: str, password: str = PASSWORD) -> StaffClient:
        http = self.client()
        reply = http.post("/login", json={"username": username, "password": password}, headers={"Origin": self.url})
        assert reply.status_code == 200, reply.text
        return StaffClient(http, reply.json()["csrf_token"], self.url)

    def open_request(self, language: str = "so", channel: str = "webchat", reason: str = "asked_for_person",
                     summary: str = "topic: induction of labour", desk: HandoffDesk | None = None) -> Request:
        request, new = (desk or self.desk).open(new_sender(), channel, language, reason, summary)
        assert new
        return request

    def account(self, username: str) -> int:
        user = self.staff.by_username(username)
        assert user is not None
        return user.id


def console_env(tmp: Path, port: int) -> dict[str, str]:
    """The console's environment: a temporary database, this port, and nothing that sends notifications."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("DOULA_", "TWILIO_", "TELEGRAM_", "SMTP_")) and k not in ("DATABASE_URL", "LOG_LEVEL")}
    return {
        **keep,
        "DOULA_PROFILE": "embedded",
        "DATABASE_URL": f"sqlite:///{tmp / 'doula.db'}",
        "DOULA_HOST": "127.0.0.1",
        "DOULA_CONSOLE_PORT": str(port),
        "DOULA_CONSOLE_URL": f"http://127.0.0.1:{port}",
        "DOULA_SENDER_KEY": "console-test-sender-key-" + "x" * 32,
        "DOULA_HANDOFF_HOURS": "always",
        "DOULA_HANDOFF_SLA_MINUTES": "30",
        "DOULA_TIMEZONE": "Europe/London",
        "RASA_TELEMETRY_ENABLED": "false",
        "LOG_LEVEL": "INFO",
    }


def start_console(tmp: Path, extra_env: dict[str, str] | None = None) -> ConsoleServer:
    """Start a real `doula console --no-worker` in `tmp` (its own database) with one account per role."""
    port = free_port()
    env = {**console_env(tmp, port), **(extra_env or {})}
    settings = Settings.from_env(env)
    staff = StaffDirectory.from_settings(settings)
    for username, (name, role, languages) in ACCOUNTS.items():
        staff.add(username, name, role, languages, PASSWORD)
    log = tmp / "console.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "console", "--no-worker"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    url = settings.console_url
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/texts", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("doula console did not start:\n" + log.read_text(errors="replace")[-4000:])
        time.sleep(0.2)
    return ConsoleServer(url, settings, process, log, HandoffDesk.from_settings(settings), staff)


def stop_console(server: ConsoleServer) -> None:
    """Close the clients and stop the console with Ctrl-C; it must exit cleanly."""
    for http in server.clients:
        http.close()
    server.process.send_signal(signal.SIGINT)
    try:
        status = server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        pytest.fail("doula console did not stop on Ctrl-C")
    assert status == 0, server.log.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="session")
def console(tmp_path_factory) -> Iterator[ConsoleServer]:
    """A real `doula console --no-worker` with one account per role; stopped with Ctrl-C at the end."""
    server = start_console(tmp_path_factory.mktemp("console"))
    yield server
    stop_console(server)
