"""A throw-away PostgreSQL database on the local server (loopback, as `make test` expects), dropped afterwards.
Set DOULA_TEST_POSTGRES_URL to point elsewhere; the tests fail, clearly, when it is not reachable."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import psycopg2
import pytest

POSTGRES_ADMIN_URL = os.environ.get("DOULA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"doula_test_{secrets.token_hex(4)}"
    try:
        admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=5)
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (these tests need it): {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()
