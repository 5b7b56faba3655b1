"""Reading source extracts (CSV, XLSX, SQL) through a YAML mapping into standard person records.

The mapping file (see docs/identity.md)::

    id: unique_id            # the input's record id column
    fields:                  # standard field: input column
      first_name: first_name
      last_name: surname
      dob: dob
      postcode: postcode_fake
      sex: gender
    compare: [birth_place, occupation]   # other columns, compared as generic text

Sources add: ``source`` (a slug), ``name``, ``format`` (csv, xlsx, sql; from the file name by
default), ``encoding`` (csv, default utf-8), ``sheet`` (xlsx), ``url`` and ``query`` (sql),
``restricted`` (true for social care and the like), ``invalid_values`` (``fail`` or ``blank``).

Problems are collected as ``Problem(row, column, message)``; messages never contain the value.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import standardise as std

STANDARD_FIELDS = (
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "previous_last_name",
    "dob",
    "sex",
    "email",
    "phone",
    "address_1",
    "address_2",
    "address_3",
    "town",
    "postcode",
    "uprn",
    "ni_number",
    "nhs_number",
    "record_date",
)

# Columns of the standard record table that Splink sees (compare columns are added as c_<name>).
RECORD_COLUMNS = (
    "unique_id",
    "source",
    "first_name",
    "first_name_canon",
    "middle_name",
    "last_name",
    "previous_last_name",
    "dob",
    "dob_swap",
    "birth_year",
    "sex",
    "email",
    "phone",
    "postcode",
    "flat",
    "number",
    "street",
    "town",
    "address_key",
    "uprn",
    "ni_number",
    "nhs_number",
    "record_date",
)

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class SourceError(Exception):
    """The input cannot be used; ``problems`` names each row and column."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(problems)} problem(s):\n{shown}{tail}")


