"""The labelled messages the learned red-flag signal (:mod:`bot.safety.learned`) is trained on, besides the NLU data.

Kept apart from the Rasa component so that `doula train` can tell, without loading Rasa, whether they changed
(bot/runtime/training.py counts them among the model's inputs).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.safety.evaluation import CASES_DIR, DEV2_DIR, DEV3_DIR, DEV4_DIR, DEV_DIR, load_sets

# Every labelled red-flag set except the held-out one (eval/red_flags), which must stay unseen to mean anything.
LABELLED_SETS: tuple[Path, ...] = (CASES_DIR, DEV_DIR, DEV2_DIR, DEV3_DIR, DEV4_DIR)
# Feedback comments about care ("my husband was allowed to stay", "the food was cold"), all "none": without them the
# signal alarmed on one comment in nine, and feedback is where women write at length about their birth.
COMMENT_SETS: tuple[Path, ...] = (ROOT / "eval" / "themes_dev",)


def files() -> list[Path]:
    return [path for directory in (*LABELLED_SETS, *COMMENT_SETS) for path in sorted(directory.glob("*.yml"))]


def examples() -> Iterator[tuple[str, str]]:
    """(message, category or "none") pairs from every set above."""
    from bot.safety.learned import NONE  # scikit-learn: not needed to list the files

    for directory in LABELLED_SETS:
        for labelled in load_sets(directory):
            for category, messages in labelled.alarms.items():
                yield from ((m, category) for m in messages)
            yield from ((m, NONE) for m in labelled.not_alarms)
    for directory in COMMENT_SETS:
        for path in sorted(directory.glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            yield from ((str(c["text"]), NONE) for c in data.get("comments") or () if c.get("text"))
