"""`doula db upgrade` and `doula db current`: what they print and their exit status (a SQLite database here; the
production e2e test runs them on PostgreSQL)."""

from __future__ import annotations

from bot.cli import main


def test_upgrade_prints_each_step_then_nothing_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'doula.db'}")
    assert main(["db", "current"]) == 1
    out = capsys.readouterr().out
    assert "migration: none (never upgraded)" in out and "create table handoff_requests" in out

    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert "  create table handoff_requests" in out and "  migration 0001 baseline" in out and "upgraded:" in out

    assert main(["db", "upgrade"]) == 0
    assert "already up to date: nothing to do" in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert "migration: 0001\nup to date" in capsys.readouterr().out


def test_the_database_password_is_never_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://doula:s3cret-pw@127.0.0.1:1/doula")
    assert main(["db", "upgrade"]) == 1
    captured = capsys.readouterr()
    assert "s3cret-pw" not in captured.out + captured.err and "***" in captured.out