@dataclass
class Mapping:
    id: str
    fields: dict[str, str]
    compare: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    source: str = "input"
    name: str = ""
    format: str = ""
    encoding: str = "utf-8"
    sheet: str | None = None
    url: str = ""
    query: str = ""
    restricted: bool = False
    invalid_values: str = "fail"

    @property
    def compare_columns(self) -> list[str]:
        return [f"c_{_slug(c)}" for c in self.compare] + [f"id_{_slug(c)}" for c in self.identifiers]

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SourceError([Problem(None, None, f"mapping file not found: {path}")]) from exc
        except yaml.YAMLError as exc:
            raise SourceError([Problem(None, None, f"mapping file is not valid YAML: {exc}")]) from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data) -> Mapping:
        problems: list[Problem] = []
        if not isinstance(data, dict):
            raise SourceError([Problem(None, None, "mapping must be a YAML mapping with 'id' and 'fields'")])
        if not data.get("id"):
            problems.append(Problem(None, "id", "mapping needs 'id': the record id column"))
        fields = data.get("fields") or {}
        if not isinstance(fields, dict) or not fields:
            problems.append(Problem(None, "fields", "mapping needs 'fields': standard field -> column"))
            fields = {}
        for name in fields:
            if name not in STANDARD_FIELDS:
                problems.append(
                    Problem(None, name, f"unknown standard field (known: {', '.join(STANDARD_FIELDS)})")
                )
        compare = data.get("compare") or []
        if not isinstance(compare, list):
            problems.append(Problem(None, "compare", "'compare' must be a list of column names"))
            compare = []
        identifiers = data.get("identifiers") or []
        if not isinstance(identifiers, list):
            problems.append(Problem(None, "identifiers", "'identifiers' must be a list of column names"))
            identifiers = []
        invalid = data.get("invalid_values", "fail")
        if invalid not in {"fail", "blank"}:
            problems.append(Problem(None, "invalid_values", "must be 'fail' or 'blank'"))
        source = str(data.get("source") or "input")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,49}", source):
            problems.append(Problem(None, "source", "a slug: lower case letters, digits, - and _"))
        if problems:
            raise SourceError(problems)
        return cls(
            id=str(data["id"]),
            fields={k: str(v) for k, v in fields.items()},
            compare=[str(c) for c in compare],
            identifiers=[str(c) for c in identifiers],
            source=source,
            name=str(data.get("name") or source),
            format=str(data.get("format") or ""),
            encoding=str(data.get("encoding") or "utf-8"),
            sheet=data.get("sheet"),
            url=str(data.get("url") or ""),
            query=str(data.get("query") or ""),
            restricted=bool(data.get("restricted", False)),
            invalid_values=invalid,
        )

    def fingerprint(self) -> str:
        raw = json.dumps([self.id, self.fields, self.compare], sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "field"


# --- reading -----------------------------------------------------------------------------------


@dataclass
class RawRow:
    row: int  # the row number a person sees in the file (header is row 1)
    values: dict[str, str]


def read_rows(mapping: Mapping, location: str | Path | None = None) -> tuple[list[str], list[RawRow]]:
    """Columns and rows of the input, as strings. Raises ``SourceError`` for unreadable input."""
    fmt = mapping.format or _format_from_name(str(location or ""))
    if fmt == "csv":
        return _read_csv(Path(location), mapping.encoding)
    if fmt == "xlsx":
        return _read_xlsx(Path(location), mapping.sheet)
    if fmt == "sql":
        return _read_sql(mapping.url or str(location or ""), mapping.query)
    raise SourceError([Problem(None, None, f"unknown format '{fmt}' (csv, xlsx or sql)")])


def _format_from_name(name: str) -> str:
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if lower.startswith(("sqlite:", "postgres:", "postgresql:")):
        return "sql"
    return "csv"


def _read_csv(path: Path, encoding: str) -> tuple[list[str], list[RawRow]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError([Problem(None, None, f"cannot read {path}: {exc.strerror}")]) from exc
    if encoding.replace("-", "").lower() in {"utf8", "utf8sig"}:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            [
                Problem(
                    line,
                    None,
                    f"the file is not valid {encoding} (byte {exc.start}); "
                    "save it as UTF-8 or set 'encoding' in the mapping (e.g. cp1252)",
                )
            ]
        ) from exc
    if not text.strip():
        raise SourceError([Problem(None, None, "the file is empty")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise SourceError([Problem(1, None, f"not a CSV file: {exc}")]) from exc
    rows: list[RawRow] = []
    problems: list[Problem] = []
    try:
        for values in reader:
            number = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(
                    Problem(number, None, f"has {len(values)} fields, the header has {len(header)}")
                )
                continue
            rows.append(RawRow(number, dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, None, f"not valid CSV: {exc}"))
    if problems:
        raise SourceError(problems)
    return header, rows


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], list[RawRow]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise SourceError([Problem(None, None, f"cannot open {path.name} as an XLSX workbook")]) from exc
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
    except KeyError as exc:
        raise SourceError([Problem(None, "sheet", f"no sheet named '{sheet}'")]) from exc
    iterator = ws.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(iterator)]
    except StopIteration as exc:
        raise SourceError([Problem(None, None, "the workbook is empty")]) from exc
    rows = []
    for number, values in enumerate(iterator, start=2):
        if values is None or not any(v not in (None, "") for v in values):
            continue
        rows.append(RawRow(number, {h: _cell(v) for h, v in zip(header, values, strict=False)}))
    book.close()
    return header, rows


def _cell(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_sql(url: str, query: str) -> tuple[list[str], list[RawRow]]:
    if not url or not query:
        raise SourceError([Problem(None, "query", "a SQL source needs 'url' and 'query' in its mapping")])
    try:
        if url.startswith("sqlite:"):
            import sqlite3

            path = url.split("sqlite:///", 1)[-1] if "///" in url else url.split(":", 1)[1]
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        elif url.startswith(("postgres:", "postgresql:")):
            import psycopg

            conn = psycopg.connect(url.replace("postgres://", "postgresql://", 1))
        else:
            raise SourceError([Problem(None, "url", "supported database URLs: sqlite:///, postgres://")])
        try:
            cursor = conn.cursor()
            cursor.execute(query)
            header = [d[0] for d in cursor.description]
            fetched = cursor.fetchall()
        finally:
            conn.close()
    except SourceError:
        raise
    except Exception as exc:  # any driver's error: report it, change nothing
        raise SourceError([Problem(None, "query", f"the query failed: {type(exc).__name__}: {exc}")]) from exc
    return header, [
        RawRow(i, {h: _cell(v) for h, v in zip(header, values, strict=True)})
        for i, values in enumerate(fetched, start=1)
    ]


# --- standardising a whole input ---------------------------------------------------------------


@dataclass
class Standardised:
    records: list[dict]
    raw: dict[str, dict]  # unique_id -> the mapped raw values (kept as the source record's history)
    rows: dict[str, int]
    warnings: list[Problem]


_VALIDATORS = {
    "dob": std.parse_dob,
    "postcode": std.normalise_postcode,
    "phone": std.normalise_phone,
    "email": std.normalise_email,
    "nhs_number": std.nhs_number,
    "ni_number": std.ni_number,
    "uprn": std.uprn,
    "record_date": std.parse_dob,
}


def standardise_rows(
    mapping: Mapping,
    header: list[str],
    rows: Iterable[RawRow],
    *,
    invalid_values: str | None = None,
    keep_raw: bool = True,
) -> Standardised:
    """Check the columns, the ids and every value; return standard records or raise ``SourceError``.

    ``rows`` is consumed (a list is emptied as it is read). ``keep_raw=False`` leaves ``raw`` empty:
    imports keep each record's mapped values as its history; a one-off dedupe does not need them
    (a million of them cost about a gigabyte).
    """
    mode = invalid_values or mapping.invalid_values
    columns = set(header)
    wanted = [mapping.id, *mapping.fields.values(), *mapping.compare, *mapping.identifiers]
    missing = [c for c in dict.fromkeys(wanted) if c not in columns]
    if missing:
        raise SourceError(
            [
                Problem(1, c, "column not found in the input (check the mapping and the header)")
                for c in missing
            ]
        )
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        raise SourceError([Problem(None, None, "the input has a header but no records")])
    problems: list[Problem] = []
    warnings: list[Problem] = []
    seen: dict[str, int] = {}
    records: list[dict] = []
    raw: dict[str, dict] = {}
    row_numbers: dict[str, int] = {}
    compare_columns = mapping.compare_columns
    for index, raw_row in enumerate(rows):
        rows[index] = None  # consumed: each raw row is freed once standardised (peak memory)
        values = raw_row.values
        uid = str(values.get(mapping.id, "")).strip()
        if not uid:
            problems.append(Problem(raw_row.row, mapping.id, "the record id is empty"))
            continue
        if uid in seen:
            problems.append(
                Problem(raw_row.row, mapping.id, f"duplicate record id (first seen on row {seen[uid]})")
            )
            continue
        seen[uid] = raw_row.row
        mapped = {name: str(values.get(col) or "").strip() for name, col in mapping.fields.items()}
        for col in mapping.compare:
            mapped[f"c_{_slug(col)}"] = str(values.get(col) or "").strip()
        for col in mapping.identifiers:
            mapped[f"id_{_slug(col)}"] = str(values.get(col) or "").strip()
        clean: dict[str, str] = {}
        for name, validator in _VALIDATORS.items():
            if name not in mapping.fields:
                continue
            try:
                clean[name] = validator(mapped[name])
            except std.InvalidValue as exc:
                problem = Problem(raw_row.row, mapping.fields[name], str(exc))
                (warnings if mode == "blank" else problems).append(problem)
                clean[name] = ""
        records.append(build_record(uid, mapping.source, mapped, clean, compare_columns))
        if keep_raw:
            raw[uid] = mapped
        row_numbers[uid] = raw_row.row
    if problems:
        raise SourceError(problems)
    return Standardised(records, raw, row_numbers, warnings)


def build_record(uid: str, source: str, mapped: dict, clean: dict, compare_columns: list[str]) -> dict:
    """One standard record (all strings; '' means unknown) from mapped raw values."""
    first = std.clean_name(mapped.get("first_name"))
    middle = std.clean_name(mapped.get("middle_name"))
    last = std.clean_name(mapped.get("last_name"))
    if mapped.get("full_name") and not (first or last):
        first, middle, last = std.split_full_name(mapped["full_name"])
    if first and " " in first and not middle:
        first, _, middle = first.partition(" ")
    dob = clean.get("dob", "")
    postcode = clean.get("postcode", "")
    address = std.parse_address(
        mapped.get("address_1", ""),
        mapped.get("address_2", ""),
        mapped.get("address_3", ""),
        town=mapped.get("town", ""),
    )
    record = {
        "unique_id": uid,
        "source": source,
        "first_name": first,
        "first_name_canon": std.canonical_first_name(first),
        "middle_name": middle,
        "last_name": last.replace(" ", "-") if last else "",
        "previous_last_name": std.clean_name(mapped.get("previous_last_name")),
        "dob": dob,
        "dob_swap": std.dob_swapped(dob),
        "birth_year": dob[:4],
        "sex": std.sex(mapped.get("sex")),
        "email": clean.get("email", ""),
        "phone": clean.get("phone", ""),
        "postcode": postcode,
        "flat": address.flat,
        "number": address.number,
        "street": address.street,
        "town": address.town,
        "address_key": address.key(postcode),
        "uprn": clean.get("uprn", ""),
        "ni_number": clean.get("ni_number", ""),
        "nhs_number": clean.get("nhs_number", ""),
        "record_date": clean.get("record_date", ""),
    }
    for col in compare_columns:
        value = std.clean_text(mapped.get(col))
        record[col] = value.replace(" ", "") if col.startswith("id_") else value
    return record


def load_input(
    mapping: Mapping, location, *, invalid_values: str | None = None, keep_raw: bool = True
) -> Standardised:
    header, rows = read_rows(mapping, location)
    return standardise_rows(mapping, header, rows, invalid_values=invalid_values, keep_raw=keep_raw)
