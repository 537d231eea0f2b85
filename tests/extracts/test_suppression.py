"""Small-number suppression: small counts are hidden, and nothing hidden can be worked out.

The safety check here is independent of the module's linear algebra. A table's published
values are fixed exactly when no other table agrees with everything published; so for each
hidden value the test builds such another table (a "witness") that differs there. Hidden
positions are edges of a graph joining their row and their column (totals are a last row and a
last column); moving +1/-1 alternately round a cycle of hidden values keeps every line's sum, so
any hidden value on a cycle has a witness, and one on no cycle (a bridge) is fixed.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from earlyhelp.extracts.suppression import (
    SUPPRESSED,
    SuppressedTable,
    suppress_counts,
    suppress_table,
)
from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.schema import SmallNumberSuppression

CAMDEN = Path(__file__).resolve().parents[2] / "policies" / "camden.toml"
Position = tuple[int, int]


@pytest.fixture(scope="module")
def camden() -> SmallNumberSuppression:
    return load_policy(CAMDEN).statistics.small_number_suppression


def _rule(min_count: int, max_count: int) -> SmallNumberSuppression:
    return SmallNumberSuppression(min_count=min_count, max_count=max_count, rationale="x")


def _with_totals(cells: list[list[int]]) -> list[list[int]]:
    """The cells with row totals appended and a last row of column totals and the grand total."""
    grid = [[*row, sum(row)] for row in cells]
    return [*grid, [sum(row[j] for row in grid) for j in range(len(grid[0]))]]


def _published(table: SuppressedTable) -> list[list[str]]:
    grid = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    return [*grid, [*table.column_totals, table.grand_total]]


def _hidden(table: SuppressedTable) -> list[Position]:
    return [
        (i, j)
        for i, row in enumerate(_published(table))
        for j, value in enumerate(row)
        if value == SUPPRESSED
    ]


def _witness(
    cells: list[list[int]], hidden: list[Position], target: Position
) -> list[list[int]] | None:
    """Another table agreeing on every value not in ``hidden`` but differing at ``target``.

    None when ``target`` is on no cycle of hidden positions, i.e. the published values fix it.
    Witness counts may be negative: this is about equations, not bounds.
    """
    last_row, last_column = len(cells), len(cells[0])
    edges = [p for p in hidden if p != target]
    # Breadth-first search from target's column to target's row without using target itself.
    start, goal = ("column", target[1]), ("row", target[0])
    came_from: dict[tuple[str, int], tuple[tuple[str, int], Position] | None] = {start: None}
    queue = deque([start])
    while queue and goal not in came_from:
        kind, index = queue.popleft()
        for i, j in edges:
            if (kind == "row" and i == index) or (kind == "column" and j == index):
                after = ("column", j) if kind == "row" else ("row", i)
                if after not in came_from:
                    came_from[after] = ((kind, index), (i, j))
                    queue.append(after)
    if goal not in came_from:
        return None
    cycle, node = [target], goal
    while (step := came_from[node]) is not None:
        node, edge = step
        cycle.append(edge)
    # Totals sit on the other side of their equations, hence the sign for the last row/column.
    changed = [row[:] for row in cells]
    for n, (i, j) in enumerate(cycle):
        sign = (-1) ** n * (-1 if i == last_row else 1) * (-1 if j == last_column else 1)
        if i < last_row and j < last_column:
            changed[i][j] += sign
    return changed


def _assert_nothing_hidden_is_fixed(cells: list[list[int]], table: SuppressedTable) -> None:
    truth, hidden = _with_totals(cells), _hidden(table)
    for target in hidden:
        witness = _witness(cells, hidden, target)
        assert witness is not None, f"hidden value at {target} is fixed by the published values"
        other = _with_totals(witness)
        for i, row in enumerate(truth):
            for j, value in enumerate(row):
                if (i, j) not in hidden:
                    assert other[i][j] == value, (target, (i, j))
        assert other[target[0]][target[1]] != truth[target[0]][target[1]]


# Single lists of counts.


def test_count_of_three_is_shown_as_c(camden: SmallNumberSuppression) -> None:
    assert SUPPRESSED == "c"
    assert suppress_counts([3], camden) == ["c"]


def test_zero_is_shown_as_zero_and_big_counts_as_themselves(
    camden: SmallNumberSuppression,
) -> None:
    assert suppress_counts([0, 3, 12], camden) == ["0", "c", "12"]


def test_counts_from_min_to_max_inclusive_are_suppressed(camden: SmallNumberSuppression) -> None:
    assert (camden.min_count, camden.max_count) == (1, 5)
    assert suppress_counts([0, 1, 5, 6], camden) == ["0", "c", "c", "6"]


def test_thresholds_come_from_the_policy_object() -> None:
    assert suppress_counts([7, 11], _rule(1, 10)) == ["c", "11"]
    assert suppress_counts([7], _rule(1, 5)) == ["7"]


def test_a_single_list_gets_no_secondary_suppression(camden: SmallNumberSuppression) -> None:
    assert suppress_counts([3, 40, 50], camden) == ["c", "40", "50"]


def test_a_negative_count_in_a_list_is_refused_naming_it(camden: SmallNumberSuppression) -> None:
    with pytest.raises(ValueError, match=r"^counts\[1\]: -2 is negative; counts are 0 or more$"):
        suppress_counts([4, -2], camden)


# Tables.


def test_a_table_with_no_small_values_is_published_in_full(
    camden: SmallNumberSuppression,
) -> None:
    table = suppress_table([[10, 0], [7, 20]], camden)
    assert table == SuppressedTable(
        cells=[["10", "0"], ["7", "20"]],
        row_totals=["10", "27"],
        column_totals=["17", "20"],
        grand_total="37",
    )


def test_a_lone_suppressed_cell_in_a_row_takes_the_next_smallest_with_it(
    camden: SmallNumberSuppression,
) -> None:
    # 3 alone in row 0 would be 25 - 10 - 12; 10 goes with it, then 9 and 8 close the columns.
    table = suppress_table([[3, 10, 12], [9, 8, 15]], camden)
    assert table == SuppressedTable(
        cells=[["c", "c", "12"], ["c", "c", "15"]],
        row_totals=["25", "32"],
        column_totals=["12", "18", "27"],
        grand_total="57",
    )


def test_totals_in_the_suppression_range_are_suppressed(camden: SmallNumberSuppression) -> None:
    table = suppress_table([[2, 0], [0, 30]], camden)
    assert table.row_totals[0] == SUPPRESSED
    assert table.column_totals[0] == SUPPRESSED
    assert table.cells[0][0] == SUPPRESSED
    _assert_nothing_hidden_is_fixed([[2, 0], [0, 30]], table)


def test_a_total_is_hidden_when_it_is_the_only_way_to_protect_a_cell(
    camden: SmallNumberSuppression,
) -> None:
    # One column: each cell would be its row total, so the row totals must go too.
    table = suppress_table([[3], [40]], camden)
    assert table.cells == [["c"], ["c"]]
    assert table.row_totals == ["c", "c"]
    assert (table.column_totals, table.grand_total) == (["43"], "43")


def test_the_bridge_between_two_hidden_cycles_is_also_protected(
    camden: SmallNumberSuppression,
) -> None:
    cells = [
        [2, 3, 20, 20],
        [4, 1, 2, 20],
        [20, 20, 3, 4],
        [20, 20, 5, 1],
    ]
    primary = [(i, j) for i, row in enumerate(cells) for j, value in enumerate(row) if value <= 5]
    # Every row and column hides 0 or at least 2 values, yet cells[1][2] is fixed: rows 0-1 sum
    # to 72, of which 60 is visible and 10 is columns 0-1 (their totals less rows 2-3).
    truth = _with_totals(cells)
    assert truth[0][4] + truth[1][4] - 60 - (truth[4][0] + truth[4][1] - 80) == cells[1][2]
    assert _witness(cells, primary, (1, 2)) is None
    table = suppress_table(cells, camden)
    assert set(primary) < set(_hidden(table))
    _assert_nothing_hidden_is_fixed(cells, table)


def test_no_suppressed_cell_can_be_recovered_from_the_totals(
    camden: SmallNumberSuppression,
) -> None:
    cells = [[1, 12, 9], [14, 4, 30], [6, 7, 0]]
    table = suppress_table(cells, camden)
    _assert_nothing_hidden_is_fixed(cells, table)


def test_suppression_is_deterministic(camden: SmallNumberSuppression) -> None:
    cells = [[1, 12, 12], [12, 12, 12], [12, 12, 12]]
    assert suppress_table(cells, camden) == suppress_table(cells, camden)
    # Ties go to the first position: row 0 gives up its first 12, column 0 its first 12.
    assert suppress_table(cells, camden).cells[0][:2] == ["c", "c"]
    assert suppress_table(cells, camden).cells[1][0] == "c"


def test_a_negative_cell_is_refused_naming_it(camden: SmallNumberSuppression) -> None:
    message = r"^cells\[1\]\[2\]: -1 is negative; counts are 0 or more$"
    with pytest.raises(ValueError, match=message):
        suppress_table([[1, 2, 3], [4, 5, -1]], camden)


def test_ragged_rows_are_refused_naming_the_row(camden: SmallNumberSuppression) -> None:
    with pytest.raises(ValueError, match=r"^cells\[2\]: has 2 counts but cells\[0\] has 3; every"):
        suppress_table([[1, 2, 3], [4, 5, 6], [7, 8]], camden)


def test_an_empty_table_is_refused(camden: SmallNumberSuppression) -> None:
    with pytest.raises(ValueError, match=r"^cells: a table needs at least one row and one column"):
        suppress_table([], camden)
    with pytest.raises(ValueError, match=r"^cells: a table needs"):
        suppress_table([[]], camden)


def test_a_count_that_is_not_a_whole_number_is_refused(camden: SmallNumberSuppression) -> None:
    with pytest.raises(ValueError, match=r"^cells\[0\]\[1\]: 2\.5 is not a whole number"):
        suppress_table([[1, 2.5]], camden)  # type: ignore[list-item]


def test_the_published_table_cannot_be_changed(camden: SmallNumberSuppression) -> None:
    table = suppress_table([[10]], camden)
    with pytest.raises(AttributeError):
        table.grand_total = "11"  # type: ignore[misc]


# Properties over random small tables.


def _how_much_hidden(table: SuppressedTable) -> str:
    hidden = len(_hidden(table))
    return (
        "nothing hidden" if not hidden else "one value hidden" if hidden == 1 else "several hidden"
    )


# Counts: about half drawn small (0 to 6), where every rule below suppresses some, so most
# tables have something to hide and the properties below are tested on it.
counts = st.integers(0, 6) | st.integers(0, 30)
tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=5
    )
)
rules = st.one_of(
    st.just(_rule(1, 5)),
    st.integers(0, 3).flatmap(lambda low: st.builds(_rule, st.just(low), st.integers(low, 12))),
)


@given(tables, rules)
def test_every_published_value_is_the_true_value(
    cells: list[list[int]], rule: SmallNumberSuppression
) -> None:
    truth, table = _with_totals(cells), suppress_table(cells, rule)
    event(_how_much_hidden(table))
    for published_row, true_row in zip(_published(table), truth, strict=True):
        for published, value in zip(published_row, true_row, strict=True):
            assert published in (SUPPRESSED, str(value))


@given(tables, rules)
def test_every_value_in_the_suppression_range_is_shown_as_c(
    cells: list[list[int]], rule: SmallNumberSuppression
) -> None:
    truth = _with_totals(cells)
    in_range = sum(rule.min_count <= value <= rule.max_count for row in truth for value in row)
    event("some values in the range" if in_range else "no value in the range")
    for published_row, true_row in zip(_published(suppress_table(cells, rule)), truth, strict=True):
        for published, value in zip(published_row, true_row, strict=True):
            if rule.min_count <= value <= rule.max_count:
                assert published == SUPPRESSED


@given(tables, rules)
def test_no_hidden_value_is_determined_by_the_published_values(
    cells: list[list[int]], rule: SmallNumberSuppression
) -> None:
    table = suppress_table(cells, rule)
    event(_how_much_hidden(table))
    _assert_nothing_hidden_is_fixed(cells, table)


@given(st.lists(counts, max_size=10), rules)
def test_a_list_hides_exactly_the_counts_in_range(
    counts: list[int], rule: SmallNumberSuppression
) -> None:
    expected = [SUPPRESSED if rule.min_count <= n <= rule.max_count else str(n) for n in counts]
    event("some counts hidden" if SUPPRESSED in expected else "nothing hidden")
    assert suppress_counts(counts, rule) == expected
