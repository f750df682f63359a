"""What the summaries of an export may show: counts by rating, theme, language, ethnic group and month, with
small-number suppression.

A count under the minimum (``DOULA_FEEDBACK_MIN_CELL``, 5 by default) is never shown: it is "small" and shown as
"<5". A line (a row of a table, whose total is shown) with exactly one hidden count would give it away by
subtraction, so its smallest other non-zero count is hidden too ("balance", shown as "*"). Tables whose column totals
are published in another table (ratings by ethnic group and by month: the overall ratings are their column totals)
are protected along columns as well, until no line has a single hidden count.

Percentages follow the same rule: a share is shown only when its count is, and a sum over several cells (answered
ratings, "very good + good") only when it reveals no hidden count beyond what the total already reveals (see
:meth:`Line.safe_sum`). Zero is shown: it identifies no one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.services.feedback.labels import NO_ANSWER, NOT_STATED
from bot.services.feedback.store import RATINGS, FeedbackRecord

SMALL, BALANCE = "small", "balance"
POSITIVE_RATINGS = ("very_good", "good")
RATING_COLUMNS = RATINGS + (NO_ANSWER,)
SENTIMENTS = ("positive", "negative", "other")  # other: mixed or neutral
# The sums the ratings tables show: "very good + good", and every answered rating.
RATING_FAMILIES = {rating: ("answered", "positive" if rating in POSITIVE_RATINGS else "other") for rating in RATINGS}
RATING_FAMILIES[NO_ANSWER] = ("none",)


@dataclass(frozen=True)
class Cell:
    count: int
    hidden: str | None = None  # None: shown; SMALL: under the minimum; BALANCE: hidden to protect a small one

    @property
    def shown(self) -> bool:
        return self.hidden is None


@dataclass(frozen=True)
class Line:
    """One row of a table: a count per column, and the row's total (the sum of its cells)."""

    key: str
    cells: dict[str, Cell]
    total: Cell
    min_cell: int

    def safe_sum(self, columns: Iterable[str]) -> int | None:
        """The sum of `columns`, if showing it reveals no hidden count: either none of them is hidden, or all of the
        line's hidden counts are among them and the total is shown (then the sum is the total minus shown counts,
        which anyone can already work out)."""
        columns = set(columns)
        hidden = {key for key, cell in self.cells.items() if not cell.shown}
        inside = hidden & columns
        if inside and (inside != hidden or not self.total.shown):
            return None
        return sum(self.cells[key].count for key in columns if key in self.cells)

    def share(self, column: str, of: Iterable[str] | None = None) -> float | None:
        """`column` as a fraction of the sum of `of` (default: the total), or None when it may not be shown."""
        cell = self.cells[column]
        if not cell.shown:
            return None
        base = (self.total.count if self.total.shown else None) if of is None else self.safe_sum(of)
        return None if not base else cell.count / base

    def percent_positive(self) -> float | None:
        """The Friends and Family Test score: (very good + good) / every answered rating, "don't know" included.
        None when fewer than the minimum answered or it would reveal a hidden count."""
        answered = self.safe_sum(RATINGS)
        positive = self.safe_sum(POSITIVE_RATINGS)
        if answered is None or positive is None or answered < self.min_cell:
            return None
        return positive / answered


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    lines: tuple[Line, ...]

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)

    @property
    def hidden(self) -> int:
        return sum(not cell.shown for line in self.lines for cell in [*line.cells.values(), line.total]
                   if cell.count)


@dataclass(frozen=True)
class Summary:
    """Every aggregated figure of one export, already protected."""

    records: int
    withheld: int
    min_cell: int
    months: tuple[str, ...]
    ratings: Table  # one line, "all"
    languages: Table  # one line, "all": feedback per language
    themes: Table  # a line per theme: positive, negative, other
    themes_by_language: Table
    themes_by_ethnic_group: Table
    ratings_by_ethnic_group: Table
    ratings_by_month: Table
    themes_by_month: Table

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.ratings, self.languages, self.themes, self.themes_by_language, self.themes_by_ethnic_group,
                self.ratings_by_ethnic_group, self.ratings_by_month, self.themes_by_month)

    @property
    def hidden(self) -> int:
        return sum(table.hidden for table in self.tables)


# -- protection ------------------------------------------------------------------------------------------------------
def protect(matrix: Sequence[Sequence[int]], min_cell: int, columns_too: bool = False,
            families: Sequence[tuple[str, ...]] | None = None) -> list[list[str | None]]:
    """Which cells of `matrix` to hide: under `min_cell` (SMALL), then, while a row (and with `columns_too` a
    column) has exactly one hidden non-zero count, its smallest other non-zero count (BALANCE).

    `families` (one key per column) steers the choice within a row: the balancing count is taken, if possible,
    from the hidden one's family (then the closest), so that sums over a family stay showable. For ratings, hiding
    "good" rather than "poor" next to a small "very good" keeps the Friends and Family Test score."""
    hidden: list[list[str | None]] = [[SMALL if 0 < count < min_cell else None for count in row] for row in matrix]
    height, width = len(matrix), len(matrix[0]) if matrix else 0
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    if columns_too:
        lines += [[(i, j) for i in range(height)] for j in range(width)]
    changed = True
    while changed:
        changed = False
        for positions in lines:
            hidden_here = [(i, j) for i, j in positions if hidden[i][j] and matrix[i][j]]
            if len(hidden_here) != 1:
                continue
            (_, hj), across = hidden_here[0], positions[0][0] == positions[-1][0]
            others = [(-_kinship(families, hj, j) if across else 0, matrix[i][j], n, (i, j))
                      for n, (i, j) in enumerate(positions) if not hidden[i][j] and matrix[i][j]]
            if others:  # none left: the total is that small count, and is hidden as such
                *_, (i, j) = min(others)
                hidden[i][j] = BALANCE
                changed = True
    return hidden


