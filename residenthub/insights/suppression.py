"""Small-number suppression, primary and secondary (docs/adr/0083-suppression.md, 0086).

Primary: a count from 1 to 4 is withheld and shown as ``<5``.

Secondary: a table whose totals are shown would let anyone work a withheld count out by
subtraction (the "All" row minus the other rows; a row's total minus its other parts). Every such
equation of the table (a column summing to the total row, a row's parts summing to its total) must
then hold no withheld cell or at least two. Where one holds exactly one, a complementary cell of the
same equation is withheld too (the smallest non-zero part, else the total), shown as ``[c]``, and
the rule is applied again until no equation holds exactly one.

A rate is withheld whenever a count it is made of is withheld (a percentage and its denominator give
the numerator back), and when fewer than 5 cases are behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED = "<5"
SECONDARY = "[c]"
WITHHELD = (SUPPRESSED, SECONDARY)
NOTE = (
    "<5: a count from 1 to 4, withheld so that no resident can be identified. [c]: withheld as well, "
    "so that a count under 5 cannot be worked out from the totals."
)

Cell = tuple[int, int]


def suppress(n: int):
    """Primary suppression of one count on its own."""
    return SUPPRESSED if 0 < n < THRESHOLD else n


def rate(numerator: int, denominator: int, digits: int = 1):
    """A percentage, or ``<5`` when fewer than 5 cases are behind it, or "" with nothing to divide."""
    if denominator == 0:
        return ""
    if denominator < THRESHOLD:
        return SUPPRESSED
    return round(100.0 * numerator / denominator, digits)


@dataclass(frozen=True)
class Rate:
    """A percentage cell of a protected table: withheld (``[c]``) when any count column in ``cells``
    of its row is withheld, else as ``rate``."""

    numerator: int
    denominator: int
    cells: tuple[int, ...] = ()
    digits: int = 1


def withheld_cells(
    values: dict[Cell, int], equations: Iterable[tuple[Cell, Sequence[Cell]]]
) -> tuple[set[Cell], set[Cell]]:
    """(primary, secondary) withheld cells of a table of counts ``values`` whose ``equations`` say
    ``values[total] == sum(values[part] for part in parts)``."""
    primary = {cell for cell, v in values.items() if 0 < v < THRESHOLD}
    hidden = set(primary)
    equations = [(total, tuple(parts)) for total, parts in equations if total in values]
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            members = [total, *(p for p in parts if p in values)]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            visible_parts = [p for p in members[1:] if p not in hidden]
            nonzero = sorted((values[p], p) for p in visible_parts if values[p] > 0)
            if nonzero:
                choice = nonzero[0][1]
            elif total not in hidden:
                choice = total
            elif visible_parts:
                choice = visible_parts[0]  # all zero: hiding one leaves a range, not a number
            else:
                continue
            hidden.add(choice)
            changed = True
    return primary, hidden - primary


def protect(
    rows: list[list],
    *,
    counts: Sequence[int],
    row_sums: Sequence[tuple[int, Sequence[int]]] = (),
    total_row: bool = True,
) -> list[list]:
    """The table ``rows`` as shown: counts in the columns ``counts`` suppressed (primary and
    secondary), ``Rate`` cells worked out or withheld, everything else as given.

    ``total_row``: the last row is the sum of the others in every count column. ``row_sums``:
    (total column, part columns) within each row (e.g. closed = in time + late)."""
    values: dict[Cell, int] = {
        (r, c): row[c] for r, row in enumerate(rows) for c in counts if isinstance(row[c], int)
    }
    equations: list[tuple[Cell, list[Cell]]] = []
    if total_row and len(rows) > 1:
        last = len(rows) - 1
        equations += [((last, c), [(r, c) for r in range(last)]) for c in counts]
    for r in range(len(rows)):
        equations += [((r, t), [(r, p) for p in parts]) for t, parts in row_sums]
    primary, secondary = withheld_cells(values, equations)
    shown = []
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            if (r, c) in primary:
                out.append(SUPPRESSED)
            elif (r, c) in secondary:
                out.append(SECONDARY)
            elif isinstance(value, Rate):
                hidden = any((r, k) in primary or (r, k) in secondary for k in value.cells)
                out.append(SECONDARY if hidden else rate(value.numerator, value.denominator, value.digits))
            else:
                out.append(value)
        shown.append(out)
    return shown


def is_withheld(value) -> bool:
    return isinstance(value, str) and value in WITHHELD
