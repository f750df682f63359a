"""The content check catches what a translator or editor could break."""

import shutil
from pathlib import Path

import pytest
import yaml

from bot.content.check import run_checks
from bot.paths import CONTENT_DIR


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_missing_ui_message_is_reported(content):
    edit(content / "ui/pl.yml", lambda d: d["messages"].pop("help"))
    assert any("missing message 'help'" in p for p in run_checks(content))


def test_a_changed_placeholder_is_reported(content):
    edit(content / "ui/pl.yml", lambda d: d["messages"].update(stage_menu="{etap}: który temat?"))
    assert any("'stage_menu' placeholders differ" in p for p in run_checks(content))


def test_a_missing_translation_of_a_section_is_reported(content):
    edit(content / "topics/place_of_birth.yml", lambda d: d["text"]["pl"].pop("risks"))
    assert any("pl is missing section 'risks'" in p for p in run_checks(content))


def test_a_section_without_a_source_is_reported(content):
    edit(content / "topics/place_of_birth.yml", lambda d: d["section_sources"].update(risks=[]))
    assert any("section 'risks' names no source" in p for p in run_checks(content))


def test_an_unknown_source_is_reported(content):
    edit(content / "topics/place_of_birth.yml", lambda d: d["section_sources"].update(risks=["blog"]))
    assert any("cites unknown source 'blog'" in p for p in run_checks(content))


def test_a_summary_too_long_for_two_sms_is_reported(content):
    edit(content / "topics/place_of_birth.yml", lambda d: d["text"]["en"].update(summary="word " * 80))
    assert any("SMS segments" in p for p in run_checks(content))


def test_approval_needs_a_named_reviewer(content):
    edit(content / "topics/place_of_birth.yml", lambda d: d["clinical_review"].update(status="approved"))
    assert any("must record reviewed_by" in p for p in run_checks(content))


def test_handoff_messages_are_checked_in_every_language(content):
    so = content / "handoff" / "messages" / "so.yml"
    so.write_text(so.read_text(encoding="utf-8").replace("{minutes}", "{minuutes}"), encoding="utf-8")
    (content / "handoff" / "messages" / "ti.yml").unlink()
    generic = content / "handoff" / "interpreter_generic.yml"
    generic.write_text(generic.read_text(encoding="utf-8").replace("  fr:", "  xx:"), encoding="utf-8")
    problems = "\n".join(run_checks(content))
    assert "so.yml: 'wait_in_hours' placeholders differ" in problems
    assert "content/handoff/messages/ti.yml is missing" in problems
    assert "interpreter_generic.yml: no message in fr" in problems