def _kinship(families: Sequence[tuple[str, ...]] | None, a: int, b: int) -> int:
    """How many leading parts the families of columns `a` and `b` share."""
    if families is None:
        return 0
    shared = 0
    for x, y in zip(families[a], families[b], strict=False):
        if x != y:
            break
        shared += 1
    return shared


def table(counts: dict[str, dict[str, int]], lines: Sequence[str], columns: Sequence[str], min_cell: int,
          columns_too: bool = False) -> Table:
    matrix = [[counts.get(line, {}).get(column, 0) for column in columns] for line in lines]
    families = [RATING_FAMILIES[column] for column in columns] if set(columns) <= set(RATING_FAMILIES) else None
    hidden = protect(matrix, min_cell, columns_too, families)
    built = []
    for line, row, flags in zip(lines, matrix, hidden, strict=True):
        total = sum(row)
        cells = {column: Cell(count, flag) for column, count, flag in zip(columns, row, flags, strict=True)}
        built.append(Line(line, cells, Cell(total, SMALL if 0 < total < min_cell else None), min_cell))
    return Table(tuple(columns), tuple(built))


# -- what is counted -------------------------------------------------------------------------------------------------
def ethnic_group_of(record: FeedbackRecord, groups: Sequence[str]) -> str:
    """The broad group of her answer (``asian.pakistani`` -> ``asian``): detailed groups would be almost all
    suppressed. Skipped or "prefer not to say" -> NOT_STATED."""
    group = (record.ethnic_group or "").split(".")[0]
    return group if group in groups else NOT_STATED


def theme_sentiments(record: FeedbackRecord) -> dict[str, str]:
    """theme -> positive | negative | other, once per feedback (a theme praised in one answer and criticised in the
    other is "other", as is a neutral mention)."""
    found: dict[str, set[str]] = {}
    for match in record.themes:
        theme = match.get("theme")
        if theme:
            found.setdefault(str(theme), set()).add(str(match.get("sentiment") or "neutral"))
    result = {}
    for theme, sentiments in found.items():
        polar = sentiments & {"positive", "negative", "mixed"}
        result[theme] = next(iter(polar)) if len(polar) == 1 and "mixed" not in polar else "other"
    return result


def _count(records: Iterable[FeedbackRecord], line_of: Callable[[FeedbackRecord], Iterable[str]],
           column_of: Callable[[FeedbackRecord, str], str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for record in records:
        for line in line_of(record):
            column = column_of(record, line)
            counts.setdefault(line, {}).setdefault(column, 0)
            counts[line][column] += 1
    return counts


def months_between(start: str, end: str) -> tuple[str, ...]:
    year, month = map(int, start.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def summarise(records: Sequence[FeedbackRecord], withheld: int, months: Sequence[str], min_cell: int,
              ethnic_groups: Sequence[str], languages: Sequence[str] = ()) -> Summary:
    """The protected summary of `records` (one export). `languages` gives the order of language columns."""
    groups = tuple(ethnic_groups) + (NOT_STATED,)
    present = {record.language for record in records}
    language_order = tuple(code for code in languages if code in present) + tuple(sorted(present - set(languages)))
    theme_count: dict[str, int] = {}
    for record in records:
        for theme in theme_sentiments(record):
            theme_count[theme] = theme_count.get(theme, 0) + 1
    themes = tuple(sorted(theme_count, key=lambda theme: (-theme_count[theme], theme)))

    def rating(record: FeedbackRecord, _: str = "") -> str:
        return record.rating if record.rating in RATINGS else NO_ANSWER

    def all_of(record: FeedbackRecord) -> tuple[str, ...]:
        return ("all",)

    def themes_of(record: FeedbackRecord) -> tuple[str, ...]:
        return tuple(theme_sentiments(record))

    def group(record: FeedbackRecord, _: str = "") -> str:
        return ethnic_group_of(record, ethnic_groups)

    return Summary(
        records=len(records), withheld=withheld, min_cell=min_cell, months=tuple(months),
        ratings=table(_count(records, all_of, rating), ("all",), RATING_COLUMNS, min_cell),
        languages=table(_count(records, all_of, lambda r, _: r.language), ("all",), language_order, min_cell),
        themes=table(_count(records, themes_of, lambda r, theme: theme_sentiments(r)[theme]), themes, SENTIMENTS,
                     min_cell),
        themes_by_language=table(_count(records, themes_of, lambda r, _: r.language), themes, language_order,
                                 min_cell),
        themes_by_ethnic_group=table(_count(records, themes_of, group), themes, groups, min_cell),
        ratings_by_ethnic_group=table(_count(records, lambda r: (group(r),), rating), groups, RATING_COLUMNS,
                                      min_cell, columns_too=True),
        ratings_by_month=table(_count(records, lambda r: (r.month,), rating), months, RATING_COLUMNS, min_cell,
                               columns_too=True),
        themes_by_month=table(_count(records, themes_of, lambda r, _: r.month), themes, months, min_cell),
    )
