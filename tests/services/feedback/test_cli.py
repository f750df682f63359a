"""`doula feedback export` and `doula feedback import`: files written, counts printed, never a woman's words."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from bot.cli import main
from tests.services.feedback.exports_support import database, put, record


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("DOULA_FEEDBACK_MIN_CELL", raising=False)
    monkeypatch.delenv("DOULA_TRANSLATOR", raising=False)
    return database(tmp_path)


def test_export_writes_each_format_and_prints_counts_only(engine, tmp_path, capsys):
    put(engine, *[record(went_well=f"private words {n}") for n in range(6)],
        record(consent_mvp=False, went_well="not shared"))
    for fmt in ("csv", "xlsx", "html"):
        target = tmp_path / f"out.{fmt}"
        assert main(["feedback", "export", "--format", fmt, "--from", "2026-01", "--to", "2026-03",
                     "-o", str(target)]) == 0
        assert target.stat().st_size > 0
    out = capsys.readouterr().out
    assert "6 pieces of feedback shared with the MVP (2026-01 to 2026-03, all sites)" in out
    assert "left out: 1 (she did not agree" in out
    assert "private" not in out and "not shared" not in out
    assert "Feedback" in load_workbook(tmp_path / "out.xlsx").sheetnames


def test_export_default_file_name_and_bad_months(engine, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["feedback", "export", "--format", "csv", "--from", "2026-01", "--to", "2026-02", "--site",
                 "City Hospital"]) == 0
    assert (tmp_path / "doula-feedback-2026-01-to-2026-02-city-hospital.csv").is_file()
    assert main(["feedback", "export", "--format", "csv", "--from", "2026-03", "--to", "2026-02"]) == 2
    assert "--from must not be after --to" in capsys.readouterr().err


def test_import_reports_counts_and_refusals_without_the_words(engine, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("text,month,rating\n\"My name is Sarah Jones, I waited hours\",2026-02,poor\n,2026-02,good\n",
                    encoding="utf-8")
    assert main(["feedback", "import", str(good), "--language", "en", "--site", "Riverside", "--consent-mvp"]) == 0
    out = capsys.readouterr().out
    assert "feedback import: 1 imported (en 1), shared with the MVP" in out
    assert "details removed from 1 comments (PERSON 1)" in out and "1 rows without text skipped" in out
    assert "Sarah" not in out and "waited" not in out
    bad = tmp_path / "bad.csv"
    bad.write_text("text,rating\nsecret words,superb\n", encoding="utf-8")
    assert main(["feedback", "import", str(bad), "--language", "en"]) == 1
    out = capsys.readouterr().out
    assert "line 2: unknown rating" in out and "REFUSED, nothing was imported" in out
    assert "secret" not in out and "superb" not in out
