"""Record linkage with Splink 5 on DuckDB: settings for UK person data, EM training, prediction,
constraints from human decisions, clustering.

This module knows nothing about Django: it takes standard records (see ``sources.RECORD_COLUMNS``)
and returns scored pairs and clusters. ``actions.run_linkage`` stores the results; the CLI writes
them to a file.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.clustering import cluster_pairwise_predictions_at_threshold

from . import engines
from .sources import RECORD_COLUMNS

logger = logging.getLogger(__name__)

for _name in ("splink", "splink.internals"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@dataclass(frozen=True)
class Thresholds:
    """Pairs at or above ``link`` are the same person (connected components).

    A record left alone (or in a cluster of at most ``attach_max_size``) joins the larger cluster of
    its best link when that link's probability is at least ``attach``: sparse records (a name and a
    town) rarely reach ``link`` but their best candidate is usually right. Pairs with
    ``review`` <= p < ``link`` whose records end up in different persons go to clerical review.
    """

    link: float = 0.95
    review: float = 0.3
    attach: float = 0.3
    attach_max_size: int = 2

    def __post_init__(self):
        if not 0 < self.review <= self.link < 1 or not 0 < self.attach <= self.link:
            raise ValueError("thresholds must satisfy 0 < review <= link < 1 and 0 < attach <= link")


@dataclass
class Constraints:
    """Human decisions fed back into a run: pairs that must, or must not, be the same person."""

    must_link: set[tuple[str, str]] = field(default_factory=set)
    cannot_link: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class LinkageResult:
    clusters: dict[str, str]  # unique_id -> cluster id (the smallest unique_id in the cluster)
    pairs: list[tuple[str, str, float, float]]  # (id_l, id_r, match_probability, match_weight), p >= review
    best: dict[str, float]  # unique_id -> best probability of a link inside its cluster
    model: dict  # the trained Splink model (settings with m and u), stored with each run
    timings: dict[str, float]
    tf_tables: dict[str, dict[str, float]] = field(default_factory=dict)
    explanations: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    def review_pairs(self, thresholds: Thresholds) -> list[tuple[str, str, float, float]]:
        """Uncertain pairs the clustering left in different persons."""
        return [
            p
            for p in self.pairs
            if thresholds.review <= p[2] < thresholds.link
            and self.clusters.get(p[0]) != self.clusters.get(p[1])
        ]


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


# --- the model ----------------------------------------------------------------------------------


def present_columns(table: pa.Table) -> set[str]:
    """Columns with at least one known value."""
    present = set()
    for name in table.column_names:
        column = table.column(name)
        if column.null_count < len(column):
            present.add(name)
    return present


def comparisons(cols: set[str]) -> list:
    comps = []
    if "first_name" in cols:
        levels = [
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name").configure(tf_adjustment_column="first_name"),
            cll.ExactMatchLevel("first_name_canon").configure(label_for_charts="Same name or nickname"),
            cll.JaroWinklerLevel("first_name", 0.92),
            cll.JaroWinklerLevel("first_name", 0.8),
        ]
        if "middle_name" in cols:
            levels.append(
                cll.CustomLevel(
                    "(first_name_l = middle_name_r or middle_name_l = first_name_r)",
                    label_for_charts="First name is the other's middle name",
                )
            )
        levels.append(cll.ElseLevel())
        comps.append(cl.CustomComparison(levels, output_column_name="first_name"))
    if "last_name" in cols:
        levels = [
            cll.NullLevel("last_name"),
            cll.ExactMatchLevel("last_name").configure(tf_adjustment_column="last_name"),
        ]
        if "previous_last_name" in cols:
            levels.append(
                cll.CustomLevel(
                    "(last_name_l = previous_last_name_r or previous_last_name_l = last_name_r)",
                    label_for_charts="Previous surname matches",
                )
            )
        if "first_name" in cols:
            levels.append(
                cll.CustomLevel(
                    "(last_name_l = first_name_r and first_name_l = last_name_r)",
                    label_for_charts="First name and surname swapped",
                )
            )
        levels += [
            cll.JaroWinklerLevel("last_name", 0.92),
            cll.JaroWinklerLevel("last_name", 0.8),
            cll.ElseLevel(),
        ]
        comps.append(cl.CustomComparison(levels, output_column_name="last_name"))
    if "dob" in cols:
        comps.append(
            cl.CustomComparison(
                [
                    cll.NullLevel("dob"),
                    cll.ExactMatchLevel("dob"),
                    cll.CustomLevel("dob_l = dob_swap_r", label_for_charts="Day and month swapped"),
                    cll.LevenshteinLevel("dob", 1),
                    # Birth years one or five apart: integer arithmetic on the year, which costs a
                    # fraction of parsing both dates for every pair (measured in DuckDB).
                    cll.CustomLevel(
                        "abs(cast(birth_year_l as int) - cast(birth_year_r as int)) <= 1",
                        label_for_charts="Born within a year",
                    ),
                    cll.CustomLevel(
                        "abs(cast(birth_year_l as int) - cast(birth_year_r as int)) <= 5",
                        label_for_charts="Born within five years",
                    ),
                    cll.ElseLevel(),
                ],
                output_column_name="dob",
            )
        )
    if cols & {"postcode", "street", "uprn"}:
        # One comparison for where someone lives: UPRN, address and postcode measure the same thing,
        # and counting them separately makes everyone in a household look like one person.
        levels = [
            cll.CustomLevel(
                "coalesce(uprn_l, street_l, postcode_l) is null "
                "or coalesce(uprn_r, street_r, postcode_r) is null"
            ).configure(is_null_level=True),
        ]
        if "uprn" in cols:
            levels.append(cll.CustomLevel("uprn_l = uprn_r", label_for_charts="Same UPRN"))
        if "street" in cols:
            levels.append(
                cll.CustomLevel(
                    "number_l = number_r and street_l = street_r "
                    "and coalesce(flat_l, '') = coalesce(flat_r, '') "
                    "and (postcode_l = postcode_r or postcode_l is null or postcode_r is null)",
                    label_for_charts="Same address",
                )
            )
        if "postcode" in cols:
            levels += [
                cll.ExactMatchLevel("postcode").configure(tf_adjustment_column="postcode"),
                cll.CustomLevel(
                    "split_part(postcode_l, ' ', 1) = split_part(postcode_r, ' ', 1)",
                    label_for_charts="Same postcode district",
                ),
                cll.CustomLevel(
                    # group 1 named: DuckDB and Spark differ on the default group
                    "regexp_extract(postcode_l, '^([A-Z]+)', 1) = regexp_extract(postcode_r, '^([A-Z]+)', 1)",
                    label_for_charts="Same postcode area",
                ),
            ]
        if "street" in cols:
            levels.append(cll.JaroWinklerLevel("street", 0.9))
        levels.append(cll.ElseLevel())
        comps.append(cl.CustomComparison(levels, output_column_name="address"))
    for name in ("email", "phone"):
        if name in cols:
            comps.append(cl.ExactMatch(name))
    for name in ("nhs_number", "ni_number"):
        if name in cols:
            comps.append(cl.LevenshteinAtThresholds(name, [1]))
    if "sex" in cols:
        comps.append(cl.ExactMatch("sex"))
    for name in sorted(c for c in cols if c.startswith("id_")):
        comps.append(cl.LevenshteinAtThresholds(name, [1, 2]))
    for name in sorted(c for c in cols if c.startswith("c_")):
        comps.append(
            cl.CustomComparison(
                [
                    cll.NullLevel(name),
                    cll.ExactMatchLevel(name).configure(tf_adjustment_column=name),
                    cll.JaroWinklerLevel(name, 0.88),
                    cll.ElseLevel(),
                ],
                output_column_name=name,
            )
        )
    return comps


def blocking_rules(cols: set[str]) -> list:
    has = cols.__contains__
    rules = []
    if has("first_name") and has("last_name"):
        rules.append(block_on("first_name_canon", "last_name"))
        rules.append(block_on("substr(first_name, 1, 3)", "substr(last_name, 1, 4)"))
    if has("dob"):
        if has("last_name"):
            rules.append(block_on("last_name", "dob"))
            rules.append("l.last_name = r.last_name and l.dob = r.dob_swap")
        if has("first_name"):
            rules.append(block_on("first_name_canon", "dob"))
        if has("postcode"):
            rules.append(block_on("split_part(postcode, ' ', 1)", "dob"))
        compare = sorted(c for c in cols if c.startswith("c_"))
        if compare:
            rules.append(block_on("dob", compare[0]))
        if has("first_name") and has("last_name"):
            rules.append(block_on("substr(first_name, 1, 2)", "substr(last_name, 1, 2)", "birth_year"))
    if has("postcode"):
        if has("first_name"):
            rules.append(block_on("postcode", "first_name_canon"))
        if has("last_name"):
            rules.append(block_on("postcode", "last_name"))
        if has("first_name") and has("last_name"):
            rules.append(
                block_on("split_part(postcode, ' ', 1)", "first_name_canon", "substr(last_name, 1, 1)")
            )
    for name in sorted(c for c in cols if c.startswith("c_"))[:2]:
        if has("last_name"):
            rules.append(block_on("last_name", name))
        if has("first_name"):
            rules.append(block_on("first_name_canon", name))
    if has("last_name") and has("birth_year"):
        rules.append(block_on("last_name", "birth_year"))
    if has("postcode") and has("dob"):
        rules.append(block_on("postcode", "substr(dob, 1, 7)"))
    if has("previous_last_name") and has("first_name"):
        rules.append("l.first_name_canon = r.first_name_canon and l.previous_last_name = r.last_name")
    for name in (
        "email",
        "phone",
        "nhs_number",
        "ni_number",
        *sorted(c for c in cols if c.startswith("id_")),
    ):
        if has(name):
            rules.append(block_on(name))
    if has("uprn") and has("first_name"):
        rules.append(block_on("uprn", "substr(first_name, 1, 1)"))
    if has("address_key") and has("first_name"):
        rules.append(block_on("address_key", "substr(first_name, 1, 1)"))
    return rules


def settings_for(cols: set[str]) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=blocking_rules(cols),
        comparisons=comparisons(cols),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


# --- running ------------------------------------------------------------------------------------


def records_table(records: Iterable[dict], extra_columns: Iterable[str] = ()) -> pa.Table:
    """Standard records to an Arrow table; '' becomes NULL so Splink treats it as unknown."""
    records = list(records)
    names = list(RECORD_COLUMNS) + [c for c in extra_columns if c not in RECORD_COLUMNS]
    if records:
        names += sorted({k for k in records[0] if k.startswith(("c_", "id_"))} - set(names))
    data = {name: [(r.get(name) or None) for r in records] for name in names}
    return pa.table({name: pa.array(values, type=pa.string()) for name, values in data.items()})


def link(
    table: pa.Table,
    *,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen dataclass
    constraints: Constraints | None = None,
    seed: int = 42,
    max_pairs: float | None = None,
    engine=None,
    backend: str = "duckdb",
) -> LinkageResult:
    """Train a model on ``table`` by EM, predict, apply constraints, cluster.

    ``engine`` (from ``engines.make_engine``) or ``backend`` says where: DuckDB here, or Spark.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    constraints = constraints or Constraints()
    cols = present_columns(table)
    n = table.num_rows
    if n < MIN_RECORDS_FOR_MODEL:
        return exact_only(table)
    engine = engine or engines.make_engine(backend)
    linker = Linker(engine.register(table), settings_for(cols))
    train(linker, cols, n, seed=seed, max_pairs=max_pairs)
    timings["train"] = time.perf_counter() - start

    predict_start = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=thresholds.review)
    columns = engine.columns(predictions)
    rows = engine.rows(
        predictions, ["unique_id_l", "unique_id_r", guarded_probability(columns), "match_weight"]
    )
    explanations = explain(engine, predictions, columns, thresholds)
    timings["predict"] = time.perf_counter() - predict_start

    cluster_start = time.perf_counter()
    scored: dict[tuple[str, str], tuple[float, float]] = {}
    for left, right, probability, weight in rows:
        scored[pair_key(left, right)] = (float(probability), float(weight))
    for pair in constraints.cannot_link:
        scored.pop(pair_key(*pair), None)
    for pair in constraints.must_link:
        scored[pair_key(*pair)] = (1.0, 99.0)
    clusters = cluster(table.column("unique_id").to_pylist(), scored, thresholds.link, engine)
    clusters = attach_small(clusters, scored, thresholds.attach, thresholds.attach_max_size)
    clusters = enforce_cannot_link(clusters, scored, constraints.cannot_link, thresholds.link)
    best: dict[str, float] = {}
    for (left, right), (probability, _) in scored.items():
        if probability < thresholds.attach and probability < thresholds.link:
            continue
        if clusters.get(left) == clusters.get(right):
            best[left] = max(best.get(left, 0.0), probability)
            best[right] = max(best.get(right, 0.0), probability)
    timings["cluster"] = time.perf_counter() - cluster_start
    timings["total"] = time.perf_counter() - start
    model = json.loads(json.dumps(linker.misc.save_model_to_json(), default=str))
    tf_tables = term_frequencies(table, cols)
    pairs = [(a, b, p, w) for (a, b), (p, w) in scored.items()]
    return LinkageResult(clusters, pairs, best, model, timings, tf_tables, explanations)


