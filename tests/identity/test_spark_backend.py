"""The same linkage on Spark (pyspark local mode, Java 17): same persons as DuckDB, constraints kept.

Spark runs each step as a job, so a linkage of a few hundred records takes 20-40 s here; the session
is started once per test process (``engines.spark_session`` keeps it) and Spark links twice in all.
"""

import os
import subprocess
import sys

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from residenthub.identity import engines, linkage
from residenthub.identity.sources import Mapping, load_input

from .conftest import rows_of

pytestmark = pytest.mark.spark

# Small data: one shuffle partition, and lineage broken by caching rather than writing Parquet. Each
# Splink step is a new query, and on a few hundred rows compiling it costs more than running it, so
# no broadcast joins and no code generation (interpreted expressions): the same results, about a
# third faster (the file took 117 s with code generation, 79 s without).
TEST_CONF = {
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "2",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "residenthub.break_lineage_method": "persist",
}


@pytest.fixture(scope="module")
def records(population_csv, population_mapping):
    mapping = Mapping.from_dict(yaml.safe_load(population_mapping.read_text()))
    return load_input(mapping, population_csv, invalid_values="blank").records


@pytest.fixture(scope="module")
def both(records):
    """The population linked on each backend with the same human decisions."""
    table = linkage.records_table(records)
    plain = linkage.link(table)
    clusters = plain.clusters
    members: dict[str, list[str]] = {}
    for uid, cluster in clusters.items():
        members.setdefault(cluster, []).append(uid)
    together = next(sorted(m)[:2] for m in members.values() if len(m) >= 3)  # a linked pair
    apart = sorted(next(sorted(m) for m in members.values() if len(m) == 1) + [together[0]])  # two people
    constraints = linkage.Constraints(must_link={tuple(apart)}, cannot_link={tuple(together)})
    duck = linkage.link(table, constraints=constraints)
    spark = linkage.link(table, constraints=constraints, engine=engines.make_engine("spark", conf=TEST_CONF))
    return duck, spark, together, apart


def partition(clusters: dict[str, str]) -> set[frozenset]:
    groups: dict[str, set[str]] = {}
    for uid, cluster in clusters.items():
        groups.setdefault(cluster, set()).add(uid)
    return {frozenset(g) for g in groups.values()}


def test_spark_finds_the_same_persons_as_duckdb(both):
    duck, spark, _, _ = both
    assert partition(spark.clusters) == partition(duck.clusters)
    assert spark.clusters == duck.clusters  # cluster ids are the smallest member on both
    assert spark.tf_tables == duck.tf_tables
    assert spark.model["comparisons"] and spark.model["sql_dialect"] == "spark"
    assert duck.model["sql_dialect"] == "duckdb"


def test_spark_probabilities_agree_with_duckdb(both):
    """EM starts from a u sample drawn by each engine, so the weights differ a little, no more."""
    duck, spark, _, _ = both
    d = {linkage.pair_key(a, b): p for a, b, p, _ in duck.pairs}
    s = {linkage.pair_key(a, b): p for a, b, p, _ in spark.pairs}
    common = d.keys() & s.keys()
    assert len(common) >= 0.95 * max(len(d), len(s))
    assert max(abs(d[k] - s[k]) for k in common) < 0.05
    assert len(duck.explanations) >= 5
    shared = duck.explanations.keys() & spark.explanations.keys()
    assert len(shared) >= 0.9 * len(duck.explanations)
    for key in shared:  # the same comparisons explain each pair, with close weights
        assert spark.explanations[key].keys() == duck.explanations[key].keys()
        assert all(abs(spark.explanations[key][c] - v) < 0.5 for c, v in duck.explanations[key].items())


def test_spark_keeps_human_decisions(both):
    _, spark, together, apart = both
    assert spark.clusters[together[0]] != spark.clusters[together[1]]  # rejected: kept apart
    assert spark.clusters[apart[0]] == spark.clusters[apart[1]]  # accepted: kept together


