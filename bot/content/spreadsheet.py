"""A spreadsheet round trip for translators and clinical reviewers: `doula content export` and `doula content import`.

Translators and clinicians work in Excel, not YAML. The export puts every text the bot says in one sheet, one row per
text and a column per language with its translation status beside it; a second sheet lists each topic's clinical
review and reading level; a third each source with the date it was checked. The import reads the same workbook back,
refuses it whole if anything is wrong (an unknown row, a lost {placeholder}, a status that is not allowed, a change
that breaks `doula content check`), and otherwise writes only the YAML values that changed, keeping the files'
comments and layout (ruamel.yaml round trip).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import FoldedScalarString

from bot.content.catalog import read_catalog
from bot.content.models import CLINICAL_STATUSES, SECTIONS, TRANSLATION_STATUSES
from bot.content.readability import measure
from bot.content.render import placeholders
from bot.paths import CONTENT_DIR

# Message catalogs of one shape (meta + messages), one file per language: the label in the sheet and their folder.
# Every catalog of her texts is here, so that translators and reviewers see all of them in one workbook. (The DELETE
# and FEEDBACK keyword lists are not: a keyword change is a behaviour change, made in the YAML with its tests.)
CATALOGS = {"ui": "ui", "red_flags": "red_flags/advice", "handoff": "handoff/messages", "feedback": "feedback/messages",
            "privacy": "privacy", "security": "security/messages", "faults": "faults"}
TEXTS, TOPICS, SOURCES = "Texts", "Topics", "Sources"
FIXED = ("group", "key")  # the first columns of the Texts sheet; then `<lang>` and `<lang> status` per language
_WRAP = 110  # fold long texts near this width when writing YAML back


class ImportRefused(ValueError):
    """The workbook was not applied; `problems` says why, row by row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class ImportResult:
    changed_files: list[str] = field(default_factory=list)
    changed_values: int = 0
    warnings: list[str] = field(default_factory=list)


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, key order and block styles survive
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _folded(text: str) -> FoldedScalarString | str:
    """A long text as a folded block (`>-`) wrapped near _WRAP characters, as the files are written by hand."""
    if len(text) < 80 or "\n" in text:
        return text
    scalar = FoldedScalarString(text)
    folds, last = [], 0
    for index, char in enumerate(text):
        if char == " " and index - last > _WRAP - 10 and 0 < index < len(text) - 1 and text[index + 1] != " ":
            folds.append(index)
            last = index
    scalar.fold_pos = folds
    return scalar


# -- reading the content into rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One text of one language: where it lives in which file, and the group sharing its translation status."""

    path: Path  # file, relative to the content folder
    keys: tuple[str, ...]  # path to the value inside the file
    status_keys: tuple[str, ...]  # path to its translation status
    text: str
    status: str


