"""Point-of-entry matching: a candidate index in front of Splink's real-time scoring.

Scoring one record against a whole table with ``predict_between`` takes hundreds of milliseconds,
so candidates come first from an index of blocking keys (a database table in the app, a dict in the
benchmark), and only those few candidates are scored with ``splink.realtime.compare_records`` using
the trained model stored with the latest linkage run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import duckdb
import pyarrow as pa
from splink import DuckDBAPI
from splink.internals.realtime import compare_records

from . import linkage

MAX_CANDIDATES = 60
TF_COLUMNS = ("first_name", "last_name", "postcode")


def candidate_keys(record: dict) -> list[str]:
    """The blocking keys of a standard record; any shared key makes two records candidates."""
    get = record.get
    first, last = get("first_name_canon") or "", get("last_name") or ""
    keys = []
    if first and last:
        keys.append(f"n:{first}|{last}")
    if last and get("postcode"):
        keys.append(f"lp:{last}|{get('postcode')}")
    if first and get("postcode"):
        keys.append(f"fp:{first}|{get('postcode')}")
    if last and get("dob"):
        keys.append(f"ld:{last}|{get('dob')}")
    if first and get("dob"):
        keys.append(f"fd:{first}|{get('dob')}")
    for name, prefix in (("email", "e"), ("phone", "t"), ("nhs_number", "nhs"), ("ni_number", "ni")):
        if get(name):
            keys.append(f"{prefix}:{get(name)}")
    if get("uprn") and first:
        keys.append(f"u:{get('uprn')}|{first[:1]}")
    return [k[:200] for k in keys]


class Scorer:
    """Scores a record against candidates with a trained model. One per process (DuckDB is in-process).

    Splink's ``compare_records`` writes both inputs to tables and runs five statements per call
    (about 30 ms). Its SQL depends only on the model, so it is taken once from ``compare_records``
    and then run as one statement over the inputs registered as Arrow tables (no copy, no cleanup):
    the same probabilities, several times faster.
    """

    LEFT, RIGHT = "hub_poe_left", "hub_poe_right"

    def __init__(self, model: dict, tf_tables: dict[str, dict[str, float]]):
        self.model = model
        self.tf_tables = tf_tables
        self.columns = _model_columns(model)
        self.key = f"hub-{id(self)}"
        self._lock = threading.Lock()
        self._db_api = DuckDBAPI(connection=duckdb.connect())
        self._con = self._db_api._con
        self._schema = pa.schema(
            [(c, pa.float64() if c.startswith("tf_") else pa.string()) for c in self.columns]
        )
        self._tf = [
            (col, table)
            for col, table in tf_tables.items()
            if f"tf_{col}" in self.columns or col in self.columns
        ]
        self._sql = self._compile()

    def _compile(self) -> str:
        """The prediction SQL for this model, reading ``hub_poe_left`` and ``hub_poe_right``."""
        first, second = self._prepare({"unique_id": "a"}), self._prepare({"unique_id": "b"})
        predictions = compare_records([first], [second], self.model, self._db_api)
        sql = predictions.sql_used_to_create
        sql = re.sub(r"\b__splink__compare_records_left_\w+", self.LEFT, sql)
        sql = re.sub(r"\b__splink__compare_records_right_\w+", self.RIGHT, sql)
        columns = predictions.as_duckdbpyrelation().columns
        self._probability = linkage.guarded_probability(columns)
        self._contributions = linkage.contributions(columns)
        self._drop_temporary_tables()
        self._explain_sql = "select {} from ({})".format(  # noqa: S608 - Splink SQL, no input
            ", ".join(expr for _, expr in self._contributions) or "1", sql
        )
        return f"select unique_id_r, {self._probability} from ({sql})"  # noqa: S608 - Splink SQL, no input

    def _prepare(self, record: dict) -> dict:
        row = {col: (record.get(col) or None) for col in self.columns}
        row["unique_id"] = str(record.get("unique_id") or "new")
        for col, table in self._tf:
            value = row.get(col)
            row[f"tf_{col}"] = table.get(value) if value else None
        return row

    def _table(self, rows: list[dict]) -> pa.Table:
        return pa.Table.from_pylist(rows, schema=self._schema)

    def score(self, record: dict, candidates: Iterable[dict]) -> list[tuple[str, float]]:
        """(candidate unique_id, match probability), best first."""
        candidates = [self._prepare(c) for c in candidates]
        if not candidates:
            return []
        new = self._prepare(record)
        new["unique_id"] = "__new__"
        left, right = self._table([new]), self._table(candidates)
        with self._lock:
            self._con.register(self.LEFT, left)
            self._con.register(self.RIGHT, right)
            try:
                rows = self._con.execute(self._sql).fetchall()
            finally:
                self._con.unregister(self.LEFT)
                self._con.unregister(self.RIGHT)
        return sorted(((str(uid), float(p)) for uid, p in rows), key=lambda x: -x[1])

    def explain(self, record: dict, candidate: dict) -> dict[str, float]:
        """Each comparison's contribution to the match weight, as the review page shows it."""
        if not self._contributions:
            return {}
        new = self._prepare(record)
        new["unique_id"] = "__new__"
        with self._lock:
            self._con.register(self.LEFT, self._table([new]))
            self._con.register(self.RIGHT, self._table([self._prepare(candidate)]))
            try:
                row = self._con.execute(self._explain_sql).fetchall()[0]
            finally:
                self._con.unregister(self.LEFT)
                self._con.unregister(self.RIGHT)
        return {name: round(float(v), 3) for (name, _), v in zip(self._contributions, row, strict=True)}

    def score_with_splink(self, record: dict, candidates: Iterable[dict]) -> list[tuple[str, float]]:
        """The same answer through ``compare_records`` itself (slower; kept to check ``score``)."""
        candidates = [self._prepare(c) for c in candidates]
        if not candidates:
            return []
        new = self._prepare(record)
        new["unique_id"] = "__new__"
        with self._lock:
            result = compare_records(
                [new], candidates, self.model, self._db_api, sql_cache_key=self.key
            ).as_duckdbpyrelation()
            rows = result.project(f"unique_id_r, {self._probability}").fetchall()
            self._drop_temporary_tables()
        return sorted(((str(uid), float(p)) for uid, p in rows), key=lambda x: -x[1])

    def _drop_temporary_tables(self) -> None:
        con = self._db_api._con
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_name like '__splink__%' and table_type = 'BASE TABLE'"
        ).fetchall():
            con.execute(f'drop table if exists "{name}"')
        for (name,) in con.execute(
            "select table_name from information_schema.views where table_name like '__splink__%'"
        ).fetchall():
            con.execute(f'drop view if exists "{name}"')


def _model_columns(model: dict) -> list[str]:
    """Every input column the model's comparisons read (plus their tf_ columns)."""
    from .sources import RECORD_COLUMNS

    text = str(model.get("comparisons", ""))
    cols = [c for c in RECORD_COLUMNS if c != "unique_id"]  # blocking rules retain some of them too
    cols += sorted(set(re.findall(r"\b((?:c|id)_[a-z0-9_]+?)_[lr]\b", text)))
    tf = [f"tf_{c}" for c in TF_COLUMNS if c in cols] + [f"tf_{c}" for c in cols if c.startswith("c_")]
    return list(dict.fromkeys(["unique_id", *cols, *tf]))
