"""Reading the Iceberg lake: DuckDB's iceberg extension over the tables' current (or an earlier) snapshot, and the
dbt project built from it (`grandstand transform --target iceberg`).

The build runs in a DuckDB database of its own (`iceberg.duckdb` beside the warehouse, profiles.yml's `iceberg`
output): first every raw table becomes a view `raw_<source>.<table>` over `iceberg_scan(<metadata file>)`, so the
sources resolve to the lake; then `dbt build` builds every model there. `compare-engines --target iceberg` compares
its marts with the warehouse's.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from pyiceberg.catalog import Catalog

from pipelines.config import Settings
from pipelines.lake.export import PARTITION_COLUMN, _configure_remote, _is_remote, _quote
from pipelines.lake.extensions import load_extensions
from pipelines.lake.iceberg import open_catalog
from pipelines.lake.iceberg_upkeep import lake_tables


def iceberg_duckdb(settings: Settings) -> Path:
    return settings.data_dir / "iceberg.duckdb"


def iceberg_target_path(settings: Settings) -> Path:
    return settings.data_dir / "iceberg-target"


def scan_sql(metadata_location: str, as_of: datetime | None = None) -> str:
    """`iceberg_scan` of a table's metadata file; `as_of` reads the snapshot current at that instant."""
    args = [f"'{metadata_location}'"]
    if as_of is not None:
        args.append(f"snapshot_from_timestamp = timestamptz '{as_of.isoformat()}'")
    return f"iceberg_scan({', '.join(args)})"


def prepare(con: duckdb.DuckDBPyConnection, location: str) -> None:
    load_extensions(con, ("iceberg",))
    if _is_remote(location):
        _configure_remote(con)


def read_as_of(catalog: Catalog, identifier: tuple[str, str], as_of: datetime | None = None) -> pa.Table:
    """A table's rows as of an instant (pyiceberg's time travel), or its current ones."""
    table = catalog.load_table(identifier)
    if as_of is None:
        return table.scan().to_arrow()
    snapshot = table.snapshot_as_of_timestamp(int(as_of.timestamp() * 1000))
    if snapshot is None:
        raise ValueError(f"{'.'.join(identifier)} has no snapshot as of {as_of.isoformat()}")
    return table.scan(snapshot_id=snapshot.snapshot_id).to_arrow()


def mount_lake(con: duckdb.DuckDBPyConnection, catalog: Catalog, as_of: datetime | None = None) -> list[str]:
    """A view per lake table, under the raw schema and name the models read; returns the views' names."""
    views = []
    for table in lake_tables(catalog):
        schema, name = table.name()[-2], table.name()[-1]
        columns = table.schema().column_names
        select = f"* exclude ({PARTITION_COLUMN})" if PARTITION_COLUMN in columns else "*"
        con.execute(f"create schema if not exists {_quote(schema)}")
        con.execute(
            f"create or replace view {_quote(schema)}.{_quote(name)} as "
            f"select {select} from {scan_sql(table.metadata_location, as_of)}"
        )
        views.append(f"{schema}.{name}")
    return views


def build_on_iceberg(
    settings: Settings,
    select: list[str] | None = None,
    full_refresh: bool = False,
    location: str | None = None,
    as_of: datetime | None = None,
) -> object:
    """`dbt build` on the `iceberg` target: views over the lake first, then every model."""
    from pipelines.lake.export import lake_location
    from pipelines.transform.runner import build

    location = location or lake_location(settings)
    path = iceberg_duckdb(settings)
    con = duckdb.connect(str(path))
    try:
        prepare(con, location)
        views = mount_lake(con, open_catalog(settings, location), as_of)
    finally:
        con.close()
    if not views:
        raise FileNotFoundError(f"no Iceberg tables under {location}: run `grandstand export-raw --format iceberg`")
    os.environ["GRANDSTAND_ICEBERG_DUCKDB"] = str(path)
    try:
        return build(
            settings, select, full_refresh, target="iceberg", target_path=iceberg_target_path(settings), missing=[]
        )
    finally:
        _close_dbt_database()


def _close_dbt_database() -> None:
    """dbt-duckdb keeps its database open in the process after a build (its environment, closed only when another
    profile replaces it); closed here, so this process can then open iceberg.duckdb again (compare-engines)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
        DuckDBConnectionManager._ENV = None


def parse_as_of(text: str) -> datetime:
    """An ISO date or instant; a naive one is UTC."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--as-of must be an ISO date or timestamp (2026-12-01T08:00:00Z), not {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def counts_as_of(settings: Settings, location: str | None, as_of: datetime) -> list[str]:
    """`export-raw --format iceberg --as-of T`: each lake table's rows in the snapshot current at T (nothing is
    written)."""
    catalog = open_catalog(settings, location)
    lines = [f"the Iceberg lake as of {as_of.isoformat()}"]
    for table in lake_tables(catalog):
        snapshot = table.snapshot_as_of_timestamp(int(as_of.timestamp() * 1000))
        name = ".".join(table.name()[-2:])
        if snapshot is None:
            lines.append(f"  {name}: no snapshot yet")
            continue
        rows = table.scan(snapshot_id=snapshot.snapshot_id).count()
        lines.append(f"  {name}: {rows} rows (snapshot {snapshot.snapshot_id})")
    return lines
