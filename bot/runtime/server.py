"""`doula run`: the action server, the Rasa server and the staff console as child processes, stopped together.

Ctrl-C (SIGINT) or SIGTERM stops them all cleanly; if one dies, the others are stopped and `doula run` exits non-zero,
so a process manager can restart them together.
"""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.paths import ROOT, VAR_DIR
from bot.runtime import endpoints, training
from bot.settings import Settings

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 180


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    health_url: str


def action_server_command(settings: Settings) -> list[str]:
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)]


def console_command(settings: Settings) -> list[str]:
    return [sys.executable, "-m", "bot.cli", "console"]


def rasa_command(settings: Settings, endpoints_file: Path) -> list[str]:
    command = [
        sys.executable, "-m", "rasa", "run",
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


def _stop(children: list[Child]) -> None:
    for child in children:
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def urls(settings: Settings) -> dict[str, str]:
    host = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0", "::") else settings.host
    base = f"http://{host}:{settings.rasa_port}"
    found = {
        "web chat": f"{base}/webhooks/webchat/",
        "REST channel": f"{base}/webhooks/rest/webhook",
        "staff console": settings.console_url,
    }
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
    ) if port_in_use(host, port)]
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
    endpoints_file = endpoints.write(settings, VAR_DIR / "endpoints.yml")

    env = training.rasa_env()
    env["SANIC_HOST"] = "127.0.0.1"  # the action server answers Rasa only, never the network
    output = subprocess.DEVNULL if quiet else None
    children: list[Child] = []

    def start(name: str, command: list[str], health_url: str) -> None:
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=output, stderr=output)
        children.append(Child(name, process, health_url))

    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        start("action server", action_server_command(settings), f"http://127.0.0.1:{settings.action_port}/health")
        start("rasa", rasa_command(settings, endpoints_file), f"http://127.0.0.1:{settings.rasa_port}/")
        # The staff console and its worker (escalations, deliveries to her, staff notifications).
        start("staff console", console_command(settings), f"http://127.0.0.1:{settings.console_port}/")
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
        print("\n==> doula is running (Ctrl-C stops it)")
        for label, url in urls(settings).items():
            print(f"    {label:<13} {url}")
        sys.stdout.flush()
        while not stopping:
            for child in children:
                if child.process.poll() is not None:
                    print(f"{child.name} stopped unexpectedly (status {child.process.returncode})", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        _stop(children)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if children:
            print("==> stopped")