def test_dedupe_command_on_spark_writes_the_same_file(
    both, population_csv, population_mapping, tmp_path, settings
):
    settings.IDENTITY_SPARK_CONF = TEST_CONF
    duck_out, spark_out = tmp_path / "duck.csv", tmp_path / "spark.csv"
    args = ["identity", "dedupe", str(population_csv), "--mapping", str(population_mapping)]
    call_command(*args, "--out", str(duck_out))
    call_command(*args, "--out", str(spark_out), "--backend", "spark")
    duck_rows, spark_rows = rows_of(duck_out), rows_of(spark_out)
    assert [(r["record_id"], r["person_id"], r["household_id"]) for r in spark_rows] == [
        (r["record_id"], r["person_id"], r["household_id"]) for r in duck_rows
    ]


@pytest.mark.django_db
def test_link_command_takes_the_backend_from_the_option_or_the_setting(tmp_path, settings, monkeypatch):
    """The plumbing of ``hub identity link`` (Spark's linkage itself is checked above, through the same
    ``actions.engine_for``): the engine it builds and the backend recorded on the run. The linkage is
    then run on DuckDB, to keep this test quick."""
    import io

    import population

    from residenthub.identity import actions
    from residenthub.identity.models import LinkageRun

    path = tmp_path / "people.csv"
    population.write(str(path), 40, seed=3)
    actions.import_source(Mapping.from_dict(yaml.safe_load(population.MAPPING)), path)
    settings.IDENTITY_SPARK_CONF = TEST_CONF
    engines_used = []
    real_link = linkage.link

    def spy(table, *, engine, **options):
        engines_used.append(engine)
        return real_link(table, engine=engines.make_engine("duckdb"), **options)

    monkeypatch.setattr(linkage, "link", spy)
    out = io.StringIO()
    call_command("identity", "link", "--backend", "spark", stdout=out)
    settings.IDENTITY_BACKEND = "spark"
    call_command("identity", "link", stdout=out)
    call_command("identity", "link", "--backend", "duckdb", stdout=out)
    assert [type(e) for e in engines_used] == [engines.SparkEngine] * 2 + [engines.DuckDBEngine]
    assert engines_used[0].spark.sparkContext.master == "local[2]"
    runs = LinkageRun.objects.order_by("pk")
    assert list(runs.values_list("backend", flat=True)) == ["spark", "spark", "duckdb"]
    assert "persons: " in out.getvalue()


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown linkage backend 'hadoop'"):
        engines.make_engine("hadoop")
    env = dict(os.environ, IDENTITY_BACKEND="hadoop", DJANGO_SETTINGS_MODULE="residenthub.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "IDENTITY_BACKEND must be one of ['duckdb', 'spark'], not 'hadoop'" in result.stderr


def test_spark_conf_must_be_a_json_object(monkeypatch):
    from residenthub.env import env_dict

    monkeypatch.setenv("IDENTITY_SPARK_CONF", '["spark.driver.memory", "4g"]')
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_SPARK_CONF must be a JSON object"):
        env_dict("IDENTITY_SPARK_CONF")
    monkeypatch.setenv("IDENTITY_SPARK_CONF", "{not json")
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_SPARK_CONF must be a JSON object"):
        env_dict("IDENTITY_SPARK_CONF")
    monkeypatch.setenv("IDENTITY_SPARK_CONF", '{"spark.driver.memory": "4g"}')
    assert env_dict("IDENTITY_SPARK_CONF") == {"spark.driver.memory": "4g"}


def test_engine_follows_the_settings(settings):
    from residenthub.identity import actions

    settings.IDENTITY_SPARK_CONF = TEST_CONF
    engine = actions.engine_for("spark")
    assert isinstance(engine, engines.SparkEngine)
    assert engine.spark.conf.get("spark.sql.shuffle.partitions") == "1"
    assert engine.spark.sparkContext.master == settings.IDENTITY_SPARK_MASTER == "local[2]"
    settings.IDENTITY_BACKEND, settings.IDENTITY_DUCKDB_MEMORY_LIMIT = "duckdb", "2GB"
    duck = actions.engine_for()
    assert isinstance(duck, engines.DuckDBEngine)
    assert duck.con.execute("select current_setting('memory_limit')").fetchone()[0] == "1.8 GiB"
