import pytest

from residenthub.core.logging import scrub
from residenthub.core.validators import normalise_postcode, normalise_uk_phone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sw1a2aa", "SW1A 2AA"),
        ("SW1A 2AA", "SW1A 2AA"),
        (" e20 1ab ", "E20 1AB"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("EC1A1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_valid_postcodes_are_normalised(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "12345", "SW1A", "QA1 1AA", "SW1A 1AC", "E20 1AB1", "<b>E20</b>", "E20 1A"]
)
def test_invalid_postcodes_are_rejected(typed):
    assert normalise_postcode(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700 900982", "+447700900982"),
        ("+44 7700 900123", "+447700900123"),
        ("020 7946 0000", "+442079460000"),
        ("07911 123456", "+447911123456"),
        ("(0117) 496 0123", "+441174960123"),
        ("12345", None),
        ("+1 202 555 0100", None),
        ("0800 123", None),
        ("x" * 40, None),
    ],
)
def test_uk_phone_numbers(typed, expected):
    assert normalise_uk_phone(typed) == expected


def test_landlines_are_not_mobiles():
    assert normalise_uk_phone("020 7946 0000", mobile_only=True) is None
    assert normalise_uk_phone("07700 900982", mobile_only=True) == "+447700900982"


def test_log_scrubber_removes_personal_data():
    text = scrub("sent to mary.obrien@example.com at E20 1AB, phone 07700 900982")
    assert "example.com" not in text and "E20 1AB" not in text and "900982" not in text
