"""The HTML report for MVP coordinators: one self-contained file (inline style and SVG charts; no script, no link to
anything) that opens in any browser and prints well.

Order: headline figures, four charts each with a plain explanation and its table, the themes, then the comments
grouped by theme (anonymised text, and the English machine translation when there is one), and notes on what was
left out or hidden. Comments come from the public, so every text is escaped (``html.escape``) on the way in; the
charts are drawn as paths (:mod:`.charts`). Ethnic group and age band are never shown beside a comment, only in the
aggregated tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape

from bot.services.feedback import charts
from bot.services.feedback.export import Export
from bot.services.feedback.labels import Wording
from bot.services.feedback.store import FeedbackRecord
from bot.services.feedback.summary import RATING_COLUMNS, SENTIMENTS, Cell, Table, theme_sentiments

NO_THEME = ""
NUMBER = re.compile(r"[\d<*%.,]*")  # a count, "<5", "*" or a percentage: right-aligned

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #212b32; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; }
h1 { color: #005eb8; } h2 { border-bottom: 2px solid #005eb8; padding-bottom: .2rem; margin-top: 2.5rem; }
.scope { color: #4c6272; }
.headline { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.headline li { background: #f0f4f5; border-left: 4px solid #005eb8; padding: .6rem 1rem; min-width: 12rem; }
.headline strong { display: block; font-size: 1.8rem; }
figure { margin: 1.5rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { background: #f0f4f5; padding: .6rem 1rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid #d8dde0; padding: .25rem .5rem; text-align: right; }
th:first-child, td:first-child, td.words { text-align: left; }
thead th { background: #f0f4f5; }
.comments { list-style: none; padding: 0; }
.comments li { border-left: 4px solid #d8dde0; padding: .3rem .8rem; margin: .8rem 0; }
.meta { color: #4c6272; font-size: .85rem; }
.label { font-weight: bold; } .translation { color: #4c6272; font-style: italic; }
.note { background: #fff9c4; padding: .6rem 1rem; }
@media print { h2 { page-break-before: auto; } figure, li { page-break-inside: avoid; } }
"""


def to_html(export: Export) -> str:
    """The whole report as one HTML document."""
    w = export.wording
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(w.text('title'))}: {_e(export.scope())}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(w.text('title'))}</h1>",
        f'<p class="scope">{_e(export.scope())}. {_e(w.text("report.generated", date=export.generated.isoformat()))}'
        "</p>",
        f"<p>{_e(w.text('report.intro'))}</p>",
        *_headline(export),
        *_figures(export),
        *_themes(export),
        *_comments(export),
        *_notes(export),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# -- sections --------------------------------------------------------------------------------------------------------
def _headline(export: Export) -> list[str]:
    w, s = export.wording, export.summary
    line = s.ratings.lines[0]
    positive = line.percent_positive()
    languages = s.languages.lines[0] if s.languages.lines else None
    figures = [
        (w.text("headline.shared"), str(s.records)),
        (w.text("headline.withheld"), str(s.withheld)),
        (w.text("headline.positive"), _percent(positive) if positive is not None else w.text("headline.too_few")),
        (w.text("headline.languages"), str(sum(1 for c in (languages.cells.values() if languages else ()) if c.count))),
    ]
    items = "".join(f"<li><strong>{_e(value)}</strong>{_e(label)}</li>" for label, value in figures)
    parts = [f"<h2 id=\"headline\">{_e(w.text('report.headline'))}</h2>", f'<ul class="headline">{items}</ul>',
             f"<p>{_e(w.text('headline.explain', min=s.min_cell))}</p>"]
    if languages is not None and s.languages.columns:
        parts.append(f"<h3>{_e(w.text('table.languages'))}</h3>")
        parts.append(_count_table(export, s.languages, lambda _: w.text("line.all"), w.language))
    return parts


def _figures(export: Export) -> list[str]:
    w, s = export.wording, export.summary
    parts = [f"<h2 id=\"figures\">{_e(w.text('report.figures'))}</h2>"]
    figures: list[tuple[str, str | None, str]] = [
        ("figure.ratings", charts.rating_distribution(s, w), _ratings_table(export)),
        ("figure.ratings_by_ethnic_group", charts.ratings_by_ethnic_group(s, w),
         _rating_lines(export, s.ratings_by_ethnic_group, w.ethnic_group)),
        ("figure.themes_by_language", charts.themes_by_language(s, w),
         _count_table(export, s.themes_by_language, w.theme, w.language)),
        ("figure.themes_over_time", charts.themes_over_time(s, w),
         _count_table(export, s.themes_by_month, w.theme, str)),
    ]
    for n, (key, chart, table) in enumerate(figures, start=1):
        parts.append(f'<figure id="{key.split(".")[1]}">')
        parts.append(f"<h3>{_e(w.text('figure.number', number=n, title=w.text(key + '.title')))}</h3>")
        parts.append(chart if chart is not None else f"<p>{_e(w.text('figure.empty'))}</p>")
        parts.append(f"<figcaption>{_e(w.text(key + '.explain', min=s.min_cell))}</figcaption>")
        parts.append(table)
        parts.append("</figure>")
    return parts


