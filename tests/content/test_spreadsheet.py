"""The spreadsheet round trip: what a translator or clinical reviewer edits in Excel comes back into content/, and a
workbook that would break the content is refused whole."""

import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from bot.content.catalog import read_catalog
from bot.content.spreadsheet import SOURCES, TEXTS, TOPICS, ImportRefused, export_workbook, import_workbook
from bot.paths import CONTENT_DIR


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


@pytest.fixture()
def exported(content: Path, tmp_path: Path) -> Path:
    out = tmp_path / "content.xlsx"
    export_workbook(out, content)
    return out


def _find_row(sheet, group: str, key: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == group and sheet.cell(row, 2).value == key:
            return row
    raise AssertionError(f"no row {group} / {key}")


def _column(sheet, header: str) -> int:
    for column in range(1, sheet.max_column + 1):
        if sheet.cell(1, column).value == header:
            return column
    raise AssertionError(f"no column {header}")


def _edit(path: Path, sheet_name: str, change) -> None:
    book = load_workbook(path)
    change(book[sheet_name])
    book.save(path)


def test_the_export_has_a_row_per_text_and_a_text_and_status_column_per_language(exported, content):
    catalog = read_catalog(content)
    sheet = load_workbook(exported)[TEXTS]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["group", "key"]
    for code in catalog.languages:
        assert code in header and f"{code} status" in header
    row = _find_row(sheet, "topic:place_of_birth", "summary")
    assert sheet.cell(row, _column(sheet, "en")).value == catalog.topics["place_of_birth"].texts["en"].sections[
        "summary"]
    assert sheet.cell(row, _column(sheet, "en status")).value == "original"
    assert sheet.cell(row, _column(sheet, "pl status")).value == "machine-drafted"
    # UI, urgent advice and handoff texts are in the same sheet
    assert _find_row(sheet, "ui", "greeting") and _find_row(sheet, "red_flags", "advice.bleeding")
    assert _find_row(sheet, "handoff", "requested")
    # and so are feedback, privacy, rate-limit and fault texts: every text she can be sent
    for group, key in (("feedback", "intro"), ("privacy", "notice"), ("security", "rate_limited"),
                       ("faults", "unavailable")):
        assert _find_row(sheet, group, key), (group, key)


def test_the_topics_sheet_shows_clinical_status_and_english_reading_level(exported):
    sheet = load_workbook(exported)[TOPICS]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["induction_of_labour"]["clinical status"] == "draft"
    assert 0 < rows["induction_of_labour"]["en reading ease"] <= 100


def test_an_unchanged_export_imports_as_no_change(exported, content):
    before = {p: p.read_bytes() for p in content.rglob("*.yml")}
    result = import_workbook(exported, content)
    assert result.changed_files == []
    assert before == {p: p.read_bytes() for p in content.rglob("*.yml")}


def test_a_reviewed_translation_comes_back_with_its_status_and_the_comments_stay(exported, content):
    new = "Indukcja to rozpoczęcie porodu z pomocą medyczną, zamiast czekania, aż zacznie się sam."

    def change(sheet):
        for key in ("title", "summary", "benefits", "risks", "alternatives", "nothing", "questions"):
            sheet.cell(_find_row(sheet, "topic:induction_of_labour", key), _column(sheet, "pl status")).value = \
                "reviewed"
        sheet.cell(_find_row(sheet, "topic:induction_of_labour", "summary"), _column(sheet, "pl")).value = new

    _edit(exported, TEXTS, change)
    result = import_workbook(exported, content)
    assert result.changed_files == ["content/topics/induction_of_labour.yml"]
    raw = (content / "topics/induction_of_labour.yml").read_text(encoding="utf-8")
    assert "# date someone checked the live page" in raw  # comments survive the round trip
    data = yaml.safe_load(raw)
    assert data["text"]["pl"]["summary"] == new
    assert data["text"]["pl"]["status"] == "reviewed"
    assert data["text"]["en"] == yaml.safe_load((CONTENT_DIR / "topics/induction_of_labour.yml").read_text())[
        "text"]["en"]


def _set_topic_row(sheet, topic: str, values: dict[str, str]) -> None:
    """Fill columns (by header) of every row of `topic` in a Topics or Sources sheet, as a reviewer would."""
    header = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == topic:
            for column, value in values.items():
                sheet.cell(row, header.index(column) + 1).value = value


SIGN_OFF = {"clinical status": "approved", "reviewed by": "Dr A. Obi, consultant obstetrician",
            "reviewed on": "2026-12-01"}


def test_a_clinical_sign_off_and_checked_sources_are_recorded(exported, content):
    _edit(exported, TOPICS, lambda sheet: _set_topic_row(sheet, "induction_of_labour", SIGN_OFF))
    _edit(exported, SOURCES, lambda sheet: _set_topic_row(sheet, "induction_of_labour", {"checked": "2026-11-30"}))
    import_workbook(exported, content)
    topic = read_catalog(content).topics["induction_of_labour"]
    assert topic.clinical_status == "approved"
    assert topic.clinical_reviewed_by == "Dr A. Obi, consultant obstetrician"
    assert {s.checked for s in topic.sources.values()} == {"2026-11-30"}


def test_sign_off_without_checked_sources_is_refused(exported, content):
    _edit(exported, TOPICS, lambda sheet: _set_topic_row(sheet, "induction_of_labour", SIGN_OFF))
    with pytest.raises(ImportRefused) as refused:
        import_workbook(exported, content)
    assert any("when source" in p and "was checked" in p for p in refused.value.problems)
    assert read_catalog(content).topics["induction_of_labour"].clinical_status == "draft"


@pytest.mark.parametrize("column, value, expected", [
    ("pl", "{stage} oraz {nowy}: który temat?", "{placeholders} differ"),
    ("pl status", "checked-by-my-cousin", "is not one of"),
    ("pl", "", "the text is empty"),
])
def test_a_broken_row_refuses_the_whole_workbook(exported, content, column, value, expected):
    def change(sheet):
        sheet.cell(_find_row(sheet, "ui", "greeting"), _column(sheet, "pl")).value = "Cześć, zmienione."
        sheet.cell(_find_row(sheet, "ui", "stage_menu"), _column(sheet, column)).value = value

    _edit(exported, TEXTS, change)
    before = (content / "ui/pl.yml").read_bytes()
    with pytest.raises(ImportRefused) as refused:
        import_workbook(exported, content)
    assert any(expected in p for p in refused.value.problems), refused.value.problems
    assert (content / "ui/pl.yml").read_bytes() == before  # the good row was not applied either


def test_an_added_row_and_a_file_that_is_not_a_workbook_are_refused(exported, content, tmp_path):
    _edit(exported, TEXTS, lambda sheet: sheet.append(["topic:unicorns", "summary"]))
    with pytest.raises(ImportRefused, match="1 problems"):
        import_workbook(exported, content)
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a workbook")
    with pytest.raises(ImportRefused) as refused:
        import_workbook(bogus, content)
    assert "not a readable .xlsx" in refused.value.problems[0]


def test_a_change_that_breaks_the_content_check_is_refused(exported, content):
    long = "Indukcja. " + "Bardzo długi tekst o indukcji porodu. " * 5

    def change(sheet):
        sheet.cell(_find_row(sheet, "topic:induction_of_labour", "summary"), _column(sheet, "en")).value = (
            "Induction means starting labour with medical help. " * 8)
        sheet.cell(_find_row(sheet, "topic:induction_of_labour", "summary"), _column(sheet, "pl")).value = long

    _edit(exported, TEXTS, change)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(exported, content)
    assert any("SMS segments" in p for p in refused.value.problems)
