"""Statutory clocks: the ICO's worked examples and the edge cases, with hand-counted dates."""

import datetime as dt

import pytest

from residenthub.foi import clocks
from residenthub.foi.clocks import ClockInputs, due_date

D = dt.date
NONE: frozenset = frozenset()


def foi(received, **kw):
    return due_date(ClockInputs(kind="foi", clock_start=received, **kw), NONE)


def sar(received, **kw):
    return due_date(ClockInputs(kind="sar", clock_start=received, **kw), NONE)


@pytest.mark.parametrize(
    "received,due",
    [
        (D(2025, 8, 22), D(2025, 9, 22)),  # Friday before the August bank holiday: day one is Tuesday 26th
        (D(2025, 9, 6), D(2025, 10, 3)),  # received on a Saturday: day one is Monday
        (D(2025, 9, 7), D(2025, 10, 3)),  # ... or a Sunday
        (D(2025, 8, 25), D(2025, 9, 22)),  # received on the bank holiday itself
        (D(2025, 12, 24), D(2026, 1, 27)),  # Christmas, Boxing Day, New Year and 2 January (Scotland)
        (D(2025, 12, 31), D(2026, 1, 30)),  # year end
        (D(2026, 3, 2), D(2026, 3, 31)),  # St Patrick's Day (Northern Ireland only) does not count
    ],
)
def test_foi_twenty_working_days_any_uk_bank_holiday(received, due):
    assert foi(received) == due


def test_uk_wide_holidays_differ_from_england_only():
    from residenthub.core.calendar import add_working_days

    assert add_working_days(D(2025, 12, 24), 20, ("ENG",), NONE) == D(2026, 1, 26)
    assert add_working_days(D(2026, 3, 2), 20, ("ENG",), NONE) == D(2026, 3, 30)


def test_eir_same_working_days_and_extension_to_forty():
    assert due_date(ClockInputs(kind="eir", clock_start=D(2025, 8, 22)), NONE) == D(2025, 9, 22)
    assert due_date(ClockInputs(kind="eir", clock_start=D(2025, 8, 22), extra_working_days=20), NONE) == D(
        2025, 10, 20
    )
    with pytest.raises(clocks.ClockError):
        clocks.check_extension("eir", extra_working_days=21)


def test_foi_public_interest_extension_limited():
    assert foi(D(2025, 8, 22), extra_working_days=20) == D(2025, 10, 20)
    with pytest.raises(clocks.ClockError):
        clocks.check_extension("foi", extra_working_days=21)


def test_foi_fee_pause_adds_the_working_days_paused():
    assert clocks.working_days_paused("foi", D(2025, 9, 1), D(2025, 9, 5), NONE) == 4
    assert foi(D(2025, 8, 22), paused_working_days=4) == D(2025, 9, 26)


@pytest.mark.parametrize(
    "received,due",
    [
        (D(2025, 9, 3), D(2025, 10, 3)),  # ICO: received 3 September, respond by 3 October
        (D(2026, 3, 31), D(2026, 4, 30)),  # ICO: no 31 April, so the last day of April
        (D(2026, 1, 31), D(2026, 3, 2)),  # 28 Feb 2026 is a Saturday: next working day
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2026, 1, 29), D(2026, 3, 2)),  # no 29 Feb 2026 -> Saturday 28th -> Monday
        (D(2025, 11, 25), D(2025, 12, 29)),  # 25 Dec, Boxing Day, weekend -> Monday 29th
        (D(2025, 12, 30), D(2026, 1, 30)),  # across the year end
        (D(2025, 9, 6), D(2025, 10, 6)),  # received on a Saturday: counted from that day; 6 Oct is Monday
    ],
)
def test_sar_one_calendar_month_ico_rule(received, due):
    assert sar(received) == due


def test_sar_extension_by_two_months_from_receipt():
    assert sar(D(2026, 1, 31), extra_months=2) == D(2026, 4, 30)
    assert sar(D(2025, 11, 30), extra_months=2) == D(2026, 3, 2)  # 28 Feb 2026 Saturday
    with pytest.raises(clocks.ClockError):
        clocks.check_extension("sar", extra_months=3)
    with pytest.raises(clocks.ClockError):
        clocks.check_extension("sar", extra_working_days=5)


def test_complaint_stages_from_settings(settings):
    settings.FOI_COMPLAINT_STAGES = [
        {"stage": 1, "name": "Stage 1", "working_days": 10},
        {"stage": 2, "name": "Stage 2", "working_days": 20},
    ]
    assert due_date(ClockInputs(kind="complaint", clock_start=D(2025, 8, 22)), NONE) == D(2025, 9, 8)
    assert due_date(ClockInputs(kind="complaint", clock_start=D(2025, 8, 22), stage=2), NONE) == D(
        2025, 9, 22
    )
    settings.FOI_COMPLAINT_STAGES = [{"stage": 1, "name": "Only", "working_days": 5}]
    assert due_date(ClockInputs(kind="complaint", clock_start=D(2025, 8, 22)), NONE) == D(2025, 9, 1)
    with pytest.raises(clocks.ClockError):
        due_date(ClockInputs(kind="complaint", clock_start=D(2025, 8, 22), stage=2), NONE)


def test_councillor_enquiry(settings):
    settings.FOI_COUNCILLOR_ENQUIRY_DAYS = 5
    assert due_date(ClockInputs(kind="councillor", clock_start=D(2025, 8, 22)), NONE) == D(2025, 9, 1)


def test_closure_days_do_not_count():
    assert due_date(ClockInputs(kind="foi", clock_start=D(2025, 8, 22)), frozenset({D(2025, 9, 15)})) == D(
        2025, 9, 23
    )