# A pair that shares a surname and an address (UPRN, postcode, or number and street) and contradicts
# itself is scored no higher than this (not linked, not attached, not queued for review): first names
# that disagree outright (not a typo, nickname or middle name) while a date of birth is missing, or
# dates of birth more than a year apart (neither a day/month swap nor one mistyped character); unless
# the two share an email, phone, NHS or NI number. Such pairs are nearly always two people of one
# household: a rare surname and a shared address each look like strong evidence, though they are one
# fact about a family (Splink's comparisons are assumed independent). Measured in docs/identity.md.
CONTRADICTION_CAP = 0.2


def contradiction_guard(columns: list[str]) -> str:
    """SQL over the predictions: true for the pairs capped at ``CONTRADICTION_CAP``."""
    has = set(columns).__contains__
    both = [name for name in ("dob", "email", "phone", "nhs_number", "ni_number") if has(f"{name}_l")]
    same = {name: f"coalesce({name}_l = {name}_r, false)" for name in both}
    reasons = []
    if has("gamma_first_name"):
        # With both dates of birth known, the date decides (below); a name alone does not.
        no_dob = "(dob_l is null or dob_r is null)" if "dob" in same else "true"
        reasons.append(f"(gamma_first_name = 0 and {no_dob})")
    if "dob" in same and has("birth_year_l") and has("dob_swap_l"):
        reasons.append(
            "(abs(cast(birth_year_l as int) - cast(birth_year_r as int)) > 1 "
            "and levenshtein(dob_l, dob_r) > 1 and coalesce(dob_l <> dob_swap_r, true))"
        )
    home = [
        f"coalesce({a}_l = {a}_r and {b}_l = {b}_r, false)" if b else f"coalesce({a}_l = {a}_r, false)"
        for a, b in (("uprn", ""), ("postcode", ""), ("number", "street"))
        if has(f"{a}_l") and (not b or has(f"{b}_l"))
    ]
    if not reasons or not home or not has("last_name_l"):
        return ""
    household = f"coalesce(last_name_l = last_name_r, false) and ({' or '.join(home)})"
    shared = " or ".join(same[name] for name in both if name != "dob")
    guard = f"{household} and ({' or '.join(reasons)})"
    return f"{guard} and not ({shared})" if shared else guard


