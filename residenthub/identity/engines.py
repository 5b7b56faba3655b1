"""Where the linkage runs: DuckDB in this process (the default) or Spark (``IDENTITY_BACKEND=spark``).

``linkage.link`` speaks to an engine through four things: the Splink database API, registering the
input table, reading rows of a Splink table (with an optional filter), and its column names. The
settings, training, prediction, the contradiction guard and the clustering are the same SQL on both;
Splink writes it in each engine's dialect. See docs/adr/0031-spark-backend.md.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
from splink import DuckDBAPI

BACKENDS = ("duckdb", "spark")

# DuckDB takes 80% of the machine's memory unless told otherwise; with a limit it spills to disk
# instead. 3 GB keeps a million-record run under 8 GB in all (measured: docs/benchmarks.md).
DEFAULT_MEMORY_LIMIT = "3GB"


def connect(memory_limit: str = DEFAULT_MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a memory limit, spilling to the system temp directory."""
    return duckdb.connect(
        config={
            "memory_limit": memory_limit,
            "temp_directory": str(Path(tempfile.gettempdir()) / "residenthub-duckdb"),
        }
    )


class DuckDBEngine:
    name = "duckdb"

    def __init__(
        self, con: duckdb.DuckDBPyConnection | None = None, memory_limit: str = DEFAULT_MEMORY_LIMIT
    ):
        self.con = con or connect(memory_limit)
        self.db_api = DuckDBAPI(connection=self.con)

    def register(self, table: pa.Table):
        self.con.register("__hub_input_arrow", table)
        self.con.execute("create or replace table __hub_input as select * from __hub_input_arrow")
        self.con.unregister("__hub_input_arrow")
        return self.db_api.register(self.con.table("__hub_input"))

    def table(self, table: pa.Table):
        """A small table (cluster nodes and edges) in the engine's own form."""
        return table

    def rows(self, splink_df, expressions: list[str], where: str = "") -> list[tuple]:
        relation = splink_df.as_duckdbpyrelation()
        if where:
            relation = relation.filter(where)
        return relation.project(", ".join(expressions)).fetchall()

    def columns(self, splink_df) -> list[str]:
        return list(splink_df.as_duckdbpyrelation().columns)


class SparkEngine:
    """Splink's Spark backend. Training, prediction and clustering run on Spark; the scored pairs at or
    above the review threshold are collected to this process (constraints, attach, review queue)."""

    name = "spark"

    def __init__(self, spark=None, *, master: str = "local[2]", conf: dict[str, str] | None = None):
        from splink import SparkAPI

        self.spark = spark or spark_session(master, conf or {})
        partitions = int(self.spark.conf.get("spark.sql.shuffle.partitions"))
        self.db_api = SparkAPI(
            spark_session=self.spark,
            break_lineage_method=self.spark.conf.get("residenthub.break_lineage_method", "parquet"),
            num_partitions_on_repartition=partitions,
        )

    def register(self, table: pa.Table):
        return self.db_api.register(self.table(table))

    def table(self, table: pa.Table):
        return self.spark.createDataFrame(table)

    def rows(self, splink_df, expressions: list[str], where: str = "") -> list[tuple]:
        frame = splink_df.as_spark_dataframe()
        if where:
            frame = frame.where(where)
        return [tuple(row) for row in frame.selectExpr(*expressions).collect()]

    def columns(self, splink_df) -> list[str]:
        return list(splink_df.as_spark_dataframe().columns)


_sessions: dict[tuple, object] = {}
_sessions_lock = threading.Lock()


def spark_session(master: str, conf: dict[str, str]):
    """One SparkSession per master and configuration per process, with Splink's similarity jar.

    Local mode (``local[N]``) runs Spark inside this machine's JVM (Java 17); a cluster master
    (``spark://...``, ``yarn``, ``k8s://...``) sends the work to a cluster. ``conf`` is passed as is,
    after our defaults, so a council can size memory and partitions (``IDENTITY_SPARK_CONF``).
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    key = (master, tuple(sorted(conf.items())))
    with _sessions_lock:
        if key in _sessions:
            return _sessions[key]
        scratch = Path(tempfile.gettempdir()) / "residenthub-spark"
        builder = (
            SparkSession.builder.master(master)
            .appName("residenthub-identity")
            .config("spark.jars", similarity_jar_location())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.default.parallelism", "8")
            .config("spark.local.dir", str(scratch / "local"))
            .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch / 'derby'}")
        )
        for name, value in conf.items():
            builder = builder.config(name, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        logging.getLogger("py4j").setLevel(logging.WARNING)  # its shutdown chatter outlives log files
        session.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
        _sessions[key] = session
        return session


def make_engine(backend: str = "duckdb", **options):
    """``duckdb`` (options: con, memory_limit) or ``spark`` (options: spark, master, conf)."""
    if backend == "duckdb":
        return DuckDBEngine(**options)
    if backend == "spark":
        return SparkEngine(**options)
    raise ValueError(f"unknown linkage backend {backend!r} (choose from {', '.join(BACKENDS)})")