def _rows(content_dir: Path, languages: list[str]) -> Iterator[tuple[str, str, dict[str, Cell]]]:
    """(group, key, {language: cell}) for every text, topics first (title and sections), then message catalogs."""
    yaml = _yaml()
    for path in sorted((content_dir / "topics").glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        rel = path.relative_to(content_dir)
        for key in ("title", *SECTIONS):
            cells = {}
            for code, text in (data.get("text") or {}).items():
                if text and text.get(key) is not None:
                    cells[code] = Cell(rel, ("text", code, key), ("text", code, "status"),
                                       str(text[key]).strip(), str(text.get("status", "")))
            yield f"topic:{data['id']}", key, cells
    for label, folder in CATALOGS.items():
        files = {code: content_dir / folder / f"{code}.yml" for code in languages}
        loaded = {code: yaml.load(p.read_text(encoding="utf-8")) for code, p in files.items() if p.exists()}
        reference = loaded.get(languages[0]) or {}
        for key in (reference.get("messages") or {}):
            cells = {}
            for code, data in loaded.items():
                value = (data.get("messages") or {}).get(key)
                if value is not None:
                    status = str((data.get("meta") or {}).get("translation_status", ""))
                    cells[code] = Cell(files[code].relative_to(content_dir), ("messages", key),
                                       ("meta", "translation_status"), str(value).strip(), status)
            yield label, key, cells


# -- export --------------------------------------------------------------------------------------------------------


def export_workbook(out: Path, content_dir: Path = CONTENT_DIR) -> dict[str, int]:
    """Write the workbook to `out`; returns the number of rows per sheet."""
    catalog = read_catalog(content_dir)
    languages = list(catalog.languages)
    book = Workbook()
    sheet = book.active
    sheet.title = TEXTS
    header = [*FIXED]
    for code in languages:
        header += [code, f"{code} status"]
    sheet.append(header)
    rows = 0
    for group, key, cells in _rows(content_dir, languages):
        row = [group, key]
        for code in languages:
            cell = cells.get(code)
            row += [cell.text if cell else "", cell.status if cell else ""]
        sheet.append(row)
        rows += 1
    _style(sheet, widths={1: 26, 2: 22}, text_width=48, status_width=15)
    for index, code in enumerate(languages):
        if catalog.languages[code].direction == "rtl":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=3 + 2 * index, max_col=3 + 2 * index):
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right", readingOrder=2)

    topics = book.create_sheet(TOPICS)
    topics.append(["topic", "stage", "order", "title (en)", "reading level target", "en reading ease",
                   "en grade", "clinical status", "reviewed by", "reviewed on"])
    sources = book.create_sheet(SOURCES)
    sources.append(["topic", "source", "publisher", "title", "section", "url", "published", "checked", "used by"])
    for topic in sorted(catalog.topics.values(), key=lambda t: (t.stage, t.order)):
        english = topic.texts.get(catalog.default_language)
        measured = measure(" ".join(english.sections.values())) if english else None
        topics.append([topic.id, topic.stage, topic.order, english.title if english else "", topic.reading_level,
                       round(measured.reading_ease, 1) if measured else None,
                       round(measured.grade, 1) if measured else None,
                       topic.clinical_status, topic.clinical_reviewed_by or "", topic.clinical_reviewed_on or ""])
        for sid, source in topic.sources.items():
            used = [s for s, refs in topic.section_sources.items() if sid in refs]
            sources.append([topic.id, sid, source.publisher, source.title, source.section or "", source.url,
                            source.published or "", source.checked or "", ", ".join(used)])
    _style(topics, widths={1: 34, 4: 34, 5: 34})
    _style(sources, widths={1: 30, 2: 26, 4: 44, 5: 30, 6: 60, 9: 40})
    readme = book.create_sheet("Read me", 0)
    for line in (
        "doula content: one row per text, a column per language and its translation status beside it.",
        "Edit texts and statuses in 'Texts'; clinical review in 'Topics'; the date you checked each source in "
        "'Sources' (YYYY-MM-DD).",
        f"Translation status: {', '.join(TRANSLATION_STATUSES)}. Clinical status: {', '.join(CLINICAL_STATUSES)} "
        "(approved needs reviewed by, reviewed on, and every source checked).",
        "Keep every {placeholder} exactly as in English. Do not add, remove or reorder rows or columns.",
        "Then: doula content import THIS_FILE.xlsx (it refuses the whole file if anything is wrong, and says what).",
    ):
        readme.append([line])
    readme.column_dimensions["A"].width = 120
    book.save(out)
    return {TEXTS: rows, TOPICS: topics.max_row - 1, SOURCES: sources.max_row - 1}


def _style(sheet, widths: dict[int, int], text_width: int = 0, status_width: int = 0) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.freeze_panes = "C2" if text_width else "B2"
    for column in range(1, sheet.max_column + 1):
        letter = sheet.cell(row=1, column=column).column_letter
        header = str(sheet.cell(row=1, column=column).value or "")
        if column in widths:
            sheet.column_dimensions[letter].width = widths[column]
        elif text_width and column > len(FIXED):
            sheet.column_dimensions[letter].width = status_width if header.endswith(" status") else text_width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


# -- import --------------------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _set(data, keys: tuple[str, ...], value) -> None:
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def _sheet_rows(book, name: str, problems: list[str]) -> tuple[list[str], list[tuple]]:
    if name not in book.sheetnames:
        problems.append(f"sheet {name!r} is missing")
        return [], []
    rows = list(book[name].iter_rows(values_only=True))
    if not rows:
        problems.append(f"sheet {name!r} is empty")
        return [], []
    return [_text(h) for h in rows[0]], rows[1:]