def guarded_probability(columns: list[str]) -> str:
    """SQL for the match probability with ``contradiction_guard`` applied (as in the point of entry)."""
    guard = contradiction_guard(columns)
    if not guard:
        return "match_probability"
    return f"case when {guard} then least(match_probability, {CONTRADICTION_CAP}) else match_probability end"


def contributions(columns: list[str]) -> list[tuple[str, str]]:
    """(comparison, SQL) for each comparison's contribution to the match weight (log2 Bayes factor,
    TF adjustment included). Splink 5 names these ``mw_<comparison>`` and ``mw_tf_adj_<comparison>``."""
    names = [c[3:] for c in columns if c.startswith("mw_") and not c.startswith("mw_tf_adj_")]
    return [
        (
            name,
            f"mw_{name} + coalesce(mw_tf_adj_{name}, 0)" if f"mw_tf_adj_{name}" in columns else f"mw_{name}",
        )
        for name in names
    ]


def explain(engine, predictions, columns: list[str], thresholds: Thresholds) -> dict:
    """``contributions`` for every review-band pair."""
    parts = contributions(columns)
    if not parts:
        return {}
    where = f"match_probability >= {thresholds.review} and match_probability < {thresholds.link}"
    rows = engine.rows(predictions, ["unique_id_l", "unique_id_r", *(sql for _, sql in parts)], where)
    return {
        pair_key(row[0], row[1]): {
            name: round(float(v), 3) for (name, _), v in zip(parts, row[2:], strict=True)
        }
        for row in rows
    }


