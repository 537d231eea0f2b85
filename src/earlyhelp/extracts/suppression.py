"""Small-number suppression for counts that leave the council.

Counts from ``rule.min_count`` to ``rule.max_count`` are published as ``c``, the Department for
Education's symbol; zeros are published as they are. A table is published with its row, column
and grand totals, so each row and each column of the (R+1)x(C+1) grid is a linear constraint
(its cells sum to its total). Hiding the small values alone (primary suppression) is then not
enough: a value hidden alone in its line, or pinned down by several lines together, can be
worked out. Secondary suppression hides more values until no hidden value is determined by
what is published, checked exactly over the rationals.

Known limit, left alone: the check is about equations, not bounds. A reader who knows counts
are 0 or more, and that suppressed values are at least ``min_count``, can still bound them (two
hidden values summing to 2, both known to be suppressed, must each be 1). DfE practice accepts
this.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from earlyhelp.policy.schema import SmallNumberSuppression

SUPPRESSED = "c"

Position = tuple[int, int]
Grid = list[list[int]]


@dataclass(frozen=True)
class SuppressedTable:
    """A table as published: every value is a count as text, or ``SUPPRESSED``."""

    cells: list[list[str]]
    row_totals: list[str]
    column_totals: list[str]
    grand_total: str


def suppress_counts(counts: Sequence[int], rule: SmallNumberSuppression) -> list[str]:
    """Primary suppression only, for counts published without totals."""
    for index, count in enumerate(counts):
        _check_count(f"counts[{index}]", count)
    return [SUPPRESSED if _is_small(count, rule) else str(count) for count in counts]


def suppress_table(cells: Sequence[Sequence[int]], rule: SmallNumberSuppression) -> SuppressedTable:
    """Suppress a table and its totals so that no hidden value can be worked out."""
    grid = _grid(cells)
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    positions = [(i, j) for i in range(last_row + 1) for j in range(last_column + 1)]
    # Each line lists its members with its total last.
    lines = [[(i, j) for j in range(last_column + 1)] for i in range(last_row + 1)]
    lines += [[(i, j) for i in range(last_row + 1)] for j in range(last_column + 1)]
    hidden = {(i, j) for i, j in positions if _is_small(grid[i][j], rule)}
    while True:
        _hide_lone_values(grid, lines, hidden)
        found = _first_determined(lines, hidden)
        if found is None:
            break
        i, j = found
        nearby = [*lines[i], *lines[last_row + 1 + j]]
        # With everything hidden nothing is determined, so the fallback always finds a value.
        if not _hide_smallest(grid, hidden, nearby):
            _hide_smallest(grid, hidden, positions)
    shown = [
        [SUPPRESSED if (i, j) in hidden else str(value) for j, value in enumerate(row)]
        for i, row in enumerate(grid)
    ]
    return SuppressedTable(
        cells=[row[:-1] for row in shown[:-1]],
        row_totals=[row[-1] for row in shown[:-1]],
        column_totals=shown[-1][:-1],
        grand_total=shown[-1][-1],
    )


def _check_count(where: str, count: object) -> None:
    if not isinstance(count, int) or isinstance(count, bool):
        raise ValueError(f"{where}: {count!r} is not a whole number; counts are whole numbers")
    if count < 0:
        raise ValueError(f"{where}: {count} is negative; counts are 0 or more")


def _is_small(count: int, rule: SmallNumberSuppression) -> bool:
    return rule.min_count <= count <= rule.max_count


def _grid(cells: Sequence[Sequence[int]]) -> Grid:
    """The cells with each row's total appended and a last row of column and grand totals."""
    if not cells or not cells[0]:
        raise ValueError("cells: a table needs at least one row and one column")
    width = len(cells[0])
    for i, row in enumerate(cells):
        if len(row) != width:
            raise ValueError(
                f"cells[{i}]: has {len(row)} counts but cells[0] has {width}; "
                "every row needs the same number of columns"
            )
        for j, count in enumerate(row):
            _check_count(f"cells[{i}][{j}]", count)
    grid = [[*row, sum(row)] for row in cells]
    return [*grid, [sum(column) for column in zip(*grid, strict=True)]]


def _hide_smallest(grid: Grid, hidden: set[Position], candidates: Iterable[Position]) -> bool:
    """Hide the visible candidate whose loss costs least; False if none is visible."""
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1

    def cost(p: Position) -> tuple[bool, bool, int, Position]:
        # Hiding a zero rarely protects anything; totals are what readers most want.
        value = grid[p[0]][p[1]]
        return value == 0, p[0] == last_row or p[1] == last_column, value, p

    visible = [p for p in candidates if p not in hidden]
    if not visible:
        return False
    hidden.add(min(visible, key=cost))
    return True


def _hide_lone_values(grid: Grid, lines: list[list[Position]], hidden: set[Position]) -> None:
    """Until no line hides exactly one value, which its line would give away."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(p in hidden for p in line) == 1:
                changed = _hide_smallest(grid, hidden, line) or changed


def _first_determined(lines: list[list[Position]], hidden: set[Position]) -> Position | None:
    """The first hidden value that the published values fix, or None.

    With the visible values moved to the right-hand side, the lines are equations in the hidden
    values; x_k is fixed exactly when the unit vector e_k is a combination of those equations,
    that is, when adding e_k to them leaves their rank unchanged.
    """
    order = sorted(hidden)
    column = {p: k for k, p in enumerate(order)}
    equations = []
    for line in lines:
        equation = [Fraction(0)] * len(order)
        for p in line:
            if p in column:
                equation[column[p]] = Fraction(-1 if p == line[-1] else 1)
        equations.append(equation)
    rank = _rank(equations)
    for k, p in enumerate(order):
        unit = [Fraction(int(c == k)) for c in range(len(order))]
        if _rank([*equations, unit]) == rank:
            return p
    return None


def _rank(matrix: list[list[Fraction]]) -> int:
    """Exact rank by Gaussian elimination; the matrices here are a few dozen entries wide."""
    rows = [list(row) for row in matrix]
    rank = 0
    for c in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][c]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(rank + 1, len(rows)):
            if rows[r][c]:
                factor = rows[r][c] / rows[rank][c]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank
