"""`doula run`: the action server, the Rasa server and the staff console as child processes, stopped together.

Ctrl-C (SIGINT) or SIGTERM stops them all cleanly. A dead action server or console is restarted in place (Rasa gives
the degraded reply meanwhile); if Rasa dies, or a child keeps dying, the others are stopped and `doula run` exits
non-zero, so a process manager can restart them together.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import ROOT, VAR_DIR
from bot.runtime import endpoints, metrics, training
from bot.runtime.ops import OpsServer
from bot.settings import Settings

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 180


# The action server and the console are restarted when they die: meanwhile Rasa keeps answering (with the degraded
# reply, bot.gateway.degraded), which beats every conversation failing while a process manager restarts it all. More
# restarts than this within the window means something a restart will not fix: stop, and let the manager see it.
RESTARTS_ALLOWED = 5
RESTART_WINDOW_S = 600.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    health_url: str
    command: list[str] = field(default_factory=list)
    role: str = ""
    restartable: bool = False
    restarts: list[float] = field(default_factory=list)  # monotonic times of its recent restarts

    def may_restart(self, now: float) -> bool:
        self.restarts = [t for t in self.restarts if now - t < RESTART_WINDOW_S]
        return self.restartable and len(self.restarts) < RESTARTS_ALLOWED


def action_server_command(settings: Settings) -> list[str]:
    return [sys.executable, "-m", "bot.runtime.action_server", "--actions", "actions",
            "--port", str(settings.action_port)]


def console_command(settings: Settings) -> list[str]:
    return [sys.executable, "-m", "bot.cli", "console"]


def rasa_command(settings: Settings, endpoints_file: Path) -> list[str]:
    command = [
        sys.executable, "-m", "bot.runtime.rasa_process", "run",  # Rasa, with doula's fixes to it
        "--model", str(settings.model_path),
        "--endpoints", str(endpoints_file),
        "--credentials", str(ROOT / "credentials.yml"),
        "--port", str(settings.rasa_port),
        "--interface", settings.host,
    ]
    if settings.rasa_api_token:
        # The HTTP API (trackers, model) only with a token; without one it is not served at all.
        command += ["--enable-api", "--auth-token", settings.rasa_api_token]
    return command


def child_env(settings: Settings, role: str) -> dict[str, str]:
    """The environment of one child: its number of workers (Rasa and rasa_sdk read their own variables) and its
    role in the metrics."""
    env = training.rasa_env()
    env["SANIC_HOST"] = "127.0.0.1"  # the action server answers Rasa only, never the network
    env[metrics.ROLE_ENV] = role
    env["DOULA_METRICS_DIR"] = str(settings.metrics_dir)
    env["SANIC_WORKERS"] = str(settings.rasa_workers)
    env["ACTION_SERVER_SANIC_WORKERS"] = str(settings.action_workers)
    return env


def check_database(settings: Settings) -> str | None:
    """None when doula's database is ready; else what is wrong and what to do.

    Embedded (SQLite): brought up to date here, so `make run` needs no step. Otherwise (production) the schema must
    already be current: an upgrade is a deliberate step (`doula db upgrade`, after a backup), never a side effect of
    a restart, and several workers must not race to alter tables."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage.database import sqlite_url
    from bot.storage.migrations import MigrationError, ensure_current, upgrade

    engine = create_engine(sqlite_url(settings.database_url), future=True)
    try:
        if engine.dialect.name == "sqlite":
            for step in upgrade(engine):
                logger.info("database: %s", step)
        else:
            ensure_current(engine)
    except MigrationError as error:
        return str(error)
    except SQLAlchemyError as error:
        return f"doula's database (DATABASE_URL) is not reachable: {error.__class__.__name__}"
    finally:
        engine.dispose()
    return None


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on `port` (another doula, say): starting would fail or, worse, the health
    check would find the other process."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1" if host in ("0.0.0.0", "::") else host, port)) == 0


def is_up(url: str) -> bool:
    """True when `url` answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal the child and its own workers: each child leads its process group (start_new_session), and a Sanic
    worker left behind would keep serving, or holding its port, after `doula run` has stopped."""
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _stop(children: list[Child]) -> None:
    for child in children:
        if child.process.poll() is None:
            _signal_group(child.process, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child.process, signal.SIGKILL)
            child.process.wait()
    # The workers of a child that stopped may still be finishing: give them the rest of the time, then no more.
    while time.monotonic() < deadline and any(_group_alive(c.process.pid) for c in children):
        time.sleep(0.2)
    for child in children:
        _signal_group(child.process, signal.SIGKILL)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def urls(settings: Settings) -> dict[str, str]:
    host = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0", "::") else settings.host
    base = f"http://{host}:{settings.rasa_port}"
    found = {
        "web chat": f"{base}/webhooks/webchat/",
        "REST channel": f"{base}/webhooks/rest/webhook",
        "staff console": settings.console_url,
    }
    if settings.ops_port:
        found["health"] = f"http://127.0.0.1:{settings.ops_port}/health (and /metrics)"
    if settings.rasa_api_token:
        found["HTTP API"] = f"{base}/conversations/<id>/tracker?token=..."
    if settings.twilio_account_sid and settings.twilio_auth_token:
        # What to paste into the Twilio console: the public address, which Twilio signs.
        found["Twilio webhook"] = f"{settings.public_base_url}/webhooks/twilio/webhook"
    return found


