"""Where the project's files are.

The package is installed editable from the repository, so the root is two levels up."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT_DIR = ROOT / "content"
DATA_DIR = ROOT / "data"
MODELS_DIR = ROOT / "models"
VAR_DIR = ROOT / "var"
