"""The raw layer as Iceberg tables: offline extensions, the incremental export, schema evolution and time travel,
upkeep (compaction, expiry, orphans) that keeps the current content, the dbt build from the lake, and S3.

Rows added to a raw table here to stand for a later load are GENERATED: copies of the real sample rows with a new
load id and fetch day (and, for evolution, a new or renamed column)."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.config import Settings, load_settings
from pipelines.lake.engines import compare_engines, relation_checksums
from pipelines.lake.extensions import EXTENSIONS, install_extensions, load_extensions, wheel_extension
from pipelines.lake.iceberg import WATERMARK, export_iceberg, export_table, open_catalog, watermark
from pipelines.lake.iceberg_read import build_on_iceberg, prepare, read_as_of, scan_sql
from pipelines.lake.iceberg_upkeep import maintain_lake
from pipelines.operate.retention import Retention
from tests.e2e import SALT


@pytest.fixture()
def sample_copy(sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    shutil.copyfile(sample_warehouse / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("GRANDSTAND_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("GRANDSTAND_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("GRANDSTAND_PII_SALT", SALT)  # as the session's sample warehouse was built
    for name in ("GRANDSTAND_LAKE", "GRANDSTAND_ICEBERG_CATALOG_URI"):
        monkeypatch.delenv(name, raising=False)
    return load_settings()


def _lake_sum(con: duckdb.DuckDBPyConnection, metadata: str) -> tuple[int, dict[str, int], int]:
    return relation_checksums(con, scan_sql(metadata), exclude=("_fetched_on",))


def _later_load(settings: Settings, table: str, load_id: str, day: str, where: str = "true") -> int:
    """GENERATED: copies of real raw rows as a later load would add them, fetched on `day`."""
    con = duckdb.connect(str(settings.warehouse))
    try:
        con.execute(
            f"insert into {table} select * replace ('{load_id}' as _dlt_load_id, "
            f"timestamptz '{day} 12:00:00+00' as _fetched_at) from {table} where {where}"
        )
        return int(con.execute(f"select count(*) from {table} where _dlt_load_id = ?", [load_id]).fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def test_extensions_install_offline_from_the_wheels_and_load(tmp_path: Path) -> None:
    con = duckdb.connect(config={"extension_directory": str(tmp_path / "ext")})
    first = install_extensions(con)
    assert [p.name for p in first] == [f"{name}.duckdb_extension" for name in EXTENSIONS]
    assert install_extensions(con, force=False) == []  # idempotent: nothing missing the second time
    install_extensions(con)  # FORCE again replaces the same files
    installed = list((tmp_path / "ext").rglob("*.duckdb_extension"))
    assert sorted(p.name for p in installed) == sorted(p.name for p in first)
    load_extensions(con, ("iceberg",))
    loaded = {r[0] for r in con.execute("select extension_name from duckdb_extensions() where loaded").fetchall()}
    assert {"avro", "iceberg"} <= loaded
    assert wheel_extension("iceberg").exists()


def test_iceberg_export_matches_the_raw_layer_and_is_incremental(sample_copy: Settings) -> None:
    first = {(e.schema, e.table): e for e in export_iceberg(sample_copy)}
    catalog = open_catalog(sample_copy)
    bars = catalog.load_table(("raw_yahoo", "bars"))
    assert [f.name for f in bars.spec().fields] == ["_fetched_on"]
    assert first[("raw_yahoo", "bars")].appended == first[("raw_yahoo", "bars")].rows > 0

    con = duckdb.connect(str(sample_copy.warehouse), read_only=True)
    prepare(con, str(sample_copy.data_dir / "lake"))
    con.execute("set TimeZone = 'UTC'")
    for (schema, name), exported in first.items():
        table = catalog.load_table((schema, name))
        assert _lake_sum(con, table.metadata_location) == relation_checksums(con, f'{schema}."{name}"'), name
        assert exported.rows == con.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]  # type: ignore[index]
    con.close()

    # nothing new: no table gets a snapshot
    before = {k: catalog.load_table(k).current_snapshot().snapshot_id for k in first}  # type: ignore[union-attr]
    again = export_iceberg(sample_copy)
    assert all(e.appended == e.overwritten_partitions == e.deleted_partitions == 0 for e in again)
    assert {k: catalog.load_table(k).current_snapshot().snapshot_id for k in first} == before  # type: ignore[union-attr]

    # a later load of new rows on a new day: appended, no partition rewritten, the watermark moves
    added = _later_load(sample_copy, "raw_yahoo.bars", "9999999999.1", "2030-01-02", "ticker = 'AAPL'")
    result = next(e for e in export_iceberg(sample_copy) if e.table == "bars")
    assert (result.appended, result.overwritten_partitions) == (added, 0) and added > 0
    bars = catalog.load_table(("raw_yahoo", "bars"))
    assert watermark(bars) == "9999999999.1"
    assert bars.current_snapshot().summary.additional_properties[WATERMARK] == "9999999999.1"  # type: ignore[union-attr]

    # a merge rewrote rows of an existing day in place: only that partition is overwritten
    con = duckdb.connect(str(sample_copy.warehouse))
    con.execute(
        "update raw_yahoo.bars set close = close + 1, _dlt_load_id = '9999999999.2' "
        "where ticker = 'AAPL' and cast(_fetched_at as date) = '2030-01-02'"
    )
    con.execute("delete from raw_yahoo.bars where ticker = 'MSFT'")
    con.close()
    result = next(e for e in export_iceberg(sample_copy) if e.table == "bars")
    assert result.appended == 0 and result.overwritten_partitions == 2  # the merged day, and the day MSFT left
    con = duckdb.connect(str(sample_copy.warehouse), read_only=True)
    prepare(con, str(sample_copy.data_dir / "lake"))
    con.execute("set TimeZone = 'UTC'")
    bars = catalog.load_table(("raw_yahoo", "bars"))
    assert _lake_sum(con, bars.metadata_location) == relation_checksums(con, "raw_yahoo.bars")
    con.close()


def test_schema_evolution_adds_and_renames_columns_and_old_snapshots_still_read(sample_copy: Settings) -> None:
    con = duckdb.connect(str(sample_copy.warehouse))
    con.execute("create schema raw_demo")
    con.execute("create table raw_demo.instruments as select * from raw_yahoo.instruments")
    catalog = open_catalog(sample_copy)
    export_table(con, catalog, "raw_demo", "instruments", True)
    old = catalog.load_table(("raw_demo", "instruments"))
    original = {r["ticker"]: r["exchange_name"] for r in old.scan().to_arrow().to_pylist()}
    first_snapshot = old.current_snapshot()
    assert first_snapshot is not None
    time.sleep(0.05)

    # upstream renamed exchange_name to exchange and added sector: dlt adds both columns (GENERATED rows)
    con.execute("alter table raw_demo.instruments add column exchange varchar")
    con.execute("alter table raw_demo.instruments add column sector varchar")
    con.execute(
        "insert into raw_demo.instruments by name select * exclude (exchange, sector) replace (null as exchange_name, "
        "'9999999999.5' as _dlt_load_id, timestamptz '2030-02-01 00:00:00+00' as _fetched_at), "
        "exchange_name as exchange, 'Technology' as sector from raw_demo.instruments"
    )
    result = export_table(con, catalog, "raw_demo", "instruments", True, {"exchange_name": "exchange"})
    assert result.added_columns == ("sector",) and result.renamed_columns == ("exchange_name→exchange",)

    table = catalog.load_table(("raw_demo", "instruments"))
    names = table.schema().column_names
    assert "exchange" in names and "sector" in names and "exchange_name" not in names
    rows = table.scan().to_arrow().to_pylist()
    assert len(rows) == 2 * len(original)
    assert all(r["exchange"] == original[r["ticker"]] for r in rows)  # old files read under the new name
    assert {r["sector"] for r in rows} == {None, "Technology"}

    # time travel: the first snapshot still reads, with the schema it had (Iceberg reads a snapshot with its own)
    as_of = datetime.fromtimestamp(first_snapshot.timestamp_ms / 1000, UTC) + timedelta(milliseconds=1)
    then = read_as_of(catalog, ("raw_demo", "instruments"), as_of).to_pylist()
    assert {r["ticker"]: r["exchange_name"] for r in then} == original
    prepare(con, str(sample_copy.data_dir / "lake"))
    count = con.execute(f"select count(*) from {scan_sql(table.metadata_location, as_of)}").fetchone()
    assert count == (len(original),)
    con.close()


def test_upkeep_compacts_expires_and_removes_orphans_keeping_the_current_content(sample_copy: Settings) -> None:
    export_iceberg(sample_copy)
    for i in range(3):  # three later loads on one day: three small files in that partition
        _later_load(
            sample_copy,
            "raw_yahoo.bars",
            f"999999999{i}.0",
            "2030-03-04",
            f"ticker = 'AAPL' and ts::date = (select min(ts::date) from raw_yahoo.bars) + {i}",
        )
        export_iceberg(sample_copy)
    catalog = open_catalog(sample_copy)
    bars = catalog.load_table(("raw_yahoo", "bars"))
    orphan = Path(bars.location().removeprefix("file://")) / "data" / "stray.parquet"
    orphan.write_bytes(b"left by a crashed writer")
    files_before = bars.inspect.data_files().num_rows
    snapshots_before = len(bars.snapshots())
    con = duckdb.connect()
    prepare(con, "")
    con.execute("set TimeZone = 'UTC'")
    content = _lake_sum(con, bars.metadata_location)

    lines: list[str] = []
    policy = Retention(lake_snapshot_days=0, small_file_bytes=64 * 1024 * 1024)
    maintain_lake(sample_copy, policy, False, lines, orphan_age=timedelta(0))
    assert any("would compact" in line and "raw_yahoo.bars" in line for line in lines)
    assert catalog.load_table(("raw_yahoo", "bars")).inspect.data_files().num_rows == files_before  # dry run
    assert orphan.exists()

    lines.clear()
    maintain_lake(sample_copy, policy, True, lines, orphan_age=timedelta(0))
    bars = catalog.load_table(("raw_yahoo", "bars"))
    assert bars.inspect.data_files().num_rows < files_before
    assert len(bars.snapshots()) == 1 < snapshots_before
    assert not orphan.exists()
    assert _lake_sum(con, bars.metadata_location) == content
    assert watermark(bars) == "9999999992.0"  # compaction carries the export's watermark over
    on_disk = {str(p) for p in Path(bars.location().removeprefix("file://")).rglob("*.parquet")}
    assert len(on_disk) == bars.inspect.data_files().num_rows  # replaced files were removed as orphans
    con.close()


def test_dbt_builds_every_mart_from_the_lake_equal_to_the_duckdb_build(sample_copy: Settings) -> None:
    export_iceberg(sample_copy)
    result = build_on_iceberg(sample_copy, full_refresh=True)
    assert result.ok and not result.failures, result.failures[:5]  # type: ignore[attr-defined]
    comparison = compare_engines(sample_copy, target="iceberg")
    assert len(comparison) > 20
    assert [(c.mart, c.differing_columns) for c in comparison if not c.equal] == []


def test_iceberg_lake_on_an_s3_compatible_bucket(sample_copy: Settings, s3_endpoint: str) -> None:
    # s3_endpoint: the bucket `lake` and the AWS_* variables for pyiceberg and DuckDB
    location = "s3://lake/raw"
    exported = {(e.schema, e.table): e for e in export_iceberg(sample_copy, location)}
    added = _later_load(sample_copy, "raw_yahoo.bars", "9999999999.7", "2030-05-06", "ticker = 'AAPL'")
    again = {(e.schema, e.table): e for e in export_iceberg(sample_copy, location)}
    assert again[("raw_yahoo", "bars")].appended == added > 0

    catalog = open_catalog(sample_copy, location)
    bars = catalog.load_table(("raw_yahoo", "bars"))
    assert bars.metadata_location.startswith("s3://lake/raw/iceberg/")
    con = duckdb.connect()
    prepare(con, location)
    count = con.execute(f"select count(*) from {scan_sql(bars.metadata_location)}").fetchone()
    assert count == (exported[("raw_yahoo", "bars")].rows + added,)

    lines: list[str] = []
    maintain_lake(sample_copy, Retention(lake_snapshot_days=0), True, lines, location, timedelta(0))
    assert any("raw_yahoo.bars" in line and "expired" in line for line in lines)
    bars = catalog.load_table(("raw_yahoo", "bars"))
    assert con.execute(f"select count(*) from {scan_sql(bars.metadata_location)}").fetchone() == count
    con.close()
