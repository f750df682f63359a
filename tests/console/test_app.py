"""The console app in this process: its worker task, and the small helpers of bot.console.app."""

from __future__ import annotations

import asyncio
import sys
import types

import httpx
import pytest
from sanic import Sanic

from bot.console.app import ApiError, clean_text, create_app, origin_of
from bot.settings import Settings
from tests.console.conftest import free_port


def settings_for(tmp_path) -> Settings:
    port = free_port()
    return Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'doula.db'}", "DOULA_CONSOLE_PORT": str(port),
                              "DOULA_CONSOLE_URL": f"http://127.0.0.1:{port}"})


class FakeWorker:
    """Stands in for bot.services.handoff.worker.HandoffWorker: records that it ran and that it was stopped."""

    started: asyncio.Event
    stopped: asyncio.Event

    @classmethod
    def from_settings(cls, settings: Settings) -> FakeWorker:
        return cls()

    async def run_forever(self, interval: float = 2.0) -> None:
        FakeWorker.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            FakeWorker.stopped.set()
            raise


async def serve_briefly(app, port: int) -> int:
    """Start the app, make one request, stop it; the request's status."""
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.after_start()
    try:
        async with httpx.AsyncClient() as client:
            status = (await client.get(f"http://127.0.0.1:{port}/api/texts")).status_code
        await asyncio.sleep(0.05)
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
    return status


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch) -> None:
    """Sanic 21.12 rewrites some of its own methods when the first app starts ("touchup"), which breaks a second
    app in the same process; in test mode it keeps the originals."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture
def fake_worker(monkeypatch) -> type[FakeWorker]:
    FakeWorker.started, FakeWorker.stopped = asyncio.Event(), asyncio.Event()
    module = types.ModuleType("bot.services.handoff.worker")
    module.HandoffWorker = FakeWorker
    monkeypatch.setitem(sys.modules, "bot.services.handoff.worker", module)
    return FakeWorker


async def test_worker_runs_with_the_console_and_stops_with_it(tmp_path, fake_worker) -> None:
    settings = settings_for(tmp_path)
    assert await serve_briefly(create_app(settings), settings.console_port) == 200
    assert fake_worker.started.is_set() and fake_worker.stopped.is_set()


async def test_no_worker_when_asked(tmp_path, fake_worker) -> None:
    settings = settings_for(tmp_path)
    assert await serve_briefly(create_app(settings, start_worker=False), settings.console_port) == 200
    assert not fake_worker.started.is_set()


async def test_console_runs_without_the_worker_module(tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "bot.services.handoff.worker", None)  # import fails: ImportError
    settings = settings_for(tmp_path)
    assert await serve_briefly(create_app(settings), settings.console_port) == 200


def test_several_apps_in_one_process(tmp_path) -> None:
    settings = settings_for(tmp_path)
    assert create_app(settings, start_worker=False).name != create_app(settings, start_worker=False).name


def test_clean_text() -> None:
    assert clean_text("  a\u0000b\u0007c\r\nd\re\tf  ") == "abc\nd\ne f"
    assert clean_text("أنا\u200f هنا") == "أنا\u200f هنا", "direction marks are kept"
    assert clean_text("e\u0301") == "\u00e9", "NFC"
    with pytest.raises(ApiError):
        clean_text(None)


def test_origin_of() -> None:
    assert origin_of("https://Console.Trust.nhs.uk:443/path?q=1") == "https://console.trust.nhs.uk"
    assert origin_of("http://localhost:5010/") == "http://localhost:5010"
    assert origin_of("http://[::1]:5010") == "http://[::1]:5010"
    assert origin_of("http://host:notaport") == ""
