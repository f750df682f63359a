"""Feedback from other sources (paper forms typed up, a survey tool, the trust's Friends and Family Test comments),
imported from a CSV file so the MVP hears it beside what women told doula, through the same anonymisation and
themes.

The file needs a ``text`` column; ``date`` (YYYY-MM-DD or DD/MM/YYYY) or ``month`` (YYYY-MM), ``rating``, ``site``,
``stage`` and ``language`` are optional (ratings and stages as codes or as the English answers women are offered,
ratings also as the Friends and Family Test's numbers 1-6). The whole file is checked before anything is stored: any
problem refuses the import, each problem named by its line, never quoting a cell (a misplaced column could put her
words in any of them).

Only the anonymised text is stored, never the raw one. A single comment is neither "what went well" nor "what could
be better": it is stored as the first when its tone is positive, else as the second, and reports label it
"Comment".
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from bot.services.feedback.labels import Wording, load_wording
from bot.services.feedback.store import RATINGS, STAGES, FeedbackRecord, FeedbackStore

MAX_TEXT = 5000
MAX_SITE = 80
MAX_PROBLEMS = 50
# The Friends and Family Test's own numbering of its answers.
FFT_NUMBERS = {"1": "very_good", "2": "good", "3": "neither", "4": "poor", "5": "very_poor", "6": "dont_know"}
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?$")
UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$")


class ImportRefused(Exception):
    """Nothing was imported: the file has these problems (each names a line, none quotes a cell)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass
class ImportResult:
    imported: int = 0
    empty: int = 0  # rows without text, skipped
    refused: int = 0  # still held identifying details after anonymisation: not stored
    undated: int = 0  # no date or month: given the month of the import
    undetected: int = 0  # language not given and not detected: stored as English
    redacted_rows: int = 0
    removed: Counter = field(default_factory=Counter)  # entity type -> how many were removed
    languages: Counter = field(default_factory=Counter)
    translation_failures: int = 0


@dataclass(frozen=True)
class _Row:
    line: int
    text: str
    month: str | None
    rating: str | None
    stage: str | None
    site: str | None
    language: str | None


def import_csv(path: Path, store: FeedbackStore, language: str | None = None, site: str | None = None,
               consent_mvp: bool = False, *, anonymiser: Any = None, classifier: Any = None, detector: Any = None,
               translator: Any = None, wording: Wording | None = None, today: date | None = None) -> ImportResult:
    """Import the feedback in the CSV file at `path`, all of it or (ImportRefused) none of it.

    `language` and `site` apply to rows that do not say; `consent_mvp` records that the source's respondents agreed
    to share their feedback with the MVP (without it, imported feedback stays out of MVP exports). The anonymiser,
    theme classifier and language detector default to the bot's own; `translator` (optional) adds the English
    machine translation of a non-English comment."""
    wording = wording or load_wording()
    codes = tuple(wording.languages)
    if language is not None and language.lower() not in codes:
        raise ImportRefused([f"--language must be one of {', '.join(codes)}"])
    if site is not None and len(site.strip()) > MAX_SITE:
        raise ImportRefused([f"--site is longer than {MAX_SITE} characters"])
    rows = read_rows(path, wording)
    if anonymiser is None:
        from bot.anonymise import anonymiser as default_anonymiser

        anonymiser = default_anonymiser()
    if classifier is None:
        from bot.services.feedback.themes import theme_classifier

        classifier = theme_classifier()
    if detector is None and language is None and any(row.language is None for row in rows if row.text):
        from bot.language.detect import detector_for

        detector = detector_for(codes)
    month_now = (today or datetime.now(timezone.utc).date()).strftime("%Y-%m")
    result = ImportResult()
    for row in rows:
        if not row.text:
            result.empty += 1
            continue
        her_language = row.language or (language.lower() if language else None)
        if her_language is None:
            found = detector.detect(row.text)
            her_language = found.language if found is not None and found.language in codes else None
            if her_language is None:
                result.undetected += 1
                her_language = "en"
        redaction = anonymiser.redact(row.text, her_language)
        if redaction.entities:
            result.redacted_rows += 1
            result.removed.update(entity.type for entity in redaction.entities)
        text = redaction.text
        classification = classifier.classify(text, her_language)
        english = None
        if translator is not None and her_language != "en":
            english = _english(translator, anonymiser, text, her_language, result)
        positive = classification.sentiment == "positive"
        if row.month is None:
            result.undated += 1
        record = FeedbackRecord(
            month=row.month or month_now, language=her_language, source="import",
            site=row.site or ((site or "").strip() or None), stage=row.stage, rating=row.rating,
            went_well=text if positive else None, went_well_en=english if positive else None,
            could_be_better=None if positive else text, could_be_better_en=None if positive else english,
            themes=[{"theme": m.theme, "sentiment": m.sentiment, "cues": list(m.cues)} for m in classification.themes],
            sentiment=classification.sentiment, consent_mvp=consent_mvp,
        )
        try:
            store.add(record)
        except ValueError:  # the store's own check found something the anonymiser should have removed
            result.refused += 1
            continue
        result.imported += 1
        result.languages[her_language] += 1
    return result


