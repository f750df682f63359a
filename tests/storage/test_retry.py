"""The bounded retry of writes: again while the database cannot be reached, then the error; other errors at once."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.storage.retry import retry_write


def flaky(failures: int, error: Exception):
    calls = []

    def write() -> str:
        calls.append(1)
        if len(calls) <= failures:
            raise error
        return "stored"

    return write, calls


UNREACHABLE = OperationalError("INSERT ...", {}, ConnectionRefusedError("refused"))


def test_a_write_is_retried_while_the_database_is_unreachable():
    write, calls = flaky(3, UNREACHABLE)
    slept = []
    assert retry_write(write, sleep=slept.append) == "stored"
    assert len(calls) == 4 and slept == [0.25, 0.5, 1.0]


def test_the_error_is_raised_after_the_last_attempt():
    write, calls = flaky(10, UNREACHABLE)
    with pytest.raises(OperationalError):
        retry_write(write, attempts=3, sleep=lambda _s: None)
    assert len(calls) == 3


def test_other_errors_are_not_retried():
    write, calls = flaky(1, IntegrityError("INSERT ...", {}, ValueError("duplicate")))
    with pytest.raises(IntegrityError):
        retry_write(write, sleep=lambda _s: None)
    assert len(calls) == 1
