# ruff: noqa: S608, E501 - SQL over our own temporary files; long notebook settings kept readable
"""Linkage quality and cost: Resident Hub's pipeline beside plain Splink (its example-notebook settings).

    python benchmarks/linkage.py                       # the four shared data sets, appended to docs
    python benchmarks/linkage.py --scale 400000        # also the synthetic population (persons)
    python benchmarks/linkage.py --only historical_50k_dev --no-append

Each (data set, method) runs in its own process so peak memory (max RSS) is its own. Figures:
pairwise precision / recall / F1 over all true pairs (blocking misses count), B-cubed F1 of the
clusters, review-queue size (pairs with 0.3 <= p < link threshold left in different clusters), wall
time, peak memory. Plain Splink clusters at 0.95, as its 50k notebook does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "linkage"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

REVIEW_LOW = 0.3
PLAIN_THRESHOLD = 0.95

MAPPINGS = {
    "febrl3": """id: rec_id
fields: {first_name: given_name, last_name: surname, dob: date_of_birth}
compare: [street_number, address_1, suburb, postcode, state]
identifiers: [soc_sec_id]
invalid_values: blank
""",
    "febrl4": """id: rec_id
fields: {first_name: given_name, last_name: surname, dob: date_of_birth}
compare: [street_number, address_1, suburb, postcode, state]
identifiers: [soc_sec_id]
invalid_values: blank
""",
    "fake_1000": """id: unique_id
fields: {first_name: first_name, last_name: surname, dob: dob, email: email}
compare: [city]
invalid_values: blank
""",
    "historical_50k_dev": """id: unique_id
