"""Our trained components keep one pickled object each in Rasa's model archive (written at training, read at load)."""

from __future__ import annotations

import pickle
from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def read_pickled(model_storage: ModelStorage, resource: Resource, name: str) -> Any | None:
    """The object stored under `name`, or None for a component that was never trained (nothing to learn from)."""
    try:
        with model_storage.read_from(resource) as directory:
            return pickle.loads((directory / name).read_bytes())  # noqa: S301 - our own file, written below
    except (ValueError, FileNotFoundError):
        return None


def write_pickled(model_storage: ModelStorage, resource: Resource, name: str, value: Any) -> None:
    with model_storage.write_to(resource) as directory:
        (directory / name).write_bytes(pickle.dumps(value))
