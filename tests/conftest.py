"""Shared fixtures. Unit tests use the real content in content/; end-to-end fixtures live in tests/e2e/conftest.py."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# Actions that open handoff requests write to doula's database: a throw-away one, never var/doula.db of a checkout.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='doula-tests-')}/doula.db")
# Handoffs and feedback saved are counted (bot/runtime/metrics.py): in a throw-away folder, never var/metrics.
os.environ.setdefault("DOULA_METRICS_DIR", tempfile.mkdtemp(prefix="doula-metrics-"))

from bot.content.catalog import Catalog, load_catalog  # noqa: E402
from bot.services.conversation import Conversation  # noqa: E402


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def service(catalog: Catalog) -> Conversation:
    return Conversation(catalog)
