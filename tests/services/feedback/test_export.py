"""Exports for MVP coordinators, from a real SQLite database: what is in them, what is left out, and that each
format is written and can be read back."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from bot.services.feedback.export import COLUMNS, ExportError, collect, render
from bot.services.feedback.labels import load_wording
from bot.services.feedback.store import FeedbackStore
from bot.settings import Settings, SettingsError
from tests.services.feedback.exports_support import database, put, record, theme

W = load_wording()
SCRIPT = "=HYPERLINK(\"http://evil\") <script>alert('x')</script>"


@pytest.fixture
def store(tmp_path) -> FeedbackStore:
    engine = database(tmp_path)
    many = [record(month=f"2026-0{1 + n % 3}", language=("en", "pl", "ar")[n % 3], rating=("very_good", "good",
                   "poor")[n % 3], ethnic_group=("asian.pakistani", "white.british", "asian")[n % 3],
                   age_band="25_29", stage="birth",
                   themes=[theme("communication", "positive"), theme("staffing_waiting")]) for n in range(30)]
    rare = record(month="2026-02", language="so", ethnic_group="black.african", age_band="40_plus", stage="birth",
                  rating="very_poor", went_well=None, could_be_better=SCRIPT, could_be_better_en="in English",
                  themes=[theme("interpreters_language")])
    not_shared = [record(month="2026-02", consent_mvp=False, went_well="NOT FOR THE MVP") for _ in range(3)]
    elsewhere = record(month="2026-02", site="Riverside", went_well="at Riverside")
    outside = record(month="2025-12", went_well="before the period")
    put(engine, *many, rare, *not_shared, elsewhere, outside)
    return FeedbackStore(engine)


def export(store, fmt=None, **kwargs):
    made = collect(store, kwargs.pop("start", "2026-01"), kwargs.pop("end", "2026-03"), min_cell=5, wording=W,
                   today=date(2026, 4, 2), **kwargs)
    return made if fmt is None else (made, render(made, fmt))


def test_only_consented_feedback_of_the_period_and_site_and_how_many_were_left_out(store):
    made = export(store)
    texts = {text for r in made.records for text in r.texts}
    assert len(made.records) == 32 and made.withheld == 3
    assert "NOT FOR THE MVP" not in texts and "before the period" not in texts and "at Riverside" in texts
    city = export(store, site="City Hospital")
    assert len(city.records) == 31 and city.withheld == 3
    assert export(store, site="Riverside").withheld == 0
    assert len(export(store, start="2026-02", end="2026-02").records) == 12
    assert store.sites() == ["City Hospital", "Riverside"]


@pytest.mark.parametrize("start, end", [("2026-1", "2026-03"), ("2026-13", "2026-12"), ("2026-03", "2026-01"),
                                        ("", "2026-01")])
def test_months_are_checked(store, start, end):
    with pytest.raises(ExportError):
        collect(store, start, end)


def test_csv_one_row_per_feedback_with_words_not_codes_and_formulas_defused(store):
    made, body = export(store, "csv")
    assert body.startswith("\ufeff".encode()), "a byte order mark, so that Excel reads every script"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == [W.text(f"column.{c}") for c in COLUMNS] and len(rows) == 1 + 32
    by = {name: n for n, name in enumerate(COLUMNS)}
    somali = next(row for row in rows if row[by["language"]] == "Somali")
    assert somali[by["could_be_better"]] == "'" + SCRIPT, "a formula-like comment is quoted, otherwise as it is"
    assert somali[by["rating"]] == "Very poor" and somali[by["stage"]] == "Labour and birth"
    assert somali[by["themes"]] == "Interpreters and language (negative)"
    pakistani = next(row for row in rows if row[by["ethnic_group"]].endswith("Pakistani"))
    assert pakistani[by["ethnic_group"]] == "Asian or Asian British: Pakistani"
    assert pakistani[by["age_band"]] == "25 to 29"
    assert any(row[by["ethnic_group"]] == "Asian or Asian British" for row in rows), "the group, detail skipped"


def test_equality_fields_are_blanked_on_rare_combinations(store):
    made, body = export(store, "csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
    by = {name: n for n, name in enumerate(COLUMNS)}
    somali = next(row for row in rows if row[by["language"]] == "Somali")
    assert (somali[by["ethnic_group"]], somali[by["age_band"]]) == ("", ""), "one Black African woman over 40"
    assert "African" not in body.decode("utf-8-sig") and "40 or over" not in body.decode("utf-8-sig")
    assert len(made.rare) == 1


def test_xlsx_has_the_data_sheet_and_every_summary_sheet(store, tmp_path):
    made, body = export(store, "xlsx")
    path = tmp_path / "feedback.xlsx"
    path.write_bytes(body)
    book = load_workbook(path)
    sheets = [W.text(f"sheet.{key}") for key in ("about", "feedback", "ratings", "themes", "themes_by_language",
                                                 "themes_by_ethnic_group", "ratings_by_ethnic_group", "by_month")]
    assert book.sheetnames == sheets
    data = list(book[W.text("sheet.feedback")].iter_rows(values_only=True))
    assert len(data) == 1 + 32 and list(data[0]) == [W.text(f"column.{c}") for c in COLUMNS]
    cells = [cell for row in book[W.text("sheet.feedback")].iter_rows() for cell in row if cell.value == SCRIPT]
    assert cells and cells[0].data_type == "s", "a comment beginning like a formula is stored as text"
    ratings = {row[0]: row[1:] for row in book[W.text("sheet.ratings")].iter_rows(values_only=True) if row[0]}
    assert ratings["Very good"][0] == 10 and ratings["Very poor"][0] == "<5", "one very poor rating: hidden"
    fft = ratings[W.text("column.fft")][1]
    assert fft == pytest.approx(21 / 32, abs=1e-4), "very good 10, good 11, of 32 answers"
    themes = {row[0]: row[1] for row in book[W.text("sheet.themes")].iter_rows(values_only=True)}
    assert themes[W.theme("communication")] == 31 and themes["Interpreters and language"] == "<5"
    by_language = {row[0]: row[1:] for row in book[W.text("sheet.themes_by_language")].iter_rows(values_only=True)}
    assert by_language[None][:4] == ("English", "Polish", "Arabic", "Somali")
    assert by_language["Interpreters and language"][3] == "<5"
    month_rows = [row for row in book[W.text("sheet.by_month")].iter_rows(values_only=True) if row[0]]
    assert [row[0] for row in month_rows[1:4]] == ["2026-01", "2026-02", "2026-03"]


def test_html_report_is_self_contained_with_charts_escaped_comments_and_no_equality_beside_them(store):
    made, body = export(store, "html")
    page = body.decode("utf-8")
    assert page.startswith("<!doctype html>") and page.count("<svg") == 4
    assert "<script" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no external resource"
    comments = page[page.index('id="comments"'):page.index('id="notes"')]
    for code in ("asian.pakistani", "white.british", "black.african"):
        assert W.ethnic_group(code) not in comments
    assert W.ethnic_group("asian") not in comments and "25 to 29" not in comments and "40 or over" not in comments
    assert "Asian or Asian British" in page, "ethnic groups are in the aggregated tables"
    assert "in English" in comments and W.text("comments.english") in comments
    assert "&lt;5" in page, "small numbers are shown as <5"
    assert W.text("note.consent_count", count=3) in page
    assert "NOT FOR THE MVP" not in page


def test_an_empty_period_still_makes_every_format(store):
    for fmt in ("csv", "xlsx", "html"):
        made, body = export(store, fmt, start="2024-01", end="2024-02")
        assert body and not made.records
    assert "<svg" not in render(export(store, start="2024-01", end="2024-02"), "html").decode()


def test_settings_of_the_exports():
    settings = Settings.from_env({"DOULA_FEEDBACK_SITES": "City Hospital, Riverside Birth Centre"})
    assert settings.feedback_sites == ("City Hospital", "Riverside Birth Centre") and settings.feedback_min_cell == 5
    assert Settings.from_env({}).feedback_sites == ()
    assert Settings.from_env({"DOULA_FEEDBACK_MIN_CELL": "10"}).feedback_min_cell == 10
    for env in ({"DOULA_FEEDBACK_MIN_CELL": "1"}, {"DOULA_FEEDBACK_MIN_CELL": "five"},
                {"DOULA_FEEDBACK_SITES": "A,A"}, {"DOULA_FEEDBACK_SITES": "x" * 81}):
        with pytest.raises(SettingsError):
            Settings.from_env(env)
