"""docs/security.md and docs/privacy.md name a test for each control: every test they name must exist, so the tables
cannot go stale."""

from __future__ import annotations

import re

from bot.paths import ROOT

DOC = ROOT / "docs" / "security.md"
PRIVACY = ROOT / "docs" / "privacy.md"
# `tests/x/test_y.py::test_z`, `tests/x/test_y.py`, `tests/fuzz/`, and `::test_z` continuing the previous file.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py|tests/[\w/]+/)?(?:::(\w+))?`")


def named_tests_exist(doc) -> int:
    """How many tests `doc` names; fails on the first that does not exist."""
    named = 0
    current = None
    for path, function in REFERENCE.findall(doc.read_text(encoding="utf-8")):
        if path:
            assert (ROOT / path).exists(), path
            current = path if path.endswith(".py") else None
        if function:
            assert current, f"::{function} follows no test file"
            source = (ROOT / current).read_text(encoding="utf-8")
            assert re.search(rf"^(async )?def {function}\(", source, re.M), f"{current}::{function}"
        named += 1
    return named


def test_every_test_named_in_privacy_md_exists() -> None:
    assert named_tests_exist(PRIVACY) >= 15


def test_every_test_named_in_security_md_exists() -> None:
    assert named_tests_exist(DOC) >= 20
    for path in sorted((ROOT / "tests" / "security").glob("test_*.py")):
        assert f"tests/security/{path.name}" in DOC.read_text(encoding="utf-8") or path.name == "test_docs.py", path
