import datetime as dt

import pytest

from residenthub.core.calendar import add_working_days, is_working_day, working_days_between
from residenthub.core.models import ClosureDay

pytestmark = pytest.mark.django_db

D = dt.date


def test_day_one_is_the_first_working_day_after_receipt():
    # Received Friday 6 November 2026: one working day is Monday 9th.
    assert add_working_days(D(2026, 11, 6), 1) == D(2026, 11, 9)
    assert add_working_days(D(2026, 11, 6), 0) == D(2026, 11, 6)


def test_weekend_receipt_counts_from_monday():
    assert add_working_days(D(2026, 11, 7), 1) == D(2026, 11, 9)  # Saturday
    assert add_working_days(D(2026, 11, 8), 5) == D(2026, 11, 13)  # Sunday


def test_bank_holidays_in_england_are_skipped():
    # Christmas 2026: Fri 25 Dec, Boxing Day substitute Mon 28 Dec.
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    assert add_working_days(D(2027, 3, 25), 1) == D(2027, 3, 30)


def test_twenty_working_days_across_the_new_year():
    assert add_working_days(D(2026, 12, 18), 20) == D(2027, 1, 20)


def test_working_days_between_is_the_inverse():
    start = D(2026, 11, 20)
    for days in range(0, 40):
        assert working_days_between(start, add_working_days(start, days)) == days


def test_council_closure_days_are_not_working_days():
    assert add_working_days(D(2026, 12, 29), 1) == D(2026, 12, 30)
    ClosureDay.objects.create(date=D(2026, 12, 30), reason="Council closed between Christmas and New Year")
    from residenthub.core.calendar import forget_closure_days

    forget_closure_days()
    assert add_working_days(D(2026, 12, 29), 1) == D(2026, 12, 31)
