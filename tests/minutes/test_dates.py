"""Due dates as minutes say them, against the meeting date (Monday 2 March 2026), UK readings."""

import datetime as dt

import pytest

from residenthub.minutes import dates

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("by 21/05/2026", "2026-05-21"),  # day first, as in the UK
        ("by 3/4/26", "2026-04-03"),
        ("by 21.05.2026", "2026-05-21"),
        ("by 2026-05-21", "2026-05-21"),
        ("by the 21st of May", "2026-05-21"),
        ("by May the twenty-first", "2026-05-21"),
        ("by Thursday the twenty first of May", "2026-05-21"),
        ("by 21 Sept", "2026-09-21"),
        ("by 1 February", "2027-02-01"),  # already past: next year
        ("by the end of the month", "2026-03-31"),
        ("by the end of next month", "2026-04-30"),
        ("by the end of the week", "2026-03-06"),
        ("by the end of the quarter", "2026-03-31"),
        ("by the end of January", "2027-01-31"),
        ("within two weeks", "2026-03-16"),
        ("in three weeks' time", "2026-03-23"),
        ("in a fortnight", "2026-03-16"),
        ("within a month", "2026-04-02"),
        ("by Friday", "2026-03-06"),
        ("by this Friday", "2026-03-06"),
        ("by next Friday", "2026-03-13"),
        ("Friday week", "2026-03-13"),
        ("by Monday", "2026-03-09"),  # never the meeting day itself
        ("tomorrow", "2026-03-03"),
        ("for the next meeting", "2026-03-30"),
        ("as soon as possible", None),
        ("the first phase of the work", None),
    ],
)
def test_due_dates(text, due):
    got = dates.find_due_date(text, MONDAY)
    assert (got.isoformat() if got else None) == due


def test_month_arithmetic_keeps_to_the_month_end():
    assert dates.find_due_date("within one month", dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert dates.find_due_date("by the end of next month", dt.date(2026, 12, 10)) == dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # Two dates: the deadline is the one after "by" / "before" / "no later than".
        ("prepare a note on the 5th of November by 20 March", "2026-03-20"),
        ("share the 1 April figures before the end of the month", "2026-03-31"),
        ("on 10 March, circulate the survey results no later than 24 March", "2026-03-24"),
        # A "by" with no date after it: the date said elsewhere stands.
        ("update the plan set by the board on 12 March", "2026-03-12"),
        ("present the report on 10 March, delayed by two weeks", "2026-03-10"),
    ],
)
def test_the_deadline_is_the_date_after_by(text, due):
    assert dates.find_due_date(text, MONDAY).isoformat() == due
