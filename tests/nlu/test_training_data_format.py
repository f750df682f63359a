"""Every line of an `examples` block in data/nlu is an example: Rasa reads a comment there as a malformed example
(it warns and skips it), so a note for the people who keep the data belongs outside the block."""

from __future__ import annotations

import yaml

from bot.paths import DATA_DIR


def test_every_line_of_an_examples_block_is_an_example():
    bad = []
    for path in sorted((DATA_DIR / "nlu").rglob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
            for line in (item.get("examples") or "").splitlines():
                if line.strip() and not line.lstrip().startswith("- "):
                    bad.append(f"{path.relative_to(DATA_DIR)}: {line.strip()[:60]}")
    assert not bad, "lines that are not examples:\n" + "\n".join(bad)
