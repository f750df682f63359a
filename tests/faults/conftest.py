"""The production stack, process by process, so that a test can kill one part and bring it back.

`doula run` supervises its children and exits when one dies (a process manager restarts the lot), so these tests
start the parts themselves, with the commands `doula run` builds (bot/runtime/server.py): one action server, two
Rasa servers on one PostgreSQL tracker store (a throw-away database) and one Redis lock store (a private
`redis-server` on a free port, so a test may kill it), and a round-robin proxy in front of the two Rasa servers.
Started once for the folder: Rasa takes tens of seconds to load the model.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bot.paths import ROOT
from bot.runtime import endpoints, training
from bot.runtime.server import action_server_command, rasa_command
from bot.settings import Settings
from bot.storage.migrations import upgrade
from tests.fakes.google_translate import FakeGoogleTranslate
from tests.fakes.twilio_api import FakeTwilio, start_fake_twilio
from tests.faults.proxy import RoundRobinProxy
from tests.postgres import create_database, drop_database

API_TOKEN = "faults-test-token"
SENDER_KEY = "faults-sender-key-" + "x" * 32
TRIAGE_PHONE = "01632 960000"  # an Ofcom drama number: never a real line
TWILIO_SID = "AC" + "fa17" * 8
TWILIO_TOKEN = "faults-twilio-auth-token"
TWILIO_SMS_NUMBER = "+447700900002"
PUBLIC_BASE_URL = "https://doula.example.nhs.uk"
STARTUP_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"{url} did not come up:\n{tail}")


def post_json(url: str, body: dict, timeout: float = 60) -> tuple[int, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Signal the process and its own process group (a server with several workers forks them: they must go too)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)  # started with start_new_session: its group is its own
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class Stack:
    tmp: Path
    database: str
    redis_port: int
    action_port: int
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    rasa_ports: list[int] = field(default_factory=list)
    proxy: RoundRobinProxy | None = None
    twilio: FakeTwilio | None = None
    translator: FakeGoogleTranslate | None = None

    # -- settings and commands, as `doula run` builds them -----------------------------------------------------------
    def settings(self, rasa_port: int = 5005) -> Settings:
        return Settings.from_env({**self.env, "RASA_PORT": str(rasa_port)})

    def _spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env or self.process_env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def process_env(self) -> dict[str, str]:
        env = training.rasa_env()
        env.pop("DATABASE_URL", None)  # the unit tests' throw-away SQLite; the stack's is in self.env
        env.update(self.env)
        env["SANIC_HOST"] = "127.0.0.1"
        return env

    # -- the parts ---------------------------------------------------------------------------------------------------
    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.redis_port)) == 0:
                    return
            time.sleep(0.1)
        pytest.fail("redis-server did not start:\n" + self.log("redis"))

    def kill_redis(self) -> None:
        stop(self.processes.get("redis"), signal.SIGKILL)

    def start_action_server(self, wait: bool = True) -> None:
        process = self._spawn("action", action_server_command(self.settings()))
        if wait:
            wait_for(f"http://127.0.0.1:{self.action_port}/health", STARTUP_TIMEOUT_S, process,
                     self.tmp / "action.log")

    def kill_action_server(self) -> None:
        stop(self.processes.get("action"), signal.SIGKILL)

    def start_rasa(self, index: int) -> subprocess.Popen:
        port = self.rasa_ports[index]
        settings = self.settings(port)
        endpoints_file = endpoints.write(settings, self.tmp / "endpoints.yml")
        return self._spawn(f"rasa{index}", rasa_command(settings, endpoints_file))

    def rasa(self, index: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[index]}"

    def send(self, base: str, sender: str, text: str, timeout: float = 60) -> tuple[int, object]:
        return post_json(f"{base}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout)

    def tracker(self, sender: str, index: int = 0) -> dict:
        url = f"{self.rasa(index)}/conversations/{sender}/tracker?token={API_TOKEN}"
        with urllib.request.urlopen(url, timeout=30) as reply:
            return json.loads(reply.read())

    def close(self) -> None:
        if self.proxy:
            self.proxy.close()
        if self.twilio:
            self.twilio.stop()
        if self.translator:
            self.translator.close()
        for process in self.processes.values():
            stop(process)


def user_texts(tracker: dict) -> list[str]:
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


def _create_database() -> str:
    url = create_database("doula_faults", "the fault tests")
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    if not Settings.from_env({}).model_path.is_file():
        pytest.fail("no trained model: run `make test` (or `doula train`) first")
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (the fault tests start a private one)")
    tmp = tmp_path_factory.mktemp("faults")
    database = _create_database()
    redis_port, action_port = free_port(), free_port()
    twilio, translator = start_fake_twilio(), FakeGoogleTranslate()
    env = {
        "DOULA_PROFILE": "production",
        "TRACKER_STORE_URL": database,
        "DATABASE_URL": database,
        "LOCK_STORE_URL": f"redis://127.0.0.1:{redis_port}/0",
        "ACTION_SERVER_PORT": str(action_port),
        "RASA_API_TOKEN": API_TOKEN,
        "DOULA_SENDER_KEY": SENDER_KEY,
        "DOULA_TRIAGE_PHONE": TRIAGE_PHONE,
        "DOULA_HANDOFF_HOURS": "always",
        "DOULA_RATE_LIMIT": "off",  # the round-robin test sends many messages for one sender on purpose
        "DOULA_RATE_LIMIT_IP": "off",
        "LOG_LEVEL": "INFO",
        # Twilio and the translator are loopback fakes, which a test can make fail or hang.
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_NUMBER": TWILIO_SMS_NUMBER,
        "TWILIO_API_URL": twilio.url,
        "DOULA_TRANSLATOR": "google",
        "DOULA_TRANSLATOR_URL": translator.url,
    }
    running = Stack(tmp, database, redis_port, action_port, env, rasa_ports=[free_port(), free_port()],
                    twilio=twilio, translator=translator)
    try:
        running.start_redis()
        running.start_action_server(wait=False)
        for index in range(2):
            running.start_rasa(index)
        wait_for(f"http://127.0.0.1:{action_port}/health", STARTUP_TIMEOUT_S, running.processes["action"],
                 tmp / "action.log")
        for index in range(2):
            wait_for(running.rasa(index) + "/", STARTUP_TIMEOUT_S, running.processes[f"rasa{index}"],
                     tmp / f"rasa{index}.log")
        running.proxy = RoundRobinProxy([("127.0.0.1", port) for port in running.rasa_ports])
        yield running
    finally:
        running.close()
        drop_database(database)