def import_workbook(path: Path, content_dir: Path = CONTENT_DIR) -> ImportResult:
    """Apply the workbook at `path` to `content_dir`, or raise ImportRefused without changing anything."""
    from bot.content.check import run_checks

    content_dir = Path(content_dir)
    catalog = read_catalog(content_dir)
    languages = list(catalog.languages)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a file that is not a workbook
        raise ImportRefused([f"{path}: not a readable .xlsx workbook ({exc.__class__.__name__})"]) from exc
    problems: list[str] = []
    result = ImportResult()
    edits: dict[Path, list[tuple[tuple[str, ...], object]]] = {}

    header, rows = _sheet_rows(book, TEXTS, problems)
    expected = [*FIXED] + [c for code in languages for c in (code, f"{code} status")]
    if header and header[: len(expected)] != expected:
        problems.append(f"sheet {TEXTS!r}: the columns must be {expected}")
        rows = []
    known = {(group, key): cells for group, key, cells in _rows(content_dir, languages)}
    statuses: dict[tuple[Path, str], set[str]] = {}
    english_changed: set[str] = set()
    for number, row in enumerate(rows, start=2):
        row = list(row) + [None] * (len(expected) - len(row))
        group, key = _text(row[0]), _text(row[1])
        if not group and not key and not any(row):
            continue
        cells = known.get((group, key))
        if cells is None:
            problems.append(f"{TEXTS} row {number}: unknown text {group} / {key} (rows cannot be added here)")
            continue
        reference = cells.get(catalog.default_language)
        for index, code in enumerate(languages):
            text, status = _text(row[2 + 2 * index]), _text(row[3 + 2 * index])
            cell = cells.get(code)
            where = f"{TEXTS} row {number} ({group} / {key}), {code}"
            if cell is None:
                if text:
                    problems.append(f"{where}: this language has no file or entry for it to go into")
                continue
            if not text:
                problems.append(f"{where}: the text is empty")
                continue
            if status not in TRANSLATION_STATUSES:
                problems.append(f"{where}: status {status!r} is not one of {TRANSLATION_STATUSES}")
                continue
            if reference and placeholders(text) != placeholders(reference.text if code != catalog.default_language
                                                                 else cell.text):
                problems.append(f"{where}: the {{placeholders}} differ from the English text")
                continue
            statuses.setdefault((cell.path, code), set()).add(status)
            if text != cell.text:
                edits.setdefault(cell.path, []).append((cell.keys, _folded(text)))
                if code == catalog.default_language:
                    english_changed.add(group)
            if status != cell.status:
                edits.setdefault(cell.path, []).append((cell.status_keys, status))
    for (file, code), found in sorted(statuses.items()):
        if len(found) > 1:
            problems.append(f"{TEXTS}: {file} {code} has different statuses on its rows ({', '.join(sorted(found))});"
                            " one file or topic language has one status")

    header, rows = _sheet_rows(book, TOPICS, problems)
    for number, row in enumerate(rows, start=2):
        values = dict(zip(header, row, strict=False))
        topic = catalog.topics.get(_text(values.get("topic")))
        if topic is None:
            problems.append(f"{TOPICS} row {number}: unknown topic {values.get('topic')!r}")
            continue
        status = _text(values.get("clinical status"))
        by, on = _text(values.get("reviewed by")), _text(values.get("reviewed on"))[:10]
        if status not in CLINICAL_STATUSES:
            problems.append(f"{TOPICS} row {number}: clinical status {status!r} is not one of {CLINICAL_STATUSES}")
            continue
        current = (topic.clinical_status, topic.clinical_reviewed_by or "", topic.clinical_reviewed_on or "")
        if (status, by, on) != current:
            file = Path("topics") / f"{topic.id}.yml"
            edits.setdefault(file, []).extend([
                (("clinical_review", "status"), status), (("clinical_review", "reviewed_by"), by or None),
                (("clinical_review", "reviewed_on"), on or None)])

    header, rows = _sheet_rows(book, SOURCES, problems)
    for number, row in enumerate(rows, start=2):
        values = dict(zip(header, row, strict=False))
        topic = catalog.topics.get(_text(values.get("topic")))
        sid = _text(values.get("source"))
        if topic is None or sid not in topic.sources:
            problems.append(f"{SOURCES} row {number}: unknown source {values.get('topic')!r} / {sid!r}")
            continue
        checked = _text(values.get("checked"))[:10] or None
        if checked != topic.sources[sid].checked:
            edits.setdefault(Path("topics") / f"{topic.id}.yml", []).append((("sources", sid, "checked"), checked))

    if problems:
        raise ImportRefused(problems)
    if not edits:
        return result

    before = set(run_checks(content_dir))
    yaml = _yaml()
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "content"
        shutil.copytree(content_dir, staged)
        for file, changes in edits.items():
            data = yaml.load((staged / file).read_text(encoding="utf-8"))
            for keys, value in changes:
                _set(data, keys, value)
            with (staged / file).open("w", encoding="utf-8") as handle:
                yaml.dump(data, handle)
        new = [p for p in run_checks(staged) if p not in before]
        if new:
            raise ImportRefused([f"content check after import: {p}" for p in new])
        for file, changes in edits.items():
            shutil.copyfile(staged / file, content_dir / file)
            result.changed_files.append(str(Path(content_dir.name) / file))
            result.changed_values += len(changes)
    for group in sorted(english_changed):
        result.warnings.append(f"{group}: the English text changed; check its translations still say the same")
    return result
