"""Fixtures of the security tests.

Channel tests serve the real channel blueprints (signature checks, gateway, rate limits, database) from an in-process
Sanic app on a loopback port; only Rasa's agent is replaced, by a function that answers "echo: <text>" so a test can
see exactly what reached Rasa. That starts in a fraction of a second, where a real `doula run` takes ~20 s; the tests
that need the trained model use the session server of tests/e2e/conftest.py instead.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import httpx
import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

from bot.settings import Settings
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN

TWILIO_SID = "AC" + "5ec0" * 8
TWILIO_TOKEN = "security-test-twilio-token"
TWILIO_SMS_NUMBER = "+447700900002"
TELEGRAM_SECRET = "security-test-secret_42"
PUBLIC_BASE_URL = "https://doula.example.nhs.uk"
_apps = count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def channel_settings(tmp: Path, **env: str) -> Settings:
    """Every channel configured, a throw-away database; `env` overrides (e.g. DOULA_RATE_LIMIT)."""
    return Settings.from_env({
        "DATABASE_URL": f"sqlite:///{tmp / 'doula.db'}",
        "DOULA_SENDER_KEY": "security-sender-key-" + "x" * 32,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_NUMBER": TWILIO_SMS_NUMBER,
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "DOULA_HANDOFF_HOURS": "always",
        **env,
    })


@dataclass
class Rasa:
    """Stands in for Rasa's agent: records what reached it and answers "echo: <text>"."""

    received: list[UserMessage] = field(default_factory=list)

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.received]


@asynccontextmanager
async def serve(*channels: InputChannel, rasa: Rasa | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """The channels' blueprints under /webhooks/<name>/, as Rasa mounts them, served on a free loopback port."""
    Sanic.test_mode = True  # as sanic-testing does: several apps in one process (Sanic's touch-up runs once)
    app = Sanic(f"doula_security_{next(_apps)}", configure_logging=False)
    handler = rasa or Rasa()
    for channel in channels:
        app.blueprint(channel.blueprint(handler), url_prefix=f"/webhooks/{channel.url_prefix()}")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()


@pytest.fixture
def rasa() -> Rasa:
    return Rasa()


# The staff console tests reuse the real console of tests/console/conftest.py (a `doula console --no-worker`
# subprocess with one account per role), started once for this folder.
from tests.console.conftest import ConsoleServer, console  # noqa: E402, F401

__all__ = ["ConsoleServer", "Rasa", "channel_settings", "serve"]


# -- the running server (e2e) -----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The e2e session server of tests/e2e/conftest.py. When tests/e2e already started it in this session (they run
    first), that very server is reused, so the security tests add no start-up of ~20 s; run on their own, they start
    it exactly as tests/e2e would."""
    from tests.e2e import conftest as e2e

    for definition in request._fixturemanager._arg2fixturedefs.get("server", ()):
        cached = getattr(definition, "cached_result", None)
        if definition.func is e2e.server._get_wrapped_function() and cached is not None and cached[2] is None:
            yield cached[0]
            return
    yield from e2e.server._get_wrapped_function()(tmp_path_factory)
