"""Throw-away PostgreSQL databases on the local server (loopback, as `make test` expects), dropped afterwards.

Set DOULA_TEST_POSTGRES_URL to point elsewhere. Tests that need PostgreSQL fail, clearly, when it is not reachable:
the production profile is tested against the real thing, never skipped.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import pytest

POSTGRES_ADMIN_URL = os.environ.get("DOULA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin(needed_by: str):
    try:
        admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=5)
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({needed_by} need it): {error}")
    admin.autocommit = True
    return admin


def create_database(prefix: str = "doula_test", needed_by: str = "these tests") -> str:
    """A new, empty database; its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = _admin(needed_by)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    admin.close()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    """Drop the database at `url`, even with connections still open (a server under test may hold some)."""
    try:
        admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=5)
    except psycopg2.OperationalError:
        return  # nothing to clean up on a server that is gone
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
    admin.close()


@contextmanager
def throwaway_database(prefix: str = "doula_test", needed_by: str = "these tests") -> Iterator[str]:
    url = create_database(prefix, needed_by)
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with throwaway_database() as url:
        yield url
