"""`doula privacy erase|export|rotate-key` and `doula retention run`, as staff run them on the server."""

from __future__ import annotations

import io
import json
import os
import stat
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet

from bot.cli import main
from bot.gateway.identity import pseudonymous_id
from bot.services.privacy import stores
from bot.settings import Settings
from bot.storage.contacts import ContactBook
from bot.storage.database import engine_for
from tests.services.privacy.conftest import converse, remember

NUMBER = "+447700900123"
SENDER_KEY = "s" * 40
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


@pytest.fixture
def env(monkeypatch, tmp_path) -> Settings:
    """The environment of the server, and the settings the CLI will read from it."""
    values = {"DATABASE_URL": f"sqlite:///{tmp_path}/doula.db", "TRACKER_STORE_URL": f"sqlite:///{tmp_path}/tracker.db",
              "DOULA_SENDER_KEY": SENDER_KEY, "DOULA_CONTACT_KEY": KEY_A}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env()


def run(monkeypatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def her_id() -> str:
    return pseudonymous_id("sms", NUMBER, SENDER_KEY)


def events_of(settings: Settings, sender_id: str) -> int:
    from sqlalchemy import func, select

    with stores.tracker_engine(settings).connect() as connection:
        return connection.execute(select(func.count()).where(stores.tracker_events.c.sender_id == sender_id)
                                  ).scalar_one()


def test_erase_by_number_with_yes(monkeypatch, capsys, env: Settings) -> None:
    now = datetime.now(timezone.utc)
    converse(env, her_id(), now)
    remember(env, her_id(), NUMBER, now)
    assert run(monkeypatch, ["privacy", "erase", "--sender", f"sms:{NUMBER}", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"erased {her_id()}: 5 records" in out
    assert "tracker_events       4" in out and "contacts             1" in out
    assert NUMBER not in out
    assert events_of(env, her_id()) == 0


def test_erase_asks_first(monkeypatch, capsys, env: Settings) -> None:
    converse(env, her_id(), datetime.now(timezone.utc))
    assert run(monkeypatch, ["privacy", "erase", "--sender-id", her_id()], "no\n") == 1
    assert "not confirmed, nothing erased" in capsys.readouterr().err
    assert events_of(env, her_id()) == 4
    assert run(monkeypatch, ["privacy", "erase", "--sender-id", her_id()], "") == 1  # no terminal, no --yes
    assert run(monkeypatch, ["privacy", "erase", "--sender-id", her_id()], "yes\n") == 0
    assert "Erase everything held about" in capsys.readouterr().out
    assert events_of(env, her_id()) == 0


def test_a_malformed_sender_is_refused(monkeypatch, capsys, env: Settings) -> None:
    assert run(monkeypatch, ["privacy", "erase", "--sender", "07700 900123", "--yes"]) == 2
    assert "<channel>:<address>" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # one of --sender / --sender-id is required
        run(monkeypatch, ["privacy", "export"])


def test_export_to_a_file_only_its_owner_can_read(monkeypatch, capsys, env: Settings, tmp_path) -> None:
    now = datetime.now(timezone.utc)
    converse(env, her_id(), now)
    remember(env, her_id(), NUMBER, now)
    output = tmp_path / "her.json"
    output.write_text("an older file, readable by all")
    output.chmod(0o644)
    assert run(monkeypatch, ["privacy", "export", "--sender", f"sms:{NUMBER}", "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {output}" in out and NUMBER not in out
    assert stat.S_IMODE(os.stat(output).st_mode) == 0o600
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["contact"]["address"] == NUMBER and len(document["transcript"]) == 2
    assert run(monkeypatch, ["privacy", "export", "--sender-id", her_id()]) == 0
    assert json.loads(capsys.readouterr().out)["sender_id"] == her_id()


def test_retention_run_and_dry_run(monkeypatch, capsys, env: Settings) -> None:
    old = datetime.now(timezone.utc) - timedelta(days=100)
    converse(env, her_id(), old)
    remember(env, her_id(), NUMBER, old)
    assert run(monkeypatch, ["retention", "run", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "retention: would delete 5 records (1 conversations older than 90 days)" in out
    assert events_of(env, her_id()) == 4
    assert run(monkeypatch, ["retention", "run"]) == 0
    assert "retention: deleted 5 records" in capsys.readouterr().out
    assert events_of(env, her_id()) == 0


def test_rotate_key(monkeypatch, capsys, env: Settings) -> None:
    remember(env, her_id(), NUMBER, datetime.now(timezone.utc))
    monkeypatch.setenv("DOULA_CONTACT_KEY", f"{KEY_B},{KEY_A}")
    assert run(monkeypatch, ["privacy", "rotate-key"]) == 0
    assert "1 contacts, 0 handoff messages" in capsys.readouterr().out
    assert ContactBook(engine_for(env.database_url), KEY_B).address(her_id()) == NUMBER
    monkeypatch.setenv("DOULA_CONTACT_KEY", Fernet.generate_key().decode())
    assert run(monkeypatch, ["privacy", "rotate-key"]) == 2
    assert "not readable with any key" in capsys.readouterr().err
