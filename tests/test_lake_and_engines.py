"""The raw layer exported as a lake, and the DuckDB-v-Spark mart comparison (its checksum, not Spark itself)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.config import Settings, load_settings
from pipelines.lake.engines import compare_engines, listed_differences, relation_checksums
from pipelines.lake.export import export_raw
from pipelines.lake.spark import spark_tables_dir


def _settings_for(root: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GRANDSTAND_WAREHOUSE", str(root / "warehouse.duckdb"))
    monkeypatch.setenv("GRANDSTAND_LANDING", str(root / "landing"))
    monkeypatch.delenv("GRANDSTAND_LAKE", raising=False)
    return load_settings()


@pytest.fixture()
def sample_copy(sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the session's sample warehouse (tests here write a lake and fake Spark tables beside it)."""
    shutil.copyfile(sample_warehouse / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    return _settings_for(tmp_path, monkeypatch)


def test_export_raw_writes_every_raw_table_partitioned_by_fetch_day(sample_copy: Settings) -> None:
    lake = sample_copy.data_dir / "lake"
    tables = export_raw(sample_copy, str(lake))

    con = duckdb.connect(str(sample_copy.warehouse), read_only=True)
    raw = {
        (s, t)
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name like 'raw_%' "
            "and schema_name not like '%_staging' and table_name not like '_dlt_%'"
        ).fetchall()
    }
    assert {(t.schema, t.table) for t in tables} == raw
    for table in tables:
        folder = lake / table.schema / table.table
        files = list(folder.rglob("*.parquet"))
        assert files, f"no Parquet for {table.schema}.{table.table}"
        source_rows = con.execute(f'select count(*) from {table.schema}."{table.table}"').fetchone()[0]
        lake_rows = con.execute(
            f"select count(*) from read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        ).fetchone()[0]
        assert lake_rows == source_rows == table.rows
        if table.partitioned:
            assert all(f.parent.name.startswith("_fetched_on=") for f in files)
    con.close()
    # bars carry a fetch time, the run log does not
    by_name = {(t.schema, t.table): t for t in tables}
    assert by_name[("raw_yahoo", "bars")].partitioned
    assert not by_name[("raw_grandstand", "load_runs")].partitioned
    assert not list(lake.rglob(".*.writing")), "scratch folders left behind"


def test_export_raw_replaces_the_previous_copy(sample_copy: Settings) -> None:
    lake = sample_copy.data_dir / "lake"
    export_raw(sample_copy, str(lake))
    stale = lake / "raw_yahoo" / "bars" / "_fetched_on=1999-01-01"
    stale.mkdir(parents=True)
    (stale / "old.parquet").write_bytes(b"not parquet")
    export_raw(sample_copy, str(lake))
    assert not stale.exists()


def test_export_raw_to_an_s3_compatible_bucket(sample_copy: Settings, s3_endpoint: str) -> None:
    """A real S3 API (moto's server on 127.0.0.1): DuckDB's httpfs from the wheel writes, and a re-export replaces."""
    s3 = pytest.importorskip("boto3").client("s3", endpoint_url=s3_endpoint)
    s3.put_object(Bucket="lake", Key="raw/raw_yahoo/bars/_fetched_on=1999-01-01/stale.parquet", Body=b"old")

    tables = export_raw(sample_copy, "s3://lake/raw")

    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="lake", MaxKeys=1000)["Contents"]}
    assert "raw/raw_yahoo/bars/_fetched_on=1999-01-01/stale.parquet" not in keys
    for table in tables:
        assert any(k.startswith(f"raw/{table.schema}/{table.table}/") for k in keys), table
    con = duckdb.connect()
    from pipelines.lake.export import _configure_remote

    _configure_remote(con)
    bars = next(t for t in tables if (t.schema, t.table) == ("raw_yahoo", "bars"))
    count = con.execute(
        "select count(*) from read_parquet('s3://lake/raw/raw_yahoo/bars/**/*.parquet', hive_partitioning = true)"
    ).fetchone()[0]
    assert count == bars.rows > 0


def test_checksum_compares_content_not_engine_types() -> None:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(
        "create table a as select * from (values "
        "(1::integer, (0.1::double + 0.2::double) + 0.3::double, timestamptz '2024-01-02 03:04:05+00', 'x'), "
        "(2::integer, 2.0, timestamptz '2024-01-03 00:00:00+00', null)) as t(id, amount, happened_at, label)"
    )
    # another engine's types and row order: bigint ids, naive UTC timestamps, the float summed in another order
    con.execute(
        "create table b as select * from (values "
        "(2::bigint, 2.0::double, timestamp '2024-01-03 00:00:00', null), "
        "(1::bigint, 0.1::double + (0.2::double + 0.3::double), timestamp '2024-01-02 03:04:05', 'x')) "
        "as t(id, amount, happened_at, label)"
    )
    rows_a, columns_a, sum_a = relation_checksums(con, "a")
    rows_b, columns_b, sum_b = relation_checksums(con, "b")
    assert (rows_a, columns_a, sum_a) == (rows_b, columns_b, sum_b)

    con.execute("update b set label = 'y' where id = 1")
    _, columns_c, sum_c = relation_checksums(con, "b")
    assert sum_c != sum_a
    assert [c for c in columns_a if columns_a[c] != columns_c[c]] == ["label"]


def test_listed_differences_are_read_from_the_portability_doc(tmp_path: Path) -> None:
    doc = tmp_path / "portability.md"
    doc.write_text(
        "# x\n<!-- differences:start -->\n| mart | reason |\n|---|---|\n"
        "| `fct_a` | float sums differ |\n<!-- differences:end -->\n| fct_b | outside the markers |\n"
    )
    assert listed_differences(doc) == {"fct_a": "float sums differ"}


def test_compare_engines_finds_equal_marts_and_names_the_column_that_differs(sample_copy: Settings) -> None:
    # stand in for Spark's table folders: every mart written as Parquet, one of them altered
    tables_dir = spark_tables_dir(sample_copy) / "marts.db"
    con = duckdb.connect(str(sample_copy.warehouse), read_only=True)
    marts = [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()]
    for mart in marts:
        (tables_dir / mart).mkdir(parents=True)
        select = f"select * from marts.{mart}"
        if mart == "dim_markets_ticker":
            select = (
                "select * replace (upper(exchange_calendar) || '!' as exchange_calendar) from marts.dim_markets_ticker"
            )
        con.execute(f"copy ({select}) to '{tables_dir / mart / 'part-0.parquet'}' (format parquet)")
    con.close()
    shutil.rmtree(tables_dir / "fct_racing_runs")

    results = {r.mart: r for r in compare_engines(sample_copy)}
    assert set(results) == set(marts)
    ticker = results["dim_markets_ticker"]
    assert ticker.differing_columns == ["exchange_calendar"] and not ticker.equal
    assert results["fct_racing_runs"].spark_rows is None and not results["fct_racing_runs"].equal
    assert all(r.equal for name, r in results.items() if name not in ("dim_markets_ticker", "fct_racing_runs"))
