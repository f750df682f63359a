"""`doula staff add|list|disable|password`: accounts from the server's command line, passwords never echoed."""

from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.console.staff import LoginFailed, StaffDirectory
from bot.storage.database import engine_for

PASSWORD = "correct horse battery staple"


@pytest.fixture
def accounts(monkeypatch, database_url: str) -> StaffDirectory:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return StaffDirectory(engine_for(database_url))


def run(monkeypatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_add_from_stdin_and_list(monkeypatch, capsys, accounts: StaffDirectory) -> None:
    assert run(monkeypatch, ["staff", "add", "--username", "amina", "--name", "Amina H.", "--role", "interpreter",
                             "--languages", "so,ti", "--password-stdin"], PASSWORD + "\n") == 0
    assert "added amina (interpreter, so,ti)" in capsys.readouterr().out
    assert accounts.authenticate("amina", PASSWORD).languages == ("so", "ti")
    assert run(monkeypatch, ["staff", "add", "--username", "ada", "--name", "Ada", "--role", "admin",
                             "--password-stdin"], PASSWORD + "\n") == 0
    capsys.readouterr()
    assert run(monkeypatch, ["staff", "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["USERNAME", "NAME", "ROLE", "LANGUAGES", "ACTIVE", "LOCKED"]
    assert lines[1].split() == ["ada", "Ada", "admin", "-", "yes", "no"]
    assert lines[2].split() == ["amina", "Amina", "H.", "interpreter", "so,ti", "yes", "no"]
    assert "scrypt" not in out and PASSWORD not in out


def test_add_asks_twice(monkeypatch, capsys, accounts: StaffDirectory) -> None:
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run(monkeypatch, ["staff", "add", "--username", "mary", "--name", "Mary", "--role", "midwife"]) == 0
    assert accounts.authenticate("mary", PASSWORD).role == "midwife"
    answers = iter([PASSWORD, PASSWORD + "!"])
    assert run(monkeypatch, ["staff", "add", "--username", "mark", "--name", "Mark", "--role", "midwife"]) == 2
    assert "the two passwords differ" in capsys.readouterr().err
    assert accounts.by_username("mark") is None


@pytest.mark.parametrize("extra, problem", [
    (["--role", "interpreter"], "at least one language"),
    (["--role", "surgeon"], "the role must be one of"),
    (["--role", "midwife", "--languages", "zz"], "unknown language"),
])
def test_add_refuses_invalid_accounts(monkeypatch, capsys, accounts: StaffDirectory, extra, problem) -> None:
    argv = ["staff", "add", "--username", "amina", "--name", "Amina", "--password-stdin", *extra]
    assert run(monkeypatch, argv, PASSWORD + "\n") == 2
    assert problem in capsys.readouterr().err
    assert accounts.list() == []


def test_short_password_is_refused(monkeypatch, capsys, accounts: StaffDirectory) -> None:
    argv = ["staff", "add", "--username", "amina", "--name", "Amina", "--role", "midwife", "--password-stdin"]
    assert run(monkeypatch, argv, "short\n") == 2
    assert "at least 12 characters" in capsys.readouterr().err


def test_disable_and_password(monkeypatch, capsys, accounts: StaffDirectory) -> None:
    accounts.add("mary", "Mary", "midwife", "", PASSWORD)
    assert run(monkeypatch, ["staff", "password", "mary", "--password-stdin"], "a brand new passphrase\n") == 0
    assert accounts.authenticate("mary", "a brand new passphrase")
    assert run(monkeypatch, ["staff", "disable", "mary"]) == 0
    assert "disabled mary" in capsys.readouterr().out
    with pytest.raises(LoginFailed):
        accounts.authenticate("mary", "a brand new passphrase")
    assert run(monkeypatch, ["staff", "disable", "nobody"]) == 2
    assert "no account called 'nobody'" in capsys.readouterr().err
