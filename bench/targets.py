"""The two systems under test, each started on free loopback ports and stopped after its run.

* **product**: `doula run --no-train` (Rasa server, action server, staff console), Twilio configured with the loopback
  fake as its API, in the embedded profile (SQLite) or the production profile (PostgreSQL + Redis, with whatever
  worker settings the environment gives).
* **bare Rasa**: `rasa run` on the same model with Rasa's own REST channel only and its defaults (in-memory tracker
  and lock stores, one process), and the same action server, which the model's custom actions need.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.paths import ROOT

TWILIO_SID = "AC" + "be0c" * 8
TWILIO_TOKEN = "bench-twilio-auth-token"
TWILIO_SMS_NUMBER = "+447700900002"
TWILIO_WHATSAPP_NUMBER = "+14155238886"
PUBLIC_BASE_URL = "https://doula-bench.example.nhs.uk"
SENDER_KEY = "bench-sender-key-" + "b" * 32
STARTUP_TIMEOUT_S = 300


@dataclass
class Running:
    name: str
    base: str  # http://127.0.0.1:<rasa port>
    log: Path
    banner: str = ""  # what it said when it was up (doula run names its workers there)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"})
    env.pop("RASA_EXCEPTION_WRITE_KEY", None)
    return env


def _stop(process: subprocess.Popen, how: int = signal.SIGINT) -> None:
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def product_env(work: Path, twilio_url: str, profile: str, postgres_url: str, redis_url: str,
                extra: dict[str, str]) -> dict[str, str]:
    env = _rasa_env()
    for name in ("DATABASE_URL", "TRACKER_STORE_URL", "LOCK_STORE_URL"):
        env.pop(name, None)  # each run says which stores it uses
    env.update({
        "DOULA_PROFILE": profile,
        "DOULA_SENDER_KEY": SENDER_KEY,
        "DOULA_HANDOFF_HOURS": "always",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_NUMBER": TWILIO_SMS_NUMBER,
        "TWILIO_WHATSAPP_NUMBER": TWILIO_WHATSAPP_NUMBER,
        "TWILIO_API_URL": twilio_url,
        "DOULA_METRICS_DIR": str(work / "metrics"),  # emptied at start: never share another run's
    })
    if profile == "production":
        env.update({"TRACKER_STORE_URL": postgres_url, "LOCK_STORE_URL": redis_url})
    else:
        env.update({"TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
                    "DATABASE_URL": f"sqlite:///{work / 'doula.db'}"})
    env.update(extra)
    return env


@contextmanager
def product(work: Path, env: dict[str, str]) -> Iterator[Running]:
    """`doula run --no-train` with `env` on free ports, until the block ends (then Ctrl-C, as a person would). Its
    `var/` is private to this run (see :mod:`bench.product_process`)."""
    rasa_port = free_port()
    env = {**env, "RASA_PORT": str(rasa_port), "ACTION_SERVER_PORT": str(free_port()),
           "DOULA_CONSOLE_PORT": str(free_port()), "DOULA_OPS_PORT": str(free_port())}
    log = work / "product.log"
    if env.get("DOULA_PROFILE") == "production":
        # A production database is never altered by `doula run`: bring the throw-away one up to date first.
        subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    with log.open("wb") as out:
        command = [sys.executable, "-m", "bench.product_process", str(work / "var"), "run", "--no-train"]
        process = subprocess.Popen(command, cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while "doula is running" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("doula did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.5)
        banner = next(line for line in log.read_text(errors="replace").splitlines() if "doula is running" in line)
        yield Running("product", f"http://127.0.0.1:{rasa_port}", log, banner.strip("= \n"))
    finally:
        _stop(process)


@contextmanager
def bare_rasa(work: Path, model: Path) -> Iterator[Running]:
    """Bare `rasa run` (REST channel, in-memory stores, one process) and the action server, until the block ends."""
    rasa_port, action_port = free_port(), free_port()
    (work / "credentials.yml").write_text("rest:\n", encoding="utf-8")
    (work / "endpoints.yml").write_text(f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n",
                                        encoding="utf-8")
    env = _rasa_env()
    env.pop("TRACKER_STORE_URL", None)
    env.pop("LOCK_STORE_URL", None)
    env.update({"DATABASE_URL": f"sqlite:///{work / 'bare-doula.db'}", "DOULA_SENDER_KEY": SENDER_KEY,
                "DOULA_HANDOFF_HOURS": "always", "SANIC_HOST": "127.0.0.1", "LOG_LEVEL": "WARNING"})
    log = work / "bare.log"
    processes: list[subprocess.Popen] = []
    with log.open("wb") as out:
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)], cwd=ROOT, env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "rasa", "run", "--model", str(model), "--credentials", str(work / "credentials.yml"),
             "--endpoints", str(work / "endpoints.yml"), "--port", str(rasa_port), "--interface", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        health = (f"http://127.0.0.1:{action_port}/health", f"http://127.0.0.1:{rasa_port}/")
        while not all(_answers(url) for url in health):
            if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
                raise RuntimeError("bare Rasa did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.5)
        yield Running("bare Rasa", f"http://127.0.0.1:{rasa_port}", log)
    finally:
        for process in reversed(processes):
            _stop(process, signal.SIGTERM)


@contextmanager
def throwaway_postgres(admin_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database for the production profile's run, dropped afterwards."""
    import psycopg2

    name = f"doula_bench_{secrets.token_hex(4)}"

    def run(statement: str) -> None:
        admin = psycopg2.connect(admin_url, connect_timeout=5)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(statement)
        finally:
            admin.close()

    run(f"CREATE DATABASE {name}")
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        try:  # a fresh connection: the server may have restarted meanwhile
            run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except psycopg2.Error as error:
            print(f"could not drop the throw-away database {name}: {error}".strip(), file=sys.stderr)