fields: {first_name: first_name, last_name: surname, dob: dob, postcode: postcode_fake, sex: gender}
compare: [birth_place, occupation]
invalid_values: blank
""",
}


def prepare(name: str, workdir: Path) -> tuple[Path, str]:
    """A clean CSV for the data set (trimmed values, stripped headers) with a truth column."""
    import duckdb

    out = workdir / f"{name}.csv"
    con = duckdb.connect()
    if name in ("febrl3", "febrl4"):
        files = ["dataset3.csv"] if name == "febrl3" else ["dataset4a.csv", "dataset4b.csv"]
        parts = []
        for index, file in enumerate(files):
            rel = con.read_csv(str(DATA / file), all_varchar=True)
            cols = ", ".join(f'trim("{c}") as "{c.strip()}"' for c in rel.columns)
            parts.append(
                f"select {cols}, '{'ab'[index]}' as source_dataset from read_csv('{DATA / file}', all_varchar=true)"
            )
        sql = " union all ".join(parts)
        con.execute(
            f"copy (select *, regexp_extract(rec_id, '^([^-]+-[^-]+)', 1) as truth from ({sql})) to '{out}' (header)"
        )
    elif name == "fake_1000":
        con.execute(
            f"copy (select *, cluster as truth from read_csv('{DATA / 'fake_1000.csv'}', all_varchar=true)) to '{out}' (header)"
        )
    else:
        con.execute(
            f"copy (select *, cluster as truth from '{DATA / 'historical_50k_dev.parquet'}') to '{out}' (header)"
        )
    id_col = {"febrl3": "rec_id", "febrl4": "rec_id"}.get(name, "unique_id")
    return out, id_col


# --- the two methods (each run in a child process) --------------------------------------------


def run_hub(csv_path: str, mapping_text: str) -> dict:
    import yaml

    from residenthub.identity import dedupe, linkage
    from residenthub.identity.sources import Mapping

    mapping = Mapping.from_dict(yaml.safe_load(mapping_text))
    limits = linkage.Thresholds()
    output = dedupe.dedupe(csv_path, mapping, thresholds=limits)
    clusters = {row[0]: row[1] for row in output.rows}
    return {
        "clusters": clusters,
        "review": len(output.result.review_pairs(limits)),
        "model": output.result.model,  # for the point-of-entry check (benchmarks/point_of_entry.py)
        "tf_tables": output.result.tf_tables,
    }


def run_plain(csv_path: str, name: str) -> dict:
    """Plain Splink 5 with the settings of its example notebook for this data set."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    uid = "rec_id" if name.startswith("febrl") else "unique_id"
    if name == "febrl3":
        rel = con.sql(f"select * exclude (truth) from read_csv('{csv_path}', all_varchar=true)")
        rules = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comps = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        settings = SettingsCreator(
            unique_id_column_name=uid,
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=rules,
            comparisons=comps,
        )
        linker = Linker(db_api.register(rel), settings)
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    elif name == "febrl4":
        frames = [
            db_api.register(
                con.sql(
                    f"select * exclude (truth) from read_csv('{csv_path}', all_varchar=true) "
                    f"where source_dataset = '{s}'"
                )
            )
            for s in "ab"
        ]
        rules = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comps = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ]
        settings = SettingsCreator(
            unique_id_column_name=uid,
            link_type="link_only",
            blocking_rules_to_generate_predictions=rules,
            comparisons=comps,
        )
        linker = Linker(frames, settings)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    elif name == "fake_1000":
        rel = con.sql(
            f"select * exclude (truth) replace (try_cast(dob as date) as dob) from read_csv('{csv_path}', all_varchar=true)"
        )
        comps = [
            cl.ForenameSurnameComparison("first_name", "surname"),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ]
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=comps,
            blocking_rules_to_generate_predictions=[
                block_on("first_name"),
                block_on("surname"),
                block_on("dob"),
                block_on("email"),
            ],
        )
        linker = Linker(db_api.register(rel), settings)
        linker.training.estimate_probability_two_random_records_match(
            [
                "l.first_name = r.first_name and levenshtein(r.dob::VARCHAR, l.dob::VARCHAR) <= 1",
                "l.surname = r.surname and levenshtein(r.dob::VARCHAR, l.dob::VARCHAR) <= 1",
                "l.first_name = r.first_name and levenshtein(r.surname, l.surname) <= 2",
                "l.email = r.email",
            ],
            recall=0.7,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=5)
        for rule in (block_on("dob"), block_on("email"), block_on("first_name", "surname")):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
    else:
        rel = con.sql(
            f"select * exclude (truth), first_name || ' ' || surname as first_name_surname_concat "
            f"from read_csv('{csv_path}', all_varchar=true)"
        )
        rules = [
            block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode_fake", "first_name"),
            block_on("postcode_fake", "surname"),
            block_on("dob", "birth_place"),
            block_on("substr(postcode_fake,1,3)", "dob"),
            block_on("substr(postcode_fake,1,3)", "first_name"),
            block_on("substr(postcode_fake,1,3)", "surname"),
            block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
        ]
        comps = [
            cl.ForenameSurnameComparison(
                "first_name", "surname", forename_surname_concat_col_name="first_name_surname_concat"
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ]
        settings = SettingsCreator(
            link_type="dedupe_only", blocking_rules_to_generate_predictions=rules, comparisons=comps
        )
        linker = Linker(db_api.register(rel), settings)
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("first_name", "surname", "dob"),
                block_on("substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"),
                block_on("dob", "postcode_fake"),
            ],
            recall=0.6,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("first_name", "surname"), estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("dob"), estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=REVIEW_LOW)
    clusters_df = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=PLAIN_THRESHOLD
    )
    clusters = {
        str(k): str(v) for k, v in clusters_df.as_duckdbpyrelation().project(f"{uid}, cluster_id").fetchall()
    }
    review = sum(
        1
        for left, right, p in predictions.as_duckdbpyrelation()
        .project(f"{uid}_l, {uid}_r, match_probability")
        .fetchall()
        if p < PLAIN_THRESHOLD and clusters.get(str(left)) != clusters.get(str(right))
    )
    return {"clusters": clusters, "review": review}


def child(method: str, name: str, csv_path: str, mapping_text: str) -> None:
    import logging

    logging.disable(logging.WARNING)
    start = time.perf_counter()
    result = run_hub(csv_path, mapping_text) if method == "hub" else run_plain(csv_path, name)
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(result))


