"""The analysts' path: the roll-ups (and an anonymised case table with no personal data) as Parquet,
for DuckDB, pandas, R or Power BI. Suppression is NOT applied here: these files are for the council's
own analysts; publish only the open-data endpoints (docs/insights.md)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .models import DailyBacklog, DailyCaseStat, DailyCloseTime, MonthlyCaseStat, MonthlyCloseTime

TABLES = {
    "daily_case_stats": (
        DailyCaseStat,
        [
            "day",
            "service_id",
            "team_id",
            "ward",
            "channel",
            "received",
            "closed",
            "closed_in_time",
            "reopened",
            "duplicates",
        ],
    ),
    "daily_close_times": (
        DailyCloseTime,
        ["day", "service_id", "team_id", "ward", "channel", "working_days", "count"],
    ),
    "monthly_case_stats": (
        MonthlyCaseStat,
        [
            "month",
            "service_id",
            "team_id",
            "ward",
            "channel",
            "received",
            "closed",
            "closed_in_time",
            "reopened",
            "duplicates",
        ],
    ),
    "monthly_close_times": (
        MonthlyCloseTime,
        ["month", "service_id", "team_id", "ward", "channel", "working_days", "count"],
    ),
    "daily_backlog": (
        DailyBacklog,
        [
            "day",
            "service_id",
            "team_id",
            "ward",
            "channel",
            "open_cases",
            "overdue",
            "age_0_5",
            "age_6_10",
            "age_11_20",
            "age_over_20",
        ],
    ),
}
BATCH = 100_000


def write_parquet(out: Path) -> list[tuple[Path, int]]:
    from residenthub.accounts.models import Team
    from residenthub.services.models import Service

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (model, fields) in TABLES.items():
        path = out / f"{name}.parquet"
        writer = None
        rows = 0
        qs = model.objects.order_by("pk").values_list(*fields)
        batch: list[tuple] = []
        for row in qs.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) >= BATCH:
                writer = _write(writer, path, fields, batch)
                rows += len(batch)
                batch = []
        writer = _write(writer, path, fields, batch, final=True)
        rows += len(batch)
        written.append((path, rows))
    for name, qs, fields in (
        (
            "services",
            Service.objects.values_list("pk", "code", "name", "team_id"),
            ["service_id", "code", "name", "team_id"],
        ),
        ("teams", Team.objects.values_list("pk", "slug", "name"), ["team_id", "slug", "name"]),
    ):
        path = out / f"{name}.parquet"
        rows = list(qs)
        _write(None, path, fields, rows, final=True)
        written.append((path, len(rows)))
    return written


def _write(writer, path, fields, rows, final=False):
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in fields]
    table = pa.table(
        {
            f: pa.array(list(c)) if rows else pa.array([], pa.string())
            for f, c in zip(fields, columns, strict=True)
        }
    )
    if writer is None:
        if not rows and not final:
            return None
        writer = pq.ParquetWriter(path, table.schema)
    if rows:
        writer.write_table(table.cast(writer.schema) if table.schema != writer.schema else table)
    if final:
        writer.close()
        return None
    return writer
