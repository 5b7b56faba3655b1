import pytest

from residenthub.identity import standardise as std


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("bill", "william"),
        ("peggy", "margaret"),
        ("liz", "elizabeth"),
        ("william", "william"),
        ("zed", "zed"),
    ],
)
def test_nicknames(name, canonical):
    assert std.canonical_first_name(name) == canonical


def test_names_lose_case_accents_punctuation_and_titles():
    assert std.clean_name("  Mrs. Zoë  O'Brien-Smith ") == "zoe obrien smith"
    assert std.split_full_name("Dr Mary Ann O'Brien") == ("mary", "ann", "obrien")
    assert std.split_full_name("Smith, John") == ("john", "", "smith")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("sw1a1aa", "SW1A 1AA"), (" e20 1ab ", "E20 1AB"), ("M1 1AE", "M1 1AE"), ("", "")],
)
def test_postcodes_normalised(raw, expected):
    assert std.normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["2119", "QQ1 1QQ1", "ABC DEF"])
def test_bad_postcodes_rejected(raw):
    with pytest.raises(std.InvalidValue):
        std.normalise_postcode(raw)


def test_dates_of_birth():
    assert std.parse_dob("1980-12-31") == "1980-12-31"
    assert std.parse_dob("31/12/1980") == "1980-12-31"
    assert std.parse_dob("19801231") == "1980-12-31"
    assert std.parse_dob("1980-31-12") == "1980-12-31"  # day/month transposed: only one reading is a date
    assert std.dob_swapped("1980-03-04") == "1980-04-03"
    assert std.dob_swapped("1980-03-25") == ""
    for bad in ("1980-13-13", "not a date", "2999-01-01", "31/02/1980"):
        with pytest.raises(std.InvalidValue):
            std.parse_dob(bad)


def test_phones_to_e164():
    assert std.normalise_phone("07700 900123") == "+447700900123"
    assert std.normalise_phone("+44 (0)20 7946 0000".replace("(0)", "")) == "+442079460000"
    with pytest.raises(std.InvalidValue):
        std.normalise_phone("12")


def test_nhs_number_checksum():
    assert std.nhs_number("943 476 5919") == "9434765919"
    with pytest.raises(std.InvalidValue):
        std.nhs_number("9434765918")
    with pytest.raises(std.InvalidValue):
        std.nhs_number("12345")


def test_ni_number_format():
    assert std.ni_number("ab 12 34 56 c") == "AB123456C"
    for bad in ("QQ123456E", "BG123456A", "Q1234567A"):
        with pytest.raises(std.InvalidValue):
            std.ni_number(bad)


def test_address_parsing():
    address = std.parse_address("Flat 3, 12a High St", "Stratford", town="London")
    assert (address.flat, address.number, address.street, address.town) == (
        "3",
        "12a",
        "high street",
        "london",
    )
    assert std.parse_address("12 Station Road").key("E20 1AB") == "|12|station road|E20 1AB"


def test_remembered_answers_are_the_same_answers():
    """The functions remember recent values; asking twice gives the same result, and errors stay errors."""
    for _ in range(2):
        assert std.parse_dob("07/04/1958") == "1958-04-07"
        assert std.parse_dob("1958-31-12") == "1958-12-31"  # read as transposed, both times
        assert std.clean_name("Mrs Peggy O'Brien") == "peggy obrien"
        with pytest.raises(std.InvalidValue):
            std.parse_dob("31/02/1990")
        with pytest.raises(std.InvalidValue):
            std.normalise_postcode("ZZ")


def test_future_dates_judged_against_today_even_when_remembered():
    import datetime as dt

    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert std.parse_dob("2000-01-01", today=dt.date(2001, 1, 1)) == "2000-01-01"
    with pytest.raises(std.InvalidValue, match="future"):
        std.parse_dob("2000-01-01", today=dt.date(1999, 1, 1))  # the parse is remembered, the check is not
    with pytest.raises(std.InvalidValue, match="future"):
        std.parse_dob(tomorrow)
