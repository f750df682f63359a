"""Small-number suppression: no count under the minimum is shown, and none can be worked out from what is shown."""

from __future__ import annotations

from bot.services.feedback.labels import load_wording
from bot.services.feedback.summary import BALANCE, SMALL, Table, protect, summarise, table
from tests.services.feedback.exports_support import record, theme

GROUPS = load_wording().ethnic_groups()


def test_a_small_count_is_hidden_with_a_balancing_one():
    assert protect([[4, 10, 20]], 5) == [[SMALL, BALANCE, None]]
    assert protect([[3, 2, 20]], 5) == [[SMALL, SMALL, None]], "two hidden counts protect each other"
    assert protect([[0, 10, 20]], 5) == [[None, None, None]], "zero identifies no one"
    line = table({"a": {"x": 3}}, ["a"], ["x", "y"], 5).lines[0]
    assert line.total.hidden == SMALL, "a line of one small count has a small total, hidden too"


def test_columns_are_protected_when_their_totals_are_published_elsewhere():
    matrix = [[4, 30], [20, 30], [25, 30]]
    assert protect(matrix, 5) == [[SMALL, BALANCE], [None, None], [None, None]]
    by_column = protect(matrix, 5, columns_too=True)
    assert sum(1 for row in by_column if row[0]) == 2, "the first column has two hidden counts"
    assert all(sum(1 for cell in row if cell) != 1 for row in by_column)


def test_the_balancing_rating_keeps_the_friends_and_family_test_score():
    counts = {"all": {"very_good": 3, "good": 40, "neither": 6, "poor": 8, "very_poor": 9}}
    line = table(counts, ["all"], ("very_good", "good", "neither", "poor", "very_poor", "dont_know", "none"), 5)
    line = line.lines[0]
    assert line.cells["very_good"].hidden == SMALL and line.cells["good"].hidden == BALANCE
    assert line.cells["neither"].shown, "the smallest count is not taken when a count of the same family can be"
    assert line.percent_positive() == 43 / 66
    assert line.share("very_good") is None and line.share("neither", of=("neither", "poor")) == 6 / 14


def test_a_sum_is_shown_only_when_it_reveals_nothing_hidden():
    line = table({"a": {"x": 3, "y": 10, "z": 20}}, ["a"], ["x", "y", "z"], 5).lines[0]
    assert line.safe_sum(["z"]) == 20
    assert line.safe_sum(["x", "y"]) == 13, "the total minus the shown counts: known anyway"
    assert line.safe_sum(["x", "z"]) is None, "would give x away"


def group_of_four() -> list:
    """Forty women of three groups, and four Black women who all rated their care very poor."""
    records = []
    for n in range(40):
        records.append(record(rating=("very_good", "good", "poor")[n % 3], ethnic_group=("asian.pakistani",
                              "white.british", None)[n % 3], language=("en", "ur", "pl")[n % 3],
                              themes=[theme("communication", "positive" if n % 2 else "negative")]))
    records += [record(rating="very_poor", ethnic_group="black.african", language="so",
                       themes=[theme("interpreters_language")]) for _ in range(4)]
    return records


def test_a_group_of_four_is_shown_as_under_five_and_cannot_be_derived():
    summary = summarise(group_of_four(), 0, ["2026-02"], 5, GROUPS, ("en", "pl", "ur", "so"))
    black = summary.ratings_by_ethnic_group.line("black")
    assert black.total.count == 4 and black.total.hidden == SMALL
    assert black.cells["very_poor"].hidden == SMALL
    assert load_wording().cell(black.total.hidden, 4, 5) == "<5"
    overall = summary.ratings.line("all")
    assert overall.cells["very_poor"].hidden == SMALL, "all the very poor ratings are theirs: 4, hidden overall"
    column = [line.cells["very_poor"] for line in summary.ratings_by_ethnic_group.lines
              if line.cells["very_poor"].count]
    assert len(column) == 1 and not column[0].shown
    assert summary.languages.line("all").cells["so"].hidden == SMALL
    assert summary.themes.line("interpreters_language").total.hidden == SMALL
    for table_ in summary.tables:
        assert_not_derivable(table_)


def assert_not_derivable(table_: Table) -> None:
    """No line (with a shown total) has exactly one hidden non-zero count."""
    for line in table_.lines:
        hidden = [cell for cell in line.cells.values() if cell.count and not cell.shown]
        assert len(hidden) != 1 or not line.total.shown, (table_.columns, line.key)
        assert all(cell.count >= line.min_cell for cell in line.cells.values() if cell.shown and cell.count)