def _themes(export: Export) -> list[str]:
    w, s = export.wording, export.summary
    parts = [f"<h2 id=\"themes\">{_e(w.text('table.themes'))}</h2>", f"<p>{_e(w.text('themes.explain'))}</p>"]
    if not s.themes.lines:
        return parts + [f"<p>{_e(w.text('themes.none'))}</p>"]
    head = [w.text("column.theme"), w.text("column.feedback")] + [w.text(f"column.percent_{x}") for x in SENTIMENTS]
    head.append(w.text("column.theme_description"))
    rows = [[w.theme(line.key), _cell(export, line.total)] + [_percent(line.share(x)) for x in SENTIMENTS]
            + [w.theme_description(line.key)] for line in s.themes.lines]
    return parts + [_table(head, rows), f"<h3>{_e(w.text('table.themes_by_ethnic_group'))}</h3>",
                    f"<p>{_e(w.text('themes.by_ethnic_group', min=s.min_cell))}</p>",
                    _count_table(export, s.themes_by_ethnic_group, w.theme, w.ethnic_group)]


def _comments(export: Export) -> list[str]:
    w = export.wording
    parts = [f"<h2 id=\"comments\">{_e(w.text('report.comments'))}</h2>",
             f"<p>{_e(w.text('comments.explain'))}</p>"]
    groups: dict[str, list[FeedbackRecord]] = {line.key: [] for line in export.summary.themes.lines}
    groups[NO_THEME] = []
    for record in export.records:
        if not record.texts:
            continue
        for theme in theme_sentiments(record) or (NO_THEME,):
            groups.setdefault(theme, []).append(record)
    if not any(groups.values()):
        return parts + [f"<p>{_e(w.text('comments.none'))}</p>"]
    for theme, records in groups.items():
        if not records:
            continue
        title = w.theme(theme) if theme != NO_THEME else w.text("comments.no_theme")
        parts.append(f"<h3>{_e(w.text('comments.heading', theme=title, count=len(records)))}</h3>")
        parts.append('<ul class="comments">')
        parts.extend(_comment(record, w) for record in records)
        parts.append("</ul>")
    return parts


def _comment(record: FeedbackRecord, w: Wording) -> str:
    """One feedback's words, with only its language, stage and rating beside them (never ethnic group or age)."""
    meta = [w.language(record.language)]
    if record.stage:
        meta.append(w.stage(record.stage))
    if record.rating:
        meta.append(w.text("comments.rating", rating=w.rating(record.rating)))
    if record.source == "import":
        meta.append(w.text("source.import"))
    body = [f'<p class="meta">{_e(" · ".join(meta))}</p>']
    imported = record.source == "import"
    for field, label_key in (("went_well", "comments.went_well"), ("could_be_better", "comments.could_be_better")):
        text, english = getattr(record, field), getattr(record, f"{field}_en")
        if not text:
            continue
        label = w.text("comments.comment" if imported else label_key)
        body.append(f'<p><span class="label">{_e(label)}:</span> '
                    f'<span lang="{_e(record.language)}" dir="auto">{_e(text)}</span></p>')
        if english and record.language != "en":
            body.append(f'<p class="translation"><span class="label">{_e(w.text("comments.english"))}:</span> '
                        f'<span lang="en">{_e(english)}</span></p>')
    return "<li>" + "".join(body) + "</li>"


def _notes(export: Export) -> list[str]:
    w, s = export.wording, export.summary
    notes = [w.text("note.consent_count", count=s.withheld), w.text("note.suppression", min=s.min_cell),
             w.text("note.hidden_count", count=s.hidden), w.text("note.no_equality_beside_comments"),
             w.text("note.anonymised"), w.text("note.machine_translation")]
    return [f"<h2 id=\"notes\">{_e(w.text('report.notes'))}</h2>", '<div class="note">',
            *(f"<p>{_e(note)}</p>" for note in notes), "</div>"]


# -- tables ----------------------------------------------------------------------------------------------------------
def _ratings_table(export: Export) -> str:
    w = export.wording
    line = export.summary.ratings.lines[0]
    rows = [[w.rating(column), _cell(export, line.cells[column]),
             _percent(line.share(column, of=RATING_COLUMNS[:-1])) if column != RATING_COLUMNS[-1] else ""]
            for column in RATING_COLUMNS]
    rows.append([w.text("column.total"), _cell(export, line.total), ""])
    rows.append([w.text("column.fft"), "", _percent(line.percent_positive())])
    return _table([w.text("column.rating"), w.text("column.count"), w.text("column.percent_of_answered")], rows)


def _rating_lines(export: Export, table: Table, label: Callable[[str], str]) -> str:
    w = export.wording
    head = [""] + [w.rating(c) for c in RATING_COLUMNS] + [w.text("column.total"), w.text("column.fft")]
    rows = [[label(line.key)] + [_cell(export, line.cells[c]) for c in RATING_COLUMNS]
            + [_cell(export, line.total), _percent(line.percent_positive())]
            for line in table.lines if line.total.count]
    return _table(head, rows)


def _count_table(export: Export, table: Table, label: Callable[[str], str], column_label: Callable[[str], str]) -> str:
    head = [""] + [column_label(c) for c in table.columns] + [export.wording.text("column.total")]
    rows = [[label(line.key)] + [_cell(export, line.cells[c]) for c in table.columns] + [_cell(export, line.total)]
            for line in table.lines if line.total.count]
    return _table(head, rows)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    header = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(value)}</td>" if NUMBER.fullmatch(value) else
                                    f'<td class="words">{_e(value)}</td>' for value in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _cell(export: Export, cell: Cell) -> str:
    return export.wording.cell(cell.hidden, cell.count, export.min_cell)


def _percent(share: float | None) -> str:
    return "*" if share is None else f"{share:.0%}"


def _e(text: object) -> str:
    return escape(str(text), quote=True)