def read_rows(path: Path, wording: Wording) -> list[_Row]:
    """Every row of the file, checked; ImportRefused listing every problem if any."""
    text = _decode(path)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0] if sample else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [_key(name) for name in next(reader)]
    except StopIteration:
        raise ImportRefused(["the file is empty"]) from None
    if "text" not in header:
        raise ImportRefused(["line 1: the file needs a column named text (the comment)"])
    ratings, stages = _answers(wording, "rating", RATINGS), _answers(wording, "stage", STAGES)
    ratings.update(FFT_NUMBERS)
    languages = {code: code for code in wording.languages} | {_key(name): code
                                                              for code, name in wording.languages.items()}
    rows: list[_Row] = []
    problems: list[str] = []
    line = 2
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cells[n].strip() if n < len(cells) else "" for n, name in enumerate(header)}
        here = len(problems)
        rating = _lookup(values.get("rating"), ratings, start, "rating", RATINGS, problems)
        stage = _lookup(values.get("stage"), stages, start, "stage", STAGES, problems)
        her_language = _lookup(values.get("language"), languages, start, "language", tuple(wording.languages),
                               problems)
        month = _month(values.get("month"), values.get("date"), start, problems)
        row_site = values.get("site") or None
        if row_site and len(row_site) > MAX_SITE:
            problems.append(f"line {start}: the site is longer than {MAX_SITE} characters")
        comment = values.get("text", "")
        if len(comment) > MAX_TEXT:
            problems.append(f"line {start}: the text is longer than {MAX_TEXT} characters")
        if len(problems) == here:
            rows.append(_Row(start, comment, month, rating, stage, row_site, her_language))
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise ImportRefused(problems[:MAX_PROBLEMS] + ([f"... and {more} more"] if more > 0 else []))
    return rows


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):  # Excel's "CSV UTF-8", or its older Windows CSV
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(["the file is neither UTF-8 nor Windows text: save it as \"CSV UTF-8\""])


def _key(value: str) -> str:
    """A header or an answer, compared loosely: "Don't know" ~ "dont_know", "Labour and birth" ~ "labour_and_birth"."""
    value = value.strip().lower().replace("'", "").replace("’", "")
    return re.sub(r"[^\w]+", "_", value).strip("_")


def _answers(wording: Wording, kind: str, codes: Iterable[str]) -> dict[str, str]:
    label = wording.rating if kind == "rating" else wording.stage
    return {code: code for code in codes} | {_key(label(code)): code for code in codes}


def _lookup(value: str | None, known: dict[str, str], line: int, name: str, codes: Sequence[str],
            problems: list[str]) -> str | None:
    if not value:
        return None
    found = known.get(_key(value)) or known.get(value.strip().lower())
    if found is None:
        problems.append(f"line {line}: unknown {name} (use one of: {', '.join(codes)})")
    return found


def _month(month: str | None, when: str | None, line: int, problems: list[str]) -> str | None:
    if month:
        if MONTH.match(month):
            return month
        problems.append(f"line {line}: the month is not written YYYY-MM")
        return None
    if not when:
        return None
    iso, uk = ISO_DATE.match(when), UK_DATE.match(when)
    try:
        if iso:
            day = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        elif uk:
            day = date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
        else:
            raise ValueError
    except ValueError:
        problems.append(f"line {line}: the date is not a date written YYYY-MM-DD or DD/MM/YYYY")
        return None
    return day.strftime("%Y-%m")


def _english(translator: Any, anonymiser: Any, text: str, language: str, result: ImportResult) -> str | None:
    """The English machine translation of the (already anonymised) text, anonymised again; None if it failed."""
    from bot.services.translation import TranslationError

    try:
        english = translator.translate(text, language, "en")
    except TranslationError:
        result.translation_failures += 1
        return None
    return anonymiser.redact(english, "en").text
