"""Helpers of the export and import tests: records put straight into a real SQLite database.

Records are inserted with SQL rather than FeedbackStore.add where a test is about exports, not storage: add() runs
the real anonymiser as a last guard, which the storage and import tests exercise themselves."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bot.services.feedback.store import FeedbackRecord
from bot.storage.database import engine_for, feedback


def database(tmp_path: Path) -> Engine:
    return engine_for(f"sqlite:///{tmp_path / 'x.db'}")


def record(month: str = "2026-02", language: str = "en", **fields) -> FeedbackRecord:
    values = {"site": "City Hospital", "stage": "birth", "rating": "good", "consent_mvp": True,
              "went_well": "The midwife [NAME] listened to me", "themes": [theme("communication", "positive")],
              "sentiment": "positive", **fields}
    return FeedbackRecord(month=month, language=language, **values)


def theme(name: str, sentiment: str = "negative") -> dict:
    return {"theme": name, "sentiment": sentiment, "cues": []}


def put(engine: Engine, *records: FeedbackRecord) -> None:
    """Store `records` as they are (already anonymised by construction)."""
    rows = []
    for item in records:
        values = {k: v for k, v in item.__dict__.items() if k != "id"}
        values["themes"] = json.dumps(item.themes)
        rows.append(values)
    with engine.begin() as connection:
        connection.execute(insert(feedback), rows)

