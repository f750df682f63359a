"""Train the model only when its inputs changed.

The fingerprint covers everything the model is trained on (config, domain, training data, the learned red-flag
signal's labelled sets) and the code of the components we train. It is written beside the model
after a successful training, so `doula run` and `make test` skip training in a few milliseconds when nothing changed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.paths import DATA_DIR, ROOT

logger = logging.getLogger(__name__)


def training_inputs(config: Path) -> list[Path]:
    """What the trained model depends on: Rasa's inputs, the learned red-flag signal's labelled sets, and the code of
    the components we train (their pickled objects name it: a model trained by older code may not load)."""
    from bot.safety import training_sets

    trained_code = [ROOT / "bot" / "nlu" / name for name in ("linear.py", "red_flag_model.py", "storage.py")]
    trained_code += [ROOT / "bot" / "safety" / name for name in ("learned.py", "normalize.py")]
    files = [config, ROOT / "domain.yml", *sorted(DATA_DIR.rglob("*.yml")), *training_sets.files(), *trained_code]
    return [f for f in files if f.is_file()]


def fingerprint(config: Path) -> str:
    digest = hashlib.sha256()
    for path in training_inputs(config):
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else Path(path.name)
        digest.update(name.as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _stamp(model: Path) -> Path:
    return model.with_name(model.name + ".fingerprint")


def is_current(model: Path, config: Path) -> bool:
    stamp = _stamp(model)
    return model.is_file() and stamp.is_file() and stamp.read_text().strip() == fingerprint(config)


def rasa_env() -> dict[str, str]:
    """Environment for Rasa subprocesses: no telemetry, no Sentry, quiet TensorFlow."""
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"})
    env.pop("RASA_EXCEPTION_WRITE_KEY", None)
    return env


def train(model: Path, config: Path | None = None, force: bool = False) -> bool:
    """Train `model` from `config` if stale (or `force`). Returns True when it trained."""
    config = config or ROOT / "config.yml"
    if not force and is_current(model, config):
        print(f"==> model is up to date: {model.relative_to(ROOT) if model.is_relative_to(ROOT) else model}")
        return False
    model.parent.mkdir(parents=True, exist_ok=True)
    print(f"==> training {model.name} from {config.name} (about a minute)")
    started = time.monotonic()
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(config), "--domain", "domain.yml", "--data", "data",
        "--out", str(model.parent), "--fixed-model-name", model.name.removesuffix(".tar.gz"),
        "--force",
    ]
    subprocess.run(command, cwd=ROOT, env=rasa_env(), check=True)
    _stamp(model).write_text(fingerprint(config) + "\n")
    print(f"==> trained in {time.monotonic() - started:.0f} s")
    return True