MIN_RECORDS_FOR_MODEL = 20


def exact_only(table: pa.Table) -> LinkageResult:
    """Too few records to train a model: link only records agreeing on name and date of birth."""
    rows = table.select(["unique_id", "first_name_canon", "last_name", "dob"]).to_pylist()
    clusters: dict[str, str] = {}
    first_of: dict[tuple, str] = {}
    pairs = []
    for row in rows:
        key = (row["first_name_canon"], row["last_name"], row["dob"])
        if all(key) and key in first_of:
            clusters[row["unique_id"]] = clusters[first_of[key]]
            pairs.append((first_of[key], row["unique_id"], 1.0, 99.0))
        else:
            first_of.setdefault(key, row["unique_id"])
            clusters[row["unique_id"]] = row["unique_id"]
    best = {uid: 1.0 for pair in pairs for uid in pair[:2]}
    return LinkageResult(clusters, pairs, best, {}, {"total": 0.0})


def train(linker: Linker, cols: set[str], n: int, *, seed: int, max_pairs: float | None) -> None:
    has = cols.__contains__
    deterministic = []
    if has("first_name") and has("last_name") and has("dob"):
        deterministic.append(block_on("first_name_canon", "last_name", "dob"))
    if has("first_name") and has("last_name") and has("postcode"):
        deterministic.append(block_on("first_name_canon", "last_name", "postcode"))
    for name in ("email", "nhs_number", "ni_number"):
        if has(name):
            deterministic.append(block_on(name))
    if not deterministic and has("first_name") and has("last_name"):
        deterministic.append(block_on("first_name", "last_name"))
    if deterministic:
        try:
            linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
        except Exception:  # too little data to estimate: keep Splink's default prior
            logger.info("could not estimate the prior; using the default")
    pairs = max_pairs or min(5e6, max(1e5, n * 40.0))
    linker.training.estimate_u_using_random_sampling(max_pairs=pairs, seed=seed)
    em_rules = []
    if has("first_name") and has("last_name"):
        em_rules.append(block_on("first_name_canon", "last_name"))
    if has("dob"):
        em_rules.append(block_on("dob"))
    for rule in em_rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except Exception as exc:  # e.g. no pairs in a tiny extract: the other sessions still train
            logger.info("EM session skipped: %s", exc)


