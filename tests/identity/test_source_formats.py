"""Extracts arrive as CSV, XLSX or a SQL query: each is read into the same rows, with clear errors."""

import datetime as dt
import sqlite3

import pytest
from openpyxl import Workbook

from residenthub.identity.sources import Mapping, SourceError, read_rows

FIELDS = {"first_name": "forename", "last_name": "surname", "dob": "born", "postcode": "postcode"}
ROWS = [
    ("T1", "Margaret", "O'Brien", dt.date(1950, 3, 4), "E20 1AB"),
    ("T2", "Siân", "Evans", None, "E20 1AD"),
]


def _mapping(**extra):
    return Mapping.from_dict({"id": "tenancy", "fields": FIELDS, "source": "housing", **extra})


def test_xlsx_rows_with_dates_as_iso(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Tenants"
    sheet.append(["tenancy", "forename", "surname", "born", "postcode"])
    for row in ROWS:
        sheet.append(list(row))
    path = tmp_path / "tenants.xlsx"
    book.save(path)
    columns, rows = read_rows(_mapping(sheet="Tenants"), path)
    assert columns[:3] == ["tenancy", "forename", "surname"]
    assert rows[0].values["born"] == "1950-03-04"
    assert rows[1].values["forename"] == "Siân" and rows[1].values["born"] == ""
    assert rows[0].row == 2  # the row a person sees in the spreadsheet


def test_a_broken_xlsx_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(SourceError) as info:
        read_rows(_mapping(), path)
    assert info.value.problems


def test_sql_source_reads_the_query(tmp_path):
    db = tmp_path / "housing.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "create table tenants (tenancy text, forename text, surname text, born text, postcode text)"
        )
        conn.executemany(
            "insert into tenants values (?, ?, ?, ?, ?)",
            [(r[0], r[1], r[2], r[3].isoformat() if r[3] else None, r[4]) for r in ROWS],
        )
    mapping = _mapping(format="sql", url=f"sqlite:///{db}", query="select * from tenants order by tenancy")
    columns, rows = read_rows(mapping)
    assert [r.values["tenancy"] for r in rows] == ["T1", "T2"]
    assert rows[0].values["surname"] == "O'Brien"


def test_sql_source_errors_name_the_problem(tmp_path):
    bad_url = _mapping(format="sql", url="mysql://somewhere/db", query="select 1")
    with pytest.raises(SourceError, match="supported database URLs"):
        read_rows(bad_url)
    db = tmp_path / "empty.sqlite3"
    sqlite3.connect(db).close()
    bad_query = _mapping(format="sql", url=f"sqlite:///{db}", query="select * from nowhere")
    with pytest.raises(SourceError):
        read_rows(bad_query)
