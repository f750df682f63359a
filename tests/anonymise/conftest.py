"""The anonymiser is built once for the whole package (it loads spaCy and Presidio)."""

from __future__ import annotations

import pytest

from bot.anonymise import Anonymiser, anonymiser
from bot.anonymise.resources import Resources, load_resources


@pytest.fixture(scope="session")
def engine() -> Anonymiser:
    return anonymiser()


@pytest.fixture(scope="session")
def resources() -> Resources:
    return load_resources()


@pytest.fixture(scope="session")
def redact(engine: Anonymiser):
    """text -> the redacted text (what a coordinator would read)."""
    return lambda text, language=None: engine.redact(text, language).text


@pytest.fixture(scope="session")
def found(engine: Anonymiser):
    """text -> [(type, substring)] of what was found, in order."""
    return lambda text, language=None: [(e.type, text[e.start:e.end]) for e in engine.redact(text, language).entities]
