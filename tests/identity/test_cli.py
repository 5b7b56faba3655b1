"""The command line: ``hub identity dedupe`` on synthetic data, its quality, and bad input."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from .conftest import rows_of, write_csv


def bcubed_f1(predicted: dict, truth: dict) -> float:
    both = Counter((predicted[i], truth[i]) for i in truth)
    p_size, t_size = Counter(predicted.values()), Counter(truth.values())
    precision = sum(both[(predicted[i], truth[i])] / p_size[predicted[i]] for i in truth) / len(truth)
    recall = sum(both[(predicted[i], truth[i])] / t_size[truth[i]] for i in truth) / len(truth)
    return 2 * precision * recall / (precision + recall)


def test_dedupe_writes_one_row_per_record_with_exact_columns_and_good_quality(
    population_csv, population_mapping, tmp_path
):
    out = tmp_path / "out.csv"
    call_command(
        "identity", "dedupe", str(population_csv), "--mapping", str(population_mapping), "--out", str(out)
    )
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == "record_id,person_id,household_id,match_probability"
    rows = rows_of(out)
    source = rows_of(population_csv)
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in source]
    truth = {r["record_id"]: r["person"] for r in source}
    predicted = {r["record_id"]: r["person_id"] for r in rows}
    assert bcubed_f1(predicted, truth) >= 0.93
    linked = [r for r in rows if r["match_probability"]]
    assert linked and all(0 < float(r["match_probability"]) <= 1 for r in linked)
    assert all(
        r["household_id"] for r in rows if r["person_id"] in {x["person_id"] for x in linked}
    )  # addresses known
    # Same input, same ids: the CLI's person ids depend only on the records in each person.
    again = tmp_path / "again.csv"
    call_command(
        "identity", "dedupe", str(population_csv), "--mapping", str(population_mapping), "--out", str(again)
    )
    assert rows_of(again) == rows


MAPPING = "id: id\nfields:\n  first_name: first\n  last_name: last\n  dob: dob\n"


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def _dedupe(inp, mapping, out, *extra):
    call_command("identity", "dedupe", str(inp), "--mapping", str(mapping), "--out", str(out), *extra)


def test_missing_column_is_named(tmp_path, mapping):
    inp = write_csv(
        tmp_path / "in.csv", ["id", "first", "surname", "dob"], [["1", "Ann", "Lee", "1980-01-01"]]
    )
    with pytest.raises(CommandError, match="row 1, column 'last': column not found"):
        _dedupe(inp, mapping, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_bad_date_named_by_row_and_column_in_strict_mode(tmp_path, mapping):
    inp = write_csv(
        tmp_path / "in.csv",
        ["id", "first", "last", "dob"],
        [["1", "Ann", "Lee", "1980-01-01"], ["2", "Bo", "Li", "32/13/1990"]],
    )
    with pytest.raises(CommandError, match="row 3, column 'dob': not a date"):
        _dedupe(inp, mapping, tmp_path / "out.csv", "--strict")
    assert not (tmp_path / "out.csv").exists()


def test_empty_file(tmp_path, mapping):
    inp = tmp_path / "in.csv"
    inp.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="the file is empty"):
        _dedupe(inp, mapping, tmp_path / "out.csv")
    header_only = write_csv(tmp_path / "h.csv", ["id", "first", "last", "dob"], [])
    with pytest.raises(CommandError, match="no records"):
        _dedupe(header_only, mapping, tmp_path / "out.csv")


def test_duplicate_ids(tmp_path, mapping):
    inp = write_csv(
        tmp_path / "in.csv", ["id", "first", "last", "dob"], [["1", "Ann", "Lee", ""], ["1", "Bo", "Li", ""]]
    )
    with pytest.raises(
        CommandError, match=r"row 3, column 'id': duplicate record id \(first seen on row 2\)"
    ):
        _dedupe(inp, mapping, tmp_path / "out.csv")


def test_wrong_encoding(tmp_path, mapping):
    inp = write_csv(
        tmp_path / "in.csv",
        ["id", "first", "last", "dob"],
        [["1", "Ann", "Lee", ""], ["2", "Zoë", "Brontë", ""]],
        encoding="cp1252",
    )
    with pytest.raises(CommandError, match="row 3: the file is not valid utf-8"):
        _dedupe(inp, mapping, tmp_path / "out.csv")
    (tmp_path / "m2.yaml").write_text(MAPPING + "encoding: cp1252\n", encoding="utf-8")
    _dedupe(inp, tmp_path / "m2.yaml", tmp_path / "out.csv")
    assert len(rows_of(tmp_path / "out.csv")) == 2


def test_bad_mapping(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("id: id\nfields:\n  surname: last\n", encoding="utf-8")
    inp = write_csv(tmp_path / "in.csv", ["id", "last"], [["1", "Lee"]])
    with pytest.raises(CommandError, match="column 'surname': unknown standard field"):
        _dedupe(inp, path, tmp_path / "out.csv")
