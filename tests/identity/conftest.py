import csv
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import population  # noqa: E402


@pytest.fixture(scope="session")
def population_csv(tmp_path_factory):
    """A seeded synthetic population (~250 persons, ~650 records in five sources) with the truth."""
    path = tmp_path_factory.mktemp("identity") / "population.csv"
    population.write(str(path), 250, seed=11)
    return path


@pytest.fixture(scope="session")
def population_mapping(tmp_path_factory):
    path = tmp_path_factory.mktemp("identity") / "mapping.yaml"
    path.write_text(population.MAPPING, encoding="utf-8")
    return path


def rows_of(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path, header, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
