"""Two people of one household are not one person: the contradiction guard (docs/identity.md)."""

import csv

import pytest
import yaml

from residenthub.identity import linkage, realtime
from residenthub.identity.sources import Mapping, load_input

from .conftest import rows_of

# A family with a surname found nowhere else: the mother in three systems, her son in one (no date
# of birth), her daughter in two (dates 30 years apart from her mother's), and the mother once more
# under a typo. Rare surname + same address is strong evidence of a household, not of a person.
HOME = ("214 New Road", "E3 3JS")
FAMILY = [
    ("F1", "council_tax", "Ella", "Dunford", "1961-05-02", "ella.d@example.com", "", *HOME, "100010925"),
    ("F2", "housing", "Ella", "Dunford", "02/05/1961", "", "07700 900111", *HOME, "100010925"),
    ("F3", "benefits", "Ela", "Dunford", "1961-05-02", "", "", *HOME, ""),
    ("F4", "waste", "Jifaa", "Dunford", "", "", "", *HOME, ""),
    ("F5", "council_tax", "Maya", "Dunford", "1991-08-19", "", "", *HOME, "100010925"),
    ("F6", "social_care", "Maya", "Dunford", "1991-08-19", "", "", *HOME, ""),
]  # fmt: skip


@pytest.fixture(scope="module")
def family_result(population_csv, tmp_path_factory):
    path = tmp_path_factory.mktemp("guard") / "with_family.csv"
    rows = rows_of(population_csv)
    header = list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
        for values in FAMILY:
            record = dict(zip(["record_id", "source", "first_name", "surname", "dob", "email", "phone",
                               "address_1", "postcode", "uprn"], values, strict=True))  # fmt: skip
            writer.writerow(
                {**record, "person": "family", "household": "family", "record_date": "2024-01-01"}
            )
    import population

    mapping = Mapping.from_dict(yaml.safe_load(population.MAPPING + "invalid_values: blank\n"))
    data = load_input(mapping, path)
    return linkage.link(linkage.records_table(data.records)), data


def test_household_members_stay_separate_people(family_result):
    result, _ = family_result
    cluster = result.clusters
    assert cluster["F1"] == cluster["F2"] == cluster["F3"]  # the mother, typo included
    assert cluster["F5"] == cluster["F6"]  # the daughter
    assert cluster["F4"] not in {cluster["F1"], cluster["F5"]}  # the son, no date of birth
    assert cluster["F5"] != cluster["F1"]  # dates 30 years apart
    scored = {linkage.pair_key(a, b): p for a, b, p, _ in result.pairs}
    for pair in [("F1", "F4"), ("F1", "F5"), ("F4", "F5")]:
        assert scored.get(linkage.pair_key(*pair), 0.0) <= linkage.CONTRADICTION_CAP
    review = {linkage.pair_key(a, b) for a, b, *_ in result.review_pairs(linkage.Thresholds())}
    assert not review & {linkage.pair_key("F1", "F4"), linkage.pair_key("F1", "F5")}


def test_point_of_entry_applies_the_same_guard(family_result):
    result, data = family_result
    records = {r["unique_id"]: r for r in data.records}
    scorer = realtime.Scorer(result.model, result.tf_tables)
    son = dict(records["F4"], unique_id="new-case")  # the son reports a pothole from home
    mother = dict(records["F1"], unique_id="new-case-2")
    scores = dict(scorer.score(son, [records["F1"], records["F2"]]))
    assert max(scores.values()) <= linkage.CONTRADICTION_CAP
    assert dict(scorer.score(mother, [records["F2"]]))["F2"] > 0.95
    assert scorer.score(son, [records["F1"]]) == scorer.score_with_splink(son, [records["F1"]])


def test_no_guard_without_a_shared_address_or_surname():
    assert linkage.contradiction_guard(["gamma_first_name", "first_name_l", "last_name_l", "dob_l"]) == ""
    guard = linkage.contradiction_guard(
        ["gamma_first_name", "last_name_l", "postcode_l", "dob_l", "birth_year_l", "dob_swap_l", "email_l"]
    )
    assert "last_name_l = last_name_r" in guard and "postcode_l = postcode_r" in guard
    assert "email_l = email_r" in guard  # a shared email lifts the guard
