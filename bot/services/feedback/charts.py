"""The report's charts, drawn with matplotlib (its object API on the Agg canvas: no pyplot, no GUI, safe in a
server thread) as SVG to put inline in the HTML. Text is drawn as paths, so the file needs no font and no viewer can
read markup into a label.

Every chart draws only what the protected summary shows (:mod:`.summary`): a hidden count is never drawn; where a
bar would need one, the hidden counts of that bar are drawn together as one grey hatched part, whose size (the total
minus the shown counts) anyone can work out anyway.
"""

from __future__ import annotations

import functools
import io
import math
import threading
from collections.abc import Callable
from typing import TypeVar

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.services.feedback.labels import Wording
from bot.services.feedback.summary import RATING_COLUMNS, Summary, Table

RATING_COLOURS = {"very_good": "#1b7837", "good": "#7fbf7b", "neither": "#e0e0e0", "poor": "#f1a340",
                  "very_poor": "#b2182b", "dont_know": "#9e9e9e", "none": "#f5f5f5"}
HIDDEN_COLOUR = "#bdbdbd"
LINE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
MAX_THEMES_OVER_TIME = len(LINE_COLOURS)
WIDTH = 8.0  # inches
STYLE = {"svg.fonttype": "path", "svg.hashsalt": "doula-feedback", "font.size": 9}
F = TypeVar("F", bound=Callable[..., "str | None"])


_DRAWING = threading.Lock()


def _styled(draw: F) -> F:
    """Draw in the report's style (settings matplotlib reads while drawing and saving), whatever the process's.
    The style is matplotlib's global state: one chart at a time (the console renders in threads)."""

    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        with _DRAWING, rc_context(STYLE):
            return draw(*args, **kwargs)

    return drawn  # type: ignore[return-value]


def svg(figure: Figure) -> str:
    """`figure` as an ``<svg>`` element (no XML prolog or DOCTYPE, which do not belong inside HTML)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH, height))
    FigureCanvasAgg(figure)
    return figure


@_styled
def rating_distribution(summary: Summary, w: Wording) -> str | None:
    """Bars: how many gave each rating. A hidden count gets no bar, only its "<5" or "*"."""
    line = summary.ratings.lines[0]
    if not line.total.count:
        return None
    columns = RATING_COLUMNS[:-1]
    figure = _figure(0.45 * len(columns) + 1)
    axes = figure.add_subplot()
    positions = range(len(columns))
    shown = [line.cells[c].count if line.cells[c].shown else 0 for c in columns]
    axes.barh(positions, shown, color=[RATING_COLOURS[c] for c in columns], edgecolor="#555555", linewidth=0.5)
    for y, column in zip(positions, columns, strict=True):
        cell = line.cells[column]
        axes.text(cell.count if cell.shown else 0, y, " " + w.cell(cell.hidden, cell.count, summary.min_cell),
                  va="center")
    axes.set_yticks(list(positions), [w.rating(c) for c in columns])
    axes.invert_yaxis()
    axes.set_xlabel(w.text("chart.feedback_count"))
    axes.set_xlim(0, max(shown + [1]) * 1.15)
    _tidy(axes)
    return svg(figure)


@_styled
def ratings_by_ethnic_group(summary: Summary, w: Wording) -> str | None:
    """One 100% bar per ethnic group, split by rating; the group's hidden counts together as one hatched part."""
    table = summary.ratings_by_ethnic_group
    lines = [line for line in table.lines if line.total.count]
    if not lines:
        return None
    figure = _figure(0.5 * len(lines) + 1.6)
    axes = figure.add_subplot()
    for y, line in enumerate(lines):
        if not line.total.shown:
            axes.text(0.01, y, w.text("chart.too_few", min=summary.min_cell), va="center", color="#555555")
            continue
        left = 0.0
        for column in RATING_COLUMNS:
            cell = line.cells[column]
            if cell.shown and cell.count:
                width = cell.count / line.total.count
                axes.barh(y, width, left=left, color=RATING_COLOURS[column], edgecolor="white", linewidth=0.5)
                left += width
        if left < 1 - 1e-9:
            axes.barh(y, 1 - left, left=left, color=HIDDEN_COLOUR, hatch="///", edgecolor="white", linewidth=0.5)
    axes.set_yticks(range(len(lines)), [f"{w.ethnic_group(line.key)} ({_total(line.total, w, summary)})"
                                        for line in lines])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    handles = [axes.bar(0, 0, color=RATING_COLOURS[c])[0] for c in RATING_COLUMNS]
    handles.append(axes.bar(0, 0, color=HIDDEN_COLOUR, hatch="///")[0])
    labels = [w.rating(c) for c in RATING_COLUMNS] + [w.text("chart.hidden", min=summary.min_cell)]
    axes.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False)
    _tidy(axes)
    return svg(figure)


@_styled
def themes_by_language(summary: Summary, w: Wording) -> str | None:
    """A grid: themes down, languages across, the count in each square ("<5" or "*" on grey when hidden)."""
    return _grid(summary.themes_by_language, summary, w, w.language)


@_styled
def themes_over_time(summary: Summary, w: Wording) -> str | None:
    """A line per frequent theme: feedback mentioning it each month. A hidden month is a gap in the line."""
    table = summary.themes_by_month
    lines = [line for line in table.lines if line.total.count][:MAX_THEMES_OVER_TIME]
    if not lines or not table.columns:
        return None
    figure = _figure(3.6)
    axes = figure.add_subplot()
    x = list(range(len(table.columns)))
    for colour, line in zip(LINE_COLOURS, lines, strict=False):  # the first few
        values = [line.cells[m].count if line.cells[m].shown else math.nan for m in table.columns]
        axes.plot(x, values, marker="o", color=colour, label=w.theme(line.key))
    axes.set_xticks(x, list(table.columns), rotation=45 if len(x) > 6 else 0, ha="right" if len(x) > 6 else "center")
    axes.set_ylabel(w.text("chart.feedback_count"))
    axes.set_ylim(bottom=0)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    _tidy(axes)
    return svg(figure)


def _grid(table: Table, summary: Summary, w: Wording, column_label: Callable[[str], str]) -> str | None:
    lines = [line for line in table.lines if line.total.count]
    if not lines or not table.columns:
        return None
    import numpy

    values = numpy.ma.masked_invalid([[line.cells[c].count if line.cells[c].shown else math.nan
                                       for c in table.columns] for line in lines])
    figure = _figure(0.35 * len(lines) + 1.4)
    axes = figure.add_subplot()
    from matplotlib import colormaps

    colours = colormaps["Blues"].with_extremes(bad=HIDDEN_COLOUR)
    axes.imshow(values, cmap=colours, aspect="auto", vmin=0, vmax=max(float(values.max() or 1), 1.0))
    top = float(values.max() or 1)
    for i, line in enumerate(lines):
        for j, column in enumerate(table.columns):
            cell = line.cells[column]
            dark = cell.shown and cell.count > 0.6 * top
            axes.text(j, i, w.cell(cell.hidden, cell.count, summary.min_cell), ha="center", va="center",
                      color="white" if dark else "black")
    axes.set_xticks(range(len(table.columns)), [column_label(c) for c in table.columns], rotation=30, ha="right")
    axes.set_yticks(range(len(lines)), [w.theme(line.key) for line in lines])
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    return svg(figure)


def _total(cell, w: Wording, summary: Summary) -> str:
    return w.cell(cell.hidden, cell.count, summary.min_cell)


def _tidy(axes) -> None:
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