def cluster(ids: list[str], scored: dict, threshold: float, engine) -> dict[str, str]:
    """Connected components over pairs >= threshold, through Splink's clusterer (in the engine)."""
    nodes = pa.table({"unique_id": pa.array(ids, type=pa.string())})
    edges_rows = [(a, b, p) for (a, b), (p, _) in scored.items() if p >= threshold]
    edges = pa.table(
        {
            "unique_id_l": pa.array([e[0] for e in edges_rows], type=pa.string()),
            "unique_id_r": pa.array([e[1] for e in edges_rows], type=pa.string()),
            "match_probability": pa.array([e[2] for e in edges_rows], type=pa.float64()),
        }
    )
    result = cluster_pairwise_predictions_at_threshold(
        engine.table(nodes),
        engine.table(edges),
        engine.db_api,
        node_id_column_name="unique_id",
        threshold_match_probability=threshold,
    )
    return {str(k): str(v) for k, v in engine.rows(result, ["unique_id", "cluster_id"])}


def attach_small(clusters: dict[str, str], scored: dict, threshold: float, max_size: int) -> dict[str, str]:
    """Move each record of a small cluster to the larger cluster of its best link (p >= threshold)."""
    size: dict[str, int] = {}
    for cluster_id in clusters.values():
        size[cluster_id] = size.get(cluster_id, 0) + 1
    best: dict[str, tuple[float, str]] = {}
    for (a, b), (probability, _) in scored.items():
        if probability < threshold:
            continue
        for x, y in ((a, b), (b, a)):
            cx, cy = clusters[x], clusters[y]
            if (
                cx != cy
                and size[cx] <= max_size
                and size[cy] > size[cx]
                and probability > best.get(x, (0, ""))[0]
            ):
                best[x] = (probability, y)
    result = dict(clusters)
    for x, (_, y) in best.items():
        result[x] = clusters[y]
    return result