# --- scoring -----------------------------------------------------------------------------------


def score(clusters: dict[str, str], truth: dict[str, str]) -> dict:
    ids = [i for i in truth if i in clusters]
    both = Counter((clusters[i], truth[i]) for i in ids)
    predicted = Counter(clusters[i] for i in ids)
    true = Counter(truth[i] for i in ids)

    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    tp, pp, tt = pairs(both), pairs(predicted), pairs(true)
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    b_p = sum(both[(clusters[i], truth[i])] / predicted[clusters[i]] for i in ids) / len(ids)
    b_r = sum(both[(clusters[i], truth[i])] / true[truth[i]] for i in ids) / len(ids)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "bcubed_f1": 2 * b_p * b_r / (b_p + b_r),
    }


def measure(
    method: str, name: str, csv_path: Path, mapping_text: str, truth: dict, keep: bool = False
) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = dict(os.environ, BENCH_OUT=out.name, DJANGO_SETTINGS_MODULE="residenthub.settings")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--child", method, name, str(csv_path)],
            input=mapping_text.encode(),
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        result = json.loads(Path(out.name).read_text())
    figures = score(result["clusters"], truth)
    figures.update(review=result["review"], seconds=result["seconds"], wall=wall, peak_mb=result["peak_mb"])
    if keep:
        figures["linked"] = {k: result[k] for k in ("clusters", "model", "tf_tables")}
    return figures


def truth_of(csv_path: Path, id_col: str) -> dict[str, str]:
    import duckdb

    rows = duckdb.sql(f"select \"{id_col}\", truth from read_csv('{csv_path}', all_varchar=true)").fetchall()
    return {str(a): str(b) for a, b in rows}


def scale_run(persons: int, workdir: Path) -> dict:
    """Dedupe the synthetic population; then the point-of-entry check against it in PostgreSQL."""
    import point_of_entry
    import population

    csv_path = workdir / "population.csv"
    records = population.write(str(csv_path), persons)
    truth = {}
    import csv as csvlib

    with open(csv_path, encoding="utf-8") as handle:
        for row in csvlib.DictReader(handle):
            truth[row["record_id"]] = row["person"]
    mapping = population.MAPPING + "invalid_values: blank\n"
    hub = measure("hub", "population", csv_path, mapping, truth, keep=True)
    linked = workdir / "linked.json"
    linked.write_text(json.dumps(hub.pop("linked")))
    poe = point_of_entry.run(csv_path, linked)
    return {"records": records, "persons": persons, "hub": hub, "poe": poe}


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GB RAM, Python {platform.python_version()}"
    )


TIME_RATIO_GOAL = 1.2
HISTORICAL_BCUBED_GOAL = 0.93
SCALE_SECONDS_GOAL, SCALE_MB_GOAL, POE_P95_GOAL_MS = 600, 8192, 50


