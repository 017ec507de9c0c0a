"""The same dbt project on Spark: a local SparkSession (dbt-spark's `session` method) reading the raw layer as a lake.

`grandstand export-raw` writes the lake; `grandstand transform --target spark` builds every model and runs every test
on Spark from it; `grandstand compare-engines` checks that each mart holds the same rows on both engines.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.config import Settings
from pipelines.transform.runner import TransformResult, build

# Spark's JVM logs every WARN to the console; the run summary is what matters, errors still show
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def spark_dir(settings: Settings) -> Path:
    """Spark's own files (the metastore, model tables as Parquet, logs) live beside the warehouse."""
    return settings.data_dir / "spark"


def spark_tables_dir(settings: Settings) -> Path:
    return spark_dir(settings) / "warehouse"


def spark_installed() -> bool:
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def prepare_spark_env(settings: Settings) -> None:
    """What profiles.yml's `spark` target reads: the lake, Spark's folder, the PII salt and dbt's target path."""
    from pipelines.lake.export import lake_location
    from pipelines.secrets import pii_salt

    if not spark_installed():
        raise ValueError("the spark target needs dbt-spark and pyspark: run `make setup-spark`")
    folder = spark_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "log4j2.properties").write_text(_LOG4J)
    os.environ["GRANDSTAND_LAKE"] = lake_location(settings)
    os.environ["GRANDSTAND_SPARK_DIR"] = str(folder)
    os.environ["GRANDSTAND_SPARK_PII_SALT"] = pii_salt()


def spark_target_path(settings: Settings) -> Path:
    """dbt's artifacts for Spark runs: apart from DuckDB's, which the docs site and the quality report read."""
    return spark_dir(settings) / "target"


def lake_sources_missing(settings: Settings) -> list[str]:
    """Sources with no folder in a local lake (never exported): their models cannot build on Spark."""
    from pipelines.ingest.registry import SOURCE_NAMES
    from pipelines.lake.export import lake_location

    location = lake_location(settings)
    if "://" in location:
        return []
    return [name for name in SOURCE_NAMES if not (Path(location) / f"raw_{name}").is_dir()]


def build_on_spark(settings: Settings, select: list[str] | None, full_refresh: bool) -> TransformResult:
    """`dbt build` on the local SparkSession, from the lake: the same runner as DuckDB's, Spark's target."""
    prepare_spark_env(settings)
    return build(
        settings,
        select,
        full_refresh,
        target="spark",
        target_path=spark_target_path(settings),
        missing=lake_sources_missing(settings),
    )
