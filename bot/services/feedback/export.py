"""Exports of feedback for the Maternity Voices Partnership: CSV, XLSX (data and summary sheets) and the HTML report
(:mod:`.report`), for one period and optionally one site.

What leaves the database, and why:

- only feedback she agreed to share with the MVP (``consent_mvp``); how many were left out for that reason is said,
  never which;
- coarse fields and her words as stored, i.e. already anonymised (:mod:`bot.anonymise`), with their themes;
- on the data rows, ethnic group and age band are blanked wherever the combination of site, stage, ethnic group and
  age band is rarer than the minimum (``DOULA_FEEDBACK_MIN_CELL``): a rare combination could point at one woman;
- rows are sorted by month, site, stage, language and rating, so their order says little about when each was given;
- summaries are suppressed (:mod:`.summary`).

A comment can begin with ``=``, ``+``, ``-`` or ``@``, which a spreadsheet would run as a formula: the CSV quotes such
a cell with a leading apostrophe, and the XLSX stores every text as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cached_property

from bot.services.feedback.labels import Wording, load_wording
from bot.services.feedback.store import FeedbackRecord, FeedbackStore
from bot.services.feedback.summary import (
    RATING_COLUMNS,
    SENTIMENTS,
    Summary,
    Table,
    months_between,
    summarise,
    theme_sentiments,
)

FORMATS = ("csv", "xlsx", "html")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
COLUMNS = ("month", "site", "source", "language", "stage", "rating", "went_well", "went_well_en", "could_be_better",
           "could_be_better_en", "themes", "sentiment", "ethnic_group", "age_band")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_MONTHS = 120


class ExportError(ValueError):
    """The export was asked for wrongly (a month, a format); the message says what to fix."""


def parse_month(value: str | None, name: str) -> str:
    """`value` as YYYY-MM, or an ExportError naming `name` (the option it came from)."""
    value = (value or "").strip()
    if not MONTH.match(value):
        raise ExportError(f"{name} must be a month written YYYY-MM, e.g. 2026-03")
    return value


@dataclass(frozen=True)
class Export:
    """The feedback of one export and everything derived from it."""

    start: str
    end: str
    site: str | None
    records: tuple[FeedbackRecord, ...]
    withheld: int  # in the period (and site), left out: not agreed to be shared with the MVP
    min_cell: int
    wording: Wording
    generated: date

    @cached_property
    def summary(self) -> Summary:
        return summarise(self.records, self.withheld, months_between(self.start, self.end), self.min_cell,
                         self.wording.ethnic_groups(), tuple(self.wording.languages))

    @cached_property
    def rare(self) -> frozenset[int]:
        """Positions of records whose (site, stage, ethnic group, age band) is rarer than the minimum: their
        ethnic group and age band are blanked on data rows."""
        counts = Counter(_combination(record) for record in self.records)
        return frozenset(n for n, record in enumerate(self.records)
                         if counts[_combination(record)] < self.min_cell and (record.ethnic_group or record.age_band))

    def header(self) -> list[str]:
        return [self.wording.text(f"column.{column}") for column in COLUMNS]

    def rows(self) -> list[list[str]]:
        """One row per feedback, in words; equality fields blanked on rare combinations."""
        w = self.wording
        rows = []
        for n, record in enumerate(self.records):
            blank = n in self.rare
            themes = "; ".join(f"{w.theme(theme)} ({w.sentiment(sentiment)})"
                               for theme, sentiment in theme_sentiments(record).items())
            values = {
                "month": record.month, "site": record.site or "",
                "source": w.report.get(f"source.{record.source}", record.source),
                "language": w.language(record.language), "stage": w.stage(record.stage) if record.stage else "",
                "rating": w.rating(record.rating) if record.rating else "",
                "went_well": record.went_well or "", "went_well_en": record.went_well_en or "",
                "could_be_better": record.could_be_better or "", "could_be_better_en": record.could_be_better_en or "",
                "themes": themes, "sentiment": w.sentiment(record.sentiment) if record.sentiment else "",
                "ethnic_group": "" if blank or not record.ethnic_group else w.ethnic_group(record.ethnic_group),
                "age_band": "" if blank or not record.age_band else w.age_band(record.age_band),
            }
            rows.append([values[column] for column in COLUMNS])
        return rows

    def scope(self) -> str:
        """The period and site in words, for titles."""
        w = self.wording
        period = w.text("scope.period", start=self.start, end=self.end) if self.start != self.end \
            else w.text("scope.month", month=self.start)
        return w.text("scope.site", period=period, site=self.site) if self.site \
            else w.text("scope.all_sites", period=period)

    def filename(self, fmt: str) -> str:
        site = re.sub(r"[^a-z0-9]+", "-", (self.site or "").lower()).strip("-")
        return f"doula-feedback-{self.start}-to-{self.end}{'-' + site if site else ''}.{fmt}"


def collect(store: FeedbackStore, start: str, end: str, site: str | None = None, min_cell: int = 5,
            wording: Wording | None = None, today: date | None = None) -> Export:
    """The export of the consented feedback from month `start` to `end` (YYYY-MM, inclusive), for `site` or all."""
    start, end = parse_month(start, "--from"), parse_month(end, "--to")
    if start > end:
        raise ExportError("--from must not be after --to")
    if len(months_between(start, end)) > MAX_MONTHS:
        raise ExportError(f"the period is longer than {MAX_MONTHS} months")
    site = (site or "").strip() or None
    records = store.query(start, end, site, consented_only=True)
    records.sort(key=lambda r: (r.month, r.site or "", r.stage or "", r.language, r.rating or ""))  # not by arrival
    return Export(start, end, site, tuple(records), store.count_withheld(start, end, site), min_cell,
                  wording or load_wording(), today or datetime.now(timezone.utc).date())


def render(export: Export, fmt: str) -> bytes:
    """The export as a file of format `fmt` (csv, xlsx or html)."""
    if fmt == "csv":
        return to_csv(export)
    if fmt == "xlsx":
        return to_xlsx(export)
    if fmt == "html":
        from bot.services.feedback.report import to_html

        return to_html(export).encode("utf-8")
    raise ExportError(f"the format must be one of {', '.join(FORMATS)}")


# -- CSV -------------------------------------------------------------------------------------------------------------
def to_csv(export: Export) -> bytes:
    """One row per feedback. UTF-8 with a byte order mark, so that Excel shows every script."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.header())
    for row in export.rows():
        writer.writerow([_defused(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _defused(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


# -- XLSX ------------------------------------------------------------------------------------------------------------
def to_xlsx(export: Export) -> bytes:
    from openpyxl import Workbook

    w, s = export.wording, export.summary
    book = Workbook()
    about = book.active
    about.title = w.text("sheet.about")
    _about_sheet(about, export)
    data = book.create_sheet(w.text("sheet.feedback"))
    _data_sheet(data, export)

    ratings = book.create_sheet(w.text("sheet.ratings"))
    _ratings_table(ratings, 1, export, s.ratings, "table.ratings", str, transpose=True)

    themes = book.create_sheet(w.text("sheet.themes"))
    _write(themes, 1, 1, w.text("table.themes"), bold=True)
    _write_row(themes, 2, [w.text("column.theme"), w.text("column.feedback")]
               + [w.text(f"column.percent_{sentiment}") for sentiment in SENTIMENTS]
               + [w.text("column.theme_description")], bold=True)
    for r, line in enumerate(s.themes.lines, start=3):
        _write_row(themes, r, [w.theme(line.key), _cell(export, line.total)]
                   + [_percent(line.share(sentiment)) for sentiment in SENTIMENTS] + [w.theme_description(line.key)])
    _percent_format(themes, 3, 3, len(SENTIMENTS))

    sheets = (
        ("sheet.themes_by_language", "table.themes_by_language", s.themes_by_language, w.theme, w.language),
        ("sheet.themes_by_ethnic_group", "table.themes_by_ethnic_group", s.themes_by_ethnic_group, w.theme,
         w.ethnic_group),
    )
    for sheet_key, title_key, table, line_label, column_label in sheets:
        sheet = book.create_sheet(w.text(sheet_key))
        _write(sheet, 1, 1, w.text(title_key), bold=True)
        _count_table(sheet, 2, export, table, line_label, column_label)

    by_group = book.create_sheet(w.text("sheet.ratings_by_ethnic_group"))
    _ratings_table(by_group, 1, export, s.ratings_by_ethnic_group, "table.ratings_by_ethnic_group", w.ethnic_group)
    by_month = book.create_sheet(w.text("sheet.by_month"))
    row = _ratings_table(by_month, 1, export, s.ratings_by_month, "table.ratings_by_month", str)
    _write(by_month, row + 1, 1, w.text("table.themes_by_month"), bold=True)
    _count_table(by_month, row + 2, export, s.themes_by_month, w.theme, str)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about_sheet(sheet, export: Export) -> None:
    w, s = export.wording, export.summary
    lines: list[tuple[str, object]] = [
        (w.text("title"), ""),
        (w.text("about.scope"), export.scope()),
        (w.text("about.generated"), export.generated.isoformat()),
        (w.text("headline.shared"), s.records),
        (w.text("headline.withheld"), s.withheld),
        (w.text("about.blanked"), len(export.rare)),
        (w.text("about.hidden_cells"), s.hidden),
        ("", ""),
    ]
    for n, (label, value) in enumerate(lines, start=1):
        _write_row(sheet, n, [label, value], bold=n == 1)
    row = len(lines) + 1
    for key in ("note.consent", "note.suppression", "note.blanked", "note.row_level", "note.anonymised"):
        _write(sheet, row, 1, w.text(key, min=export.min_cell))
        row += 1
    _write(sheet, row + 1, 1, w.text("table.languages"), bold=True)
    _count_table(sheet, row + 2, export, export.summary.languages, lambda key: w.text("line.all"), w.language)
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 40


def _data_sheet(sheet, export: Export) -> None:
    from openpyxl.styles import Alignment

    _write_row(sheet, 1, export.header(), bold=True)
    for r, row in enumerate(export.rows(), start=2):
        _write_row(sheet, r, row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    widths = {"went_well": 50, "went_well_en": 50, "could_be_better": 50, "could_be_better_en": 50, "themes": 40}
    for n, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=n).column_letter
        sheet.column_dimensions[letter].width = widths.get(column, 18)
        if column in widths:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _ratings_table(sheet, row: int, export: Export, table: Table, title_key: str, line_label,
                   transpose: bool = False) -> int:
    """Counts per rating, the total, and the Friends and Family Test "% positive"; returns the next free row.
    `transpose`: ratings down the first column (the overall table), else one line per row."""
    w = export.wording
    _write(sheet, row, 1, w.text(title_key), bold=True)
    if transpose:
        line = table.lines[0]
        _write_row(sheet, row + 1, [w.text("column.rating"), w.text("column.count"),
                                    w.text("column.percent_of_answered")], bold=True)
        r = row + 2
        for column in RATING_COLUMNS:
            share = line.share(column, of=RATING_COLUMNS[:-1]) if column != RATING_COLUMNS[-1] else None
            _write_row(sheet, r, [w.rating(column), _cell(export, line.cells[column]), _percent(share)])
            r += 1
        _write_row(sheet, r, [w.text("column.total"), _cell(export, line.total), ""], bold=True)
        _write_row(sheet, r + 1, [w.text("column.fft"), "", _percent(line.percent_positive())],
                   bold=True)
        _percent_format(sheet, row + 2, 3, 1)
        sheet.column_dimensions["A"].width = 30
        return r + 3
    header = [""] + [w.rating(column) for column in RATING_COLUMNS] + [w.text("column.total"),
                                                                       w.text("column.fft")]
    _write_row(sheet, row + 1, header, bold=True)
    r = row + 2
    for line in table.lines:
        _write_row(sheet, r, [line_label(line.key)] + [_cell(export, line.cells[c]) for c in RATING_COLUMNS]
                   + [_cell(export, line.total), _percent(line.percent_positive())])
        r += 1
    _percent_format(sheet, row + 2, len(header), 1)
    sheet.column_dimensions["A"].width = 40
    return r + 1


def _count_table(sheet, row: int, export: Export, table: Table, line_label, column_label) -> int:
    _write_row(sheet, row, [""] + [column_label(column) for column in table.columns] + [export.wording.text(
        "column.total")], bold=True)
    r = row + 1
    for line in table.lines:
        _write_row(sheet, r, [line_label(line.key)] + [_cell(export, line.cells[c]) for c in table.columns]
                   + [_cell(export, line.total)])
        r += 1
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 0, 40)
    return r


def _cell(export: Export, cell) -> int | str:
    return cell.count if cell.shown else export.wording.cell(cell.hidden, cell.count, export.min_cell)


def _percent(share: float | None) -> float | str:
    return "*" if share is None else round(share, 4)


def _percent_format(sheet, first_row: int, column: int, width: int) -> None:
    for row in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column + width - 1):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0%"


def _write_row(sheet, row: int, values: Sequence[object], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        _write(sheet, row, column, value, bold)


def _write(sheet, row: int, column: int, value: object, bold: bool = False) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula, whatever the text begins with
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)


def _combination(record: FeedbackRecord) -> tuple[str, ...]:
    return (record.site or "", record.stage or "", record.ethnic_group or "", record.age_band or "")