def goal_lines(figures: dict[tuple[str, str], dict], scale: dict | None) -> list[str]:
    """PASS/FAIL for each goal of the issue, from the figures of this run."""

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    lines = []
    for name in dict.fromkeys(n for n, _ in figures):
        plain, hub = figures[(name, "plain")], figures[(name, "hub")]
        ratio = hub["seconds"] / plain["seconds"]
        lines.append(
            f"- {verdict(ratio <= TIME_RATIO_GOAL)}: {name} time {ratio:.2f}x plain Splink's "
            f"(goal <= {TIME_RATIO_GOAL}x)"
        )
        not_below = hub["bcubed_f1"] >= plain["bcubed_f1"] and hub["f1"] >= plain["f1"]
        lines.append(
            f"- {verdict(not_below)}: {name} not below plain Splink: B-cubed F1 {hub['bcubed_f1']:.4f} vs "
            f"{plain['bcubed_f1']:.4f}, pairwise F1 {hub['f1']:.4f} vs {plain['f1']:.4f}"
        )
        if name == "historical_50k_dev":
            lines.append(
                f"- {verdict(hub['bcubed_f1'] >= HISTORICAL_BCUBED_GOAL)}: historical_50k_dev B-cubed F1 "
                f"{hub['bcubed_f1']:.4f} (goal >= {HISTORICAL_BCUBED_GOAL})"
            )
    if scale:
        hub, poe = scale["hub"], scale["poe"]
        lines += [
            f"- {verdict(hub['wall'] <= SCALE_SECONDS_GOAL)}: {scale['records']} records deduped in "
            f"{hub['wall']:.1f} s wall (goal <= {SCALE_SECONDS_GOAL} s)",
            f"- {verdict(hub['peak_mb'] <= SCALE_MB_GOAL)}: peak memory {hub['peak_mb']:.0f} MB "
            f"(goal <= {SCALE_MB_GOAL} MB)",
            f"- {verdict(poe['p95_ms'] <= POE_P95_GOAL_MS)}: point-of-entry p95 {poe['p95_ms']:.1f} ms against "
            f"{poe['records']} records (goal <= {POE_P95_GOAL_MS} ms)",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", default=list(MAPPINGS))
    parser.add_argument("--scale", type=int, default=0, help="persons in the synthetic population (0: skip)")
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.child[2], sys.stdin.read())
        return
    lines = [
        f"\n## Record linkage: Resident Hub vs plain Splink ({dt.date.today().isoformat()})\n",
        f"Machine: {machine()}. Command: `{' '.join(['python', 'benchmarks/linkage.py', *sys.argv[1:]])}`. "
        "Plain Splink = Splink 5.0.0 with its example notebook's settings, clustered at 0.95. "
        "Precision/recall are pairwise over all true pairs; review = pairs 0.3 <= p < link threshold left "
        "in different clusters; time and peak memory (max RSS) per child process.\n",
        "| data set | method | precision | recall | F1 | B-cubed F1 | review | seconds | peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    figures: dict[tuple[str, str], dict] = {}
    scale = None
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name in args.only:
            csv_path, id_col = prepare(name, workdir)
            truth = truth_of(csv_path, id_col)
            for method in ("plain", "hub"):
                f = figures[(name, method)] = measure(method, name, csv_path, MAPPINGS[name], truth)
                line = (
                    f"| {name} | {'plain Splink' if method == 'plain' else 'Resident Hub'} | {f['precision']:.4f} | "
                    f"{f['recall']:.4f} | {f['f1']:.4f} | {f['bcubed_f1']:.4f} | {f['review']} | "
                    f"{f['seconds']:.1f} | {f['peak_mb']:.0f} |"
                )
                print(line, flush=True)
                lines.append(line)
        if args.scale:
            s = scale = scale_run(args.scale, workdir)
            h = s["hub"]
            line = (
                f"\nSynthetic population (benchmarks/population.py, seed 2026): {s['persons']} persons, "
                f"{s['records']} records in 5 sources. Resident Hub dedupe: pairwise P {h['precision']:.4f} "
                f"R {h['recall']:.4f} F1 {h['f1']:.4f}, B-cubed F1 {h['bcubed_f1']:.4f}, review {h['review']}, "
                f"{h['seconds']:.1f} s (wall {h['wall']:.1f} s), peak {h['peak_mb']:.0f} MB. Point-of-entry check "
                f"(`actions.find_candidates` on PostgreSQL holding the {s['poe']['records']} records and "
                f"{s['poe']['candidate_keys']} candidate keys; 300 new web contacts, each made from a record "
                f"left out of the candidates): p50 {s['poe']['p50_ms']:.1f} ms, p95 {s['poe']['p95_ms']:.1f} ms, "
                f"max {s['poe']['max_ms']:.1f} ms; best candidate is the right person for "
                f"{s['poe']['right_person_first']:.0%} of the {s['poe']['findable']} contacts whose resident "
                f"has other records."
            )
            print(line)
            lines.append(line)
    goals = goal_lines(figures, scale)
    print("\n".join(goals))
    lines += ["", *goals]
    if not args.no_append:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
