"""The lean paths that let a million-record dedupe fit in memory (docs/identity.md, "Scale")."""

import yaml

from residenthub.identity import dedupe, engines
from residenthub.identity.sources import Mapping, RawRow, load_input, standardise_rows

MAPPING = Mapping.from_dict({"id": "id", "fields": {"first_name": "first", "last_name": "last"}})


def test_raw_values_kept_for_imports_and_skipped_for_dedupe(population_csv, population_mapping):
    mapping = Mapping.from_dict(yaml.safe_load(population_mapping.read_text()))
    kept = load_input(mapping, population_csv)
    lean = load_input(mapping, population_csv, keep_raw=False)
    assert len(kept.raw) == len(kept.records) > 100
    assert lean.raw == {}
    assert lean.records == kept.records and lean.rows == kept.rows


def test_rows_are_consumed_as_they_are_standardised():
    rows = [
        RawRow(2, {"id": "1", "first": "Bill", "last": "Smith"}),
        RawRow(3, {"id": "2", "first": "", "last": "X"}),
    ]
    result = standardise_rows(MAPPING, ["id", "first", "last"], rows)
    assert rows == [None, None]
    assert [r["first_name_canon"] for r in result.records] == ["william", ""]


def test_duckdb_connection_has_a_memory_limit():
    con = engines.connect("1GB")
    limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit == "953.6 MiB"  # DuckDB reports 1 GB (10^9 bytes) in MiB
    assert (
        con.execute("select current_setting('temp_directory')").fetchone()[0].endswith("residenthub-duckdb")
    )


def test_household_is_the_latest_known_address():
    person_of = {"a": "P1", "b": "P1", "c": "P2"}
    addresses = [("a", "uprn:1", "2015-01-01"), ("b", "uprn:2", "2020-06-01"), ("c", "", "2024-01-01")]
    households = dedupe.households(addresses, person_of)
    assert set(households) == {"P1"}  # P2 has no known address
    assert households["P1"] == dedupe.households([("b", "uprn:2", "")], {"b": "P1"})["P1"]
