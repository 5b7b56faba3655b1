"""Dedupe one file without the database: the engine behind ``hub identity dedupe``."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import linkage
from .sources import Mapping, Problem, load_input

OUTPUT_COLUMNS = ("record_id", "person_id", "household_id", "match_probability")


def person_id_for(cluster_members: list[str]) -> str:
    """A person id that depends only on the cluster's members' ids: the same cluster, the same id."""
    digest = hashlib.sha256(min(cluster_members).encode()).hexdigest()[:10].upper()
    return f"P{digest}"


def household_key(record: dict) -> str:
    """UPRN where known, else the normalised address; '' if neither is known."""
    if record.get("uprn"):
        return f"uprn:{record['uprn']}"
    if record.get("address_key"):
        return f"addr:{record['address_key']}"
    return ""


def households(addresses: list[tuple[str, str, str]], person_of: dict[str, str]) -> dict[str, str]:
    """person id -> household id, from each person's latest known address (by record date).

    ``addresses`` holds (record id, household key, record date) for each record.
    """
    latest: dict[str, tuple[str, str]] = {}
    for uid, key, when in addresses:
        if not key:
            continue
        person = person_of[uid]
        if person not in latest or when >= latest[person][0]:
            latest[person] = (when, key)
    return {
        person: "H" + hashlib.sha256(key.encode()).hexdigest()[:10].upper()
        for person, (_, key) in latest.items()
    }


@dataclass
class DedupeOutput:
    rows: list[tuple[str, str, str, str]]
    warnings: list[Problem]
    result: linkage.LinkageResult


def dedupe(
    input_path: str | Path,
    mapping: Mapping,
    *,
    thresholds: linkage.Thresholds = linkage.Thresholds(),  # noqa: B008
    invalid_values: str = "blank",
    engine=None,
    backend: str = "duckdb",
) -> DedupeOutput:
    data = load_input(mapping, input_path, invalid_values=invalid_values, keep_raw=False)
    table = linkage.records_table(data.records, mapping.compare_columns)
    # Only ids and addresses are needed after linking: let the records go before it (peak memory).
    addresses = [(r["unique_id"], household_key(r), r.get("record_date") or "") for r in data.records]
    warnings = data.warnings
    del data
    result = linkage.link(table, thresholds=thresholds, engine=engine, backend=backend)
    members: dict[str, list[str]] = {}
    for uid, cluster_id in result.clusters.items():
        members.setdefault(cluster_id, []).append(uid)
    person_of_cluster = {cid: person_id_for(ids) for cid, ids in members.items()}
    person_of = {uid: person_of_cluster[cid] for uid, cid in result.clusters.items()}
    household_of = households(addresses, person_of)
    rows = []
    for uid, _, _ in addresses:
        person = person_of[uid]
        probability = result.best.get(uid)
        rows.append((uid, person, household_of.get(person, ""), f"{probability:.6f}" if probability else ""))
    return DedupeOutput(rows, warnings, result)


def write_csv(rows, out: str | Path) -> None:
    tmp = Path(f"{out}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(rows)
    tmp.replace(out)