def serve(settings: Settings, train_if_stale: bool = True, quiet: bool = False) -> int:
    """Run the servers until interrupted. Returns the exit status."""
    if settings.uses_development_key:
        logger.warning("DOULA_SENDER_KEY is not set: using the development key (fine locally, never in production)")
    if not settings.triage_phone:
        logger.warning("DOULA_TRIAGE_PHONE is not set: urgent advice will point to 'your maternity unit's triage line' "
                       "without a number. Set it to the trust's 24-hour maternity triage number.")
    busy = [(name, port) for name, host, port in (
        ("RASA_PORT", settings.host, settings.rasa_port), ("ACTION_SERVER_PORT", "127.0.0.1", settings.action_port),
        ("DOULA_CONSOLE_PORT", settings.host, settings.console_port),
        ("DOULA_OPS_PORT", "127.0.0.1", settings.ops_port),
    ) if port and port_in_use(host, port)]
    if busy:
        for name, port in busy:
            print(f"port {port} is already in use (is doula already running?); set {name} to another port",
                  file=sys.stderr)
        return 2
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if train_if_stale:
        training.train(settings.model_path)
    elif not settings.model_path.is_file():
        print(f"no model at {settings.model_path}: run `doula train`", file=sys.stderr)
        return 2
    problem = check_database(settings)
    if problem:
        print(f"doula: {problem}", file=sys.stderr)
        return 2
    # One file per `doula run`: two runs starting at once (tests, a second checkout) must not read each other's.
    endpoints_file = endpoints.write(settings, VAR_DIR / "run" / f"endpoints-{os.getpid()}.yml")
    metrics.reset(settings.metrics_dir)

    output = subprocess.DEVNULL if quiet else None
    children: list[Child] = []

    def spawn(command: list[str], role: str) -> subprocess.Popen:
        return subprocess.Popen(command, cwd=ROOT, env=child_env(settings, role), start_new_session=True,
                                stdout=output, stderr=output)

    def start(name: str, role: str, command: list[str], health_url: str, restartable: bool = False) -> None:
        children.append(Child(name, spawn(command, role), health_url, command, role, restartable))

    ops = OpsServer(settings, lambda: {c.name.replace(" ", "_"): c.process.poll() is None for c in children})

    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        start("action server", "actions", action_server_command(settings),
              f"http://127.0.0.1:{settings.action_port}/health", restartable=True)
        # Ready when a worker has its model loaded (not merely when the port is open).
        start("rasa", "rasa", rasa_command(settings, endpoints_file),
              f"http://127.0.0.1:{settings.rasa_port}/webhooks/health/")
        # The staff console and its worker (escalations, deliveries to her, staff notifications).
        start("staff console", "console", console_command(settings), f"http://127.0.0.1:{settings.console_port}/",
              restartable=True)
        if settings.ops_port:
            try:
                ops.start()
            except OSError as error:  # taken since the check above
                print(f"the ops port {settings.ops_port} cannot be used ({error.strerror}); set DOULA_OPS_PORT to "
                      "another port, or 0", file=sys.stderr)
                return 2
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        pending = list(children)
        while pending and not stopping:
            for child in list(pending):
                if child.process.poll() is not None:
                    print(f"{child.name} exited during start-up (status {child.process.returncode})", file=sys.stderr)
                    return 1
                if is_up(child.health_url):
                    pending.remove(child)
            if time.monotonic() > deadline:
                print(f"start-up took longer than {STARTUP_TIMEOUT_S} s: {[c.name for c in pending]}", file=sys.stderr)
                return 1
            time.sleep(0.5)
        if stopping:
            return 0
        print(f"\n==> doula is running (Ctrl-C stops it): {settings.rasa_workers} Rasa worker(s), "
              f"{settings.action_workers} action server worker(s)")
        for label, url in urls(settings).items():
            print(f"    {label:<13} {url}")
        sys.stdout.flush()
        while not stopping:
            for child in children:
                if child.process.poll() is None:
                    continue
                if not child.may_restart(time.monotonic()):
                    print(f"{child.name} stopped unexpectedly (status {child.process.returncode})", file=sys.stderr)
                    return 1
                print(f"{child.name} stopped unexpectedly (status {child.process.returncode}): restarting it",
                      file=sys.stderr)
                sys.stderr.flush()
                _signal_group(child.process, signal.SIGKILL)  # its workers too: they would hold the port
                child.process.wait()
                child.restarts.append(time.monotonic())
                child.process = spawn(child.command, child.role)
            time.sleep(0.5)
        return 0
    finally:
        ops.stop()
        _stop(children)
        endpoints_file.unlink(missing_ok=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if children:
            print("==> stopped")
