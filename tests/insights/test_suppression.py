"""Small-number suppression: primary (1 to 4 shown as <5) and secondary (a complementary cell withheld
wherever a table's totals would give a suppressed count back by subtraction)."""

from __future__ import annotations

import itertools
import random

from residenthub.insights.suppression import SECONDARY, SUPPRESSED, Rate, protect, withheld_cells
from tests.insights.conftest import check_protected


def test_a_column_total_that_would_reveal_a_cell_withholds_the_smallest_other():
    raw = [["North", 3], ["South", 40], ["East", 12], ["All", 55]]
    shown = protect(raw, counts=(1,))
    # 55 - 40 - 12 = 3: East (the smallest other) is withheld too, as [c] (it is not under 5).
    assert shown == [["North", SUPPRESSED], ["South", 40], ["East", SECONDARY], ["All", 55]]
    check_protected(shown, raw, (1,))


def test_two_suppressed_cells_protect_each_other():
    raw = [["North", 3], ["South", 40], ["East", 2], ["All", 45]]
    assert protect(raw, counts=(1,)) == [["North", "<5"], ["South", 40], ["East", "<5"], ["All", 45]]


def test_no_total_no_secondary_suppression():
    raw = [["North", 3], ["South", 40]]
    assert protect(raw, counts=(1,), total_row=False) == [["North", "<5"], ["South", 40]]


def test_zeros_are_shown_and_never_chosen_while_a_non_zero_cell_is_left():
    raw = [["North", 0], ["South", 2], ["East", 0], ["West", 9], ["All", 11]]
    assert protect(raw, counts=(1,)) == [
        ["North", 0],
        ["South", "<5"],
        ["East", 0],
        ["West", "[c]"],
        ["All", 11],
    ]


def test_when_only_zeros_are_left_the_total_is_withheld():
    # Row A: 12 = 3 + 9, so 9 is withheld with the 3; column y is then 9 + 0 = 9: its total goes too.
    raw = [["A", 12, 3, 9], ["B", 0, 0, 0], ["All", 12, 3, 9]]
    shown = protect(raw, counts=(1, 2, 3), row_sums=[(1, (2, 3))])
    assert shown == [["A", 12, "<5", "[c]"], ["B", 0, 0, 0], ["All", 12, "<5", "[c]"]]
    check_protected(shown, raw, (1, 2, 3), row_sums=[(1, (2, 3))])
    # A row's parts all under 5 protect each other; no row is touched that need not be.
    assert protect([["Closed", 7, 0, 7]], counts=(1, 2, 3), row_sums=[(1, (2, 3))], total_row=False) == [
        ["Closed", 7, 0, 7]
    ]
    wide = [["Closed", 7, 3, 0, 4, 0]]
    shown = protect(wide, counts=(1, 2, 3, 4, 5), row_sums=[(1, (2, 3, 4, 5))], total_row=False)
    assert shown == [["Closed", 7, "<5", 0, "<5", 0]]


def test_row_and_column_sums_together_until_nothing_can_be_worked_out():
    # Closed = in time + late in every row; the All row sums the columns.
    raw = [
        ["Station", 20, 18, 2, Rate(18, 20, cells=(1, 2, 3))],
        ["Riverside", 30, 25, 5, Rate(25, 30, cells=(1, 2, 3))],
        ["Market", 40, 30, 10, Rate(30, 40, cells=(1, 2, 3))],
        ["All", 90, 73, 17, Rate(73, 90, cells=(1, 2, 3))],
    ]
    shown = protect(raw, counts=(1, 2, 3), row_sums=[(1, (2, 3))])
    station = shown[0]
    assert station[3] == SUPPRESSED and station[2] == SECONDARY  # 20 - 2 would give 18 back
    assert station[4] == SECONDARY  # and so would 90% of 20
    # The columns then need a second withheld cell each: Riverside (the smaller) gives one.
    assert shown[1][2] == SECONDARY and shown[1][3] == SECONDARY and shown[1][4] == SECONDARY
    assert shown[2] == ["Market", 40, 30, 10, 75.0]
    assert shown[3] == ["All", 90, 73, 17, 81.1]
    assert check_protected(shown, [r[:4] for r in raw], (1, 2, 3), row_sums=[(1, (2, 3))]) == 4


def test_a_rate_is_withheld_with_the_count_it_would_give_back_or_with_fewer_than_five_behind_it():
    raw = [["A", 10, 3, Rate(3, 10, cells=(2,))], ["B", 4, 4, Rate(4, 4, cells=(2,))]]
    shown = protect(raw, counts=(1, 2), total_row=False)
    assert shown[0] == ["A", 10, "<5", SECONDARY]
    assert shown[1] == ["B", "<5", "<5", SECONDARY]
    assert protect([["C", 0, 0, Rate(0, 0)]], counts=(1, 2), total_row=False) == [["C", 0, 0, ""]]


def test_random_tables_never_leave_one_withheld_cell_in_a_sum():
    rng = random.Random(86)
    for _ in range(300):
        rows, cols = rng.randint(1, 6), rng.randint(2, 5)
        body = [
            [f"r{r}", *(rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 20, 60]) for _ in range(cols))]
            for r in range(rows)
        ]
        for row in body:
            row.insert(1, sum(row[1:]))  # column 1 is the row's total
        table = [*body, ["All", *(sum(r[c] for r in body) for c in range(1, cols + 2))]]
        counts = tuple(range(1, cols + 2))
        sums = [(1, tuple(range(2, cols + 2)))]
        shown = protect(table, counts=counts, row_sums=sums)
        check_protected(shown, table, counts, row_sums=sums)
        assert protect(table, counts=counts, row_sums=sums) == shown  # the same table every time


def test_withheld_cells_primary_and_secondary_apart():
    values = {(0, 0): 3, (1, 0): 8, (2, 0): 11}
    primary, secondary = withheld_cells(values, [((2, 0), [(0, 0), (1, 0)])])
    assert primary == {(0, 0)} and secondary == {(1, 0)}
    # Every cell of every equation is a cell of the table, whatever order they come in.
    for perm in itertools.permutations([(0, 0), (1, 0)]):
        assert withheld_cells(values, [((2, 0), list(perm))]) == (primary, secondary)