def enforce_cannot_link(
    clusters: dict[str, str], scored: dict, cannot_link: set[tuple[str, str]], threshold: float
) -> dict[str, str]:
    """Split any cluster that still joins a rejected pair (through other records).

    The cluster is rebuilt greedily from its strongest edges, never adding an edge that would join
    two records a person said are different.
    """
    if not cannot_link:
        return clusters
    broken = {clusters[a] for a, b in cannot_link if a in clusters and clusters.get(a) == clusters.get(b)}
    if not broken:
        return clusters
    result = dict(clusters)
    forbidden = {pair_key(*p) for p in cannot_link}
    for cluster_id in broken:
        members = sorted(m for m, c in clusters.items() if c == cluster_id)
        parent = {m: m for m in members}
        groups = {m: {m} for m in members}

        def find(x, parent=parent):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        edges = sorted(
            (
                (p, a, b)
                for (a, b), (p, _) in scored.items()
                if p >= threshold and a in parent and b in parent
            ),
            reverse=True,
        )
        for _, a, b in edges:
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            if any(pair_key(x, y) in forbidden for x in groups[ra] for y in groups[rb]):
                continue
            parent[rb] = ra
            groups[ra] |= groups.pop(rb)
        for group in groups.values():
            label = min(group)
            for member in group:
                result[member] = label
    return result


def term_frequencies(table: pa.Table, cols: set[str]) -> dict[str, dict[str, float]]:
    """Relative frequency of each value of the TF-adjusted columns (for real-time scoring)."""
    tables = {}
    for name in ["first_name", "last_name", "postcode", *sorted(c for c in cols if c.startswith("c_"))]:
        if name not in cols:
            continue
        counts = table.column(name).drop_null().value_counts()
        total = sum(counts.field("counts").to_pylist())
        tables[name] = {
            value: count / total
            for value, count in zip(
                counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True
            )
        }
    return tables
