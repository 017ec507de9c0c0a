"""The raw layer as Iceberg tables (pyiceberg): `grandstand export-raw --format iceberg`.

Each `raw_<source>.<table>` becomes the Iceberg table `<raw schema>.<table>`, partitioned by identity on
`_fetched_on` (the UTC day of `_fetched_at`), as the Parquet export is; tables without a fetch time are unpartitioned.
The catalog is SQL (SQLite at `<lake>/iceberg/catalog.db` by default, or beside the warehouse when the lake is a
bucket) or any SQL or REST catalog named by GRANDSTAND_ICEBERG_CATALOG_URI (`sqlite:///…`, `postgresql://…`,
`http(s)://…` for REST).

The export is incremental. The table's last snapshot carries a watermark, the highest dlt load id exported
(`grandstand.watermark` in the snapshot summary). Per partition, with n_lake rows in the lake, n_raw in the raw table
and n_new of them from loads after the watermark:
- n_raw = n_lake + n_new, n_new > 0: the new rows are appended (append-only tables, new keys of merge tables);
- any other difference: the partition is overwritten from the raw table (a merge replaced or moved rows);
- the same counts and nothing new: untouched. A partition gone from the raw table is deleted.
All of one table's changes are one transaction. A table without `_dlt_load_id` is rewritten when its count changes.

Schema evolution: a new raw column is added (`union_by_name`); a column renamed upstream and declared in the
source's `RENAMED_COLUMNS` (settings.py) is renamed in Iceberg (by column id, so files written before read under the
new name, and an earlier snapshot still reads with its own schema), and the raw table's old and new columns are
coalesced; a changed upstream type already arrives as a variant column
(`<column>__v_<type>`, ingest/conform.py), which is added like any new column.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from pyiceberg.catalog import Catalog, load_catalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.expressions import AlwaysTrue, BooleanExpression, EqualTo, In
from pyiceberg.table import Table

from pipelines.config import Settings, config_value
from pipelines.lake.export import PARTITION_COLUMN, _is_remote, _quote, lake_location, raw_tables
from pipelines.secrets import s3_credentials

WATERMARK = "grandstand.watermark"
LOAD_ID = "_dlt_load_id"
_FETCHED_AT = "_fetched_at"
CATALOG_NAME = "grandstand"


@dataclass(frozen=True)
class IcebergExport:
    schema: str
    table: str
    rows: int
    appended: int
    overwritten_partitions: int
    deleted_partitions: int
    added_columns: tuple[str, ...]
    renamed_columns: tuple[str, ...]


def iceberg_location(settings: Settings, location: str | None = None) -> str:
    return f"{location or lake_location(settings)}/iceberg"


def _file_io_properties(warehouse: str) -> dict[str, str]:
    if not _is_remote(warehouse):
        return {}
    credentials = s3_credentials()
    props = {
        "s3.access-key-id": credentials.key_id or "",
        "s3.secret-access-key": credentials.secret or "",
        "s3.region": credentials.region or "us-east-1",
    }
    if credentials.endpoint:
        props["s3.endpoint"] = credentials.endpoint
        props["s3.force-virtual-addressing"] = "false"
    return {k: v for k, v in props.items() if v}


def open_catalog(settings: Settings, location: str | None = None) -> Catalog:
    """The lake's catalog: GRANDSTAND_ICEBERG_CATALOG_URI (SQL or REST), else SQLite beside the tables."""
    warehouse = iceberg_location(settings, location)
    uri = config_value("lake.iceberg_catalog_uri", "GRANDSTAND_ICEBERG_CATALOG_URI")
    props = {"warehouse": warehouse if _is_remote(warehouse) else f"file://{warehouse}"} | _file_io_properties(
        warehouse
    )
    if uri and uri.startswith(("http://", "https://")):
        return load_catalog(CATALOG_NAME, type="rest", uri=uri, **props)
    if not uri:
        folder = settings.data_dir if _is_remote(warehouse) else Path(warehouse)
        folder.mkdir(parents=True, exist_ok=True)
        uri = f"sqlite:///{folder / 'catalog.db'}"
    return load_catalog(CATALOG_NAME, type="sql", uri=uri, **props)


def declared_renames(schema: str) -> dict[str, dict[str, str]]:
    """table → {old column: new column}, from `RENAMED_COLUMNS` in the source's settings (raw_<source>)."""
    source = schema.removeprefix("raw_")
    try:
        module = importlib.import_module(f"pipelines.ingest.sources.{source}.settings")
    except ModuleNotFoundError:
        return {}
    return dict(getattr(module, "RENAMED_COLUMNS", {}))


def _select_list(columns: list[tuple[str, str]], renames: dict[str, str], partitioned: bool) -> str:
    """The raw table's columns as the lake stores them: JSON as text, renamed columns under the new name."""
    names = {name for name, _ in columns}
    out: list[str] = []
    for name, data_type in columns:
        if name in renames:
            new = renames[name]
            if new not in names:
                out.append(f"{_quote(name)} as {_quote(new)}")
            continue
        old = next((o for o, n in renames.items() if n == name and o in names), None)
        expr = f"coalesce({_quote(name)}, {_quote(old)})" if old else _quote(name)
        if data_type.upper() == "JSON":
            expr = f"cast({expr} as varchar)"
        out.append(f"{expr} as {_quote(name)}")
    if partitioned:
        out.append(f"cast({_quote(_FETCHED_AT)} as date) as {PARTITION_COLUMN}")
    return ", ".join(out)


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pa.Table:
    table = con.execute(sql, params or []).to_arrow_table()
    # Iceberg has no string_view / large types: plain ones
    fields = []
    for f in table.schema:
        kind = f.type
        if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            kind = pa.string()
        fields.append(pa.field(f.name, kind, nullable=True))
    return table.cast(pa.schema(fields))


def _lake_counts(table: Table, partitioned: bool) -> dict[date | None, int]:
    if table.current_snapshot() is None:
        return {}
    if not partitioned:
        files = table.inspect.files()
        return {None: int(pa.compute.sum(files["record_count"]).as_py() or 0)} if files.num_rows else {}
    counts: dict[date | None, int] = {}
    for row in table.inspect.partitions().to_pylist():
        counts[row["partition"][PARTITION_COLUMN]] = int(row["record_count"])
    return counts


def watermark(table: Table) -> str | None:
    snapshot = table.current_snapshot()
    if snapshot is None or snapshot.summary is None:
        return None
    return snapshot.summary.additional_properties.get(WATERMARK)


def _evolve(table: Table, arrow_schema: pa.Schema, renames: dict[str, str]) -> tuple[list[str], list[str]]:
    """Rename the declared columns, then add the new ones; returns (added, renamed)."""
    names = set(table.schema().column_names)
    moves = {old: new for old, new in renames.items() if old in names and new not in names}
    if moves:
        with table.update_schema() as update:
            for old, new in moves.items():
                update.rename_column(old, new)
    after = (names - set(moves)) | set(moves.values())
    added = [f.name for f in arrow_schema if f.name not in after]
    if added:
        with table.update_schema() as update:
            update.union_by_name(arrow_schema)
    return added, [f"{old}→{new}" for old, new in moves.items()]


def _create(catalog: Catalog, identifier: tuple[str, str], schema: pa.Schema, partitioned: bool) -> Table:
    catalog.create_namespace_if_not_exists(identifier[0])
    table = catalog.create_table(identifier, schema=schema)
    if partitioned:
        with table.update_spec() as spec:
            spec.add_identity(PARTITION_COLUMN)
    return table


def _partition_filter(days: list[date | None]) -> BooleanExpression:
    present = [d for d in days if d is not None]
    if len(present) == 1:
        return EqualTo(PARTITION_COLUMN, present[0])
    return In(PARTITION_COLUMN, present)


def export_table(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    schema: str,
    name: str,
    partitioned: bool,
    renames: dict[str, str] | None = None,
) -> IcebergExport:
    """Bring one Iceberg table up to date with its raw table (see the module's docstring)."""
    renames = renames or {}
    relation = f"{_quote(schema)}.{_quote(name)}"
    columns = [(str(n), str(t)) for n, t, *_ in con.execute(f"describe {relation}").fetchall()]
    select = _select_list(columns, renames, partitioned)
    has_load_id = any(n == LOAD_ID for n, _ in columns)
    empty = _arrow(con, f"select {select} from {relation} limit 0")
    identifier = (schema, name)
    try:
        table = catalog.load_table(identifier)
    except NoSuchTableError:
        table = _create(catalog, identifier, empty.schema, partitioned)
    added, renamed = _evolve(table, empty.schema, renames)
    table = catalog.load_table(identifier)
    mark = watermark(table)
    key = PARTITION_COLUMN if partitioned else "null"
    new_filter = f"{_quote(LOAD_ID)} > ?" if has_load_id and mark is not None else "true"
    params = [mark] if has_load_id and mark is not None else []
    raw_counts = {
        day: (int(n), int(new))
        for day, n, new in con.execute(
            f"select {key}, count(*), count(*) filter (where {new_filter}) from (select {select} from {relation}) "
            "group by 1",
            params,
        ).fetchall()
    }
    lake = _lake_counts(table, partitioned)
    appended_days: list[date | None] = []
    rewritten: list[date | None] = []
    for day, (n_raw, n_new) in raw_counts.items():
        n_lake = lake.get(day, 0)
        if has_load_id and n_new > 0 and n_raw == n_lake + n_new:
            appended_days.append(day)
        elif n_raw != n_lake or (n_new > 0 and has_load_id):
            rewritten.append(day)
    gone = [day for day in lake if day not in raw_counts]
    new_mark = None
    if has_load_id:
        top = con.execute(f"select max({_quote(LOAD_ID)}) from {relation}").fetchone()
        new_mark = str(top[0]) if top and top[0] is not None else mark
    props = {WATERMARK: new_mark} if new_mark else {}
    appended = 0
    source = f"(select {select} from {relation})"

    def rows_of(days: list[date | None], only_new: bool) -> pa.Table:
        where = [new_filter] if only_new else []
        values: list[Any] = list(params) if only_new else []
        if partitioned:
            where.append(f"{PARTITION_COLUMN} in ({', '.join('?' for _ in days)})")
            values += days
        return _arrow(con, f"select * from {source} where {' and '.join(where) or 'true'}", values)

    if appended_days or rewritten or gone:
        with table.transaction() as tx:
            if gone:
                tx.delete(_partition_filter(gone) if partitioned else AlwaysTrue(), snapshot_properties=props)
            if appended_days:
                rows = rows_of(appended_days, only_new=True)
                appended = rows.num_rows
                tx.append(rows, snapshot_properties=props)
            if rewritten:
                rows = rows_of(rewritten, only_new=False)
                if partitioned:
                    tx.dynamic_partition_overwrite(rows, snapshot_properties=props)
                else:
                    tx.overwrite(rows, snapshot_properties=props)
    total = sum(n for n, _ in raw_counts.values())
    return IcebergExport(schema, name, total, appended, len(rewritten), len(gone), tuple(added), tuple(renamed))


def export_iceberg(settings: Settings, location: str | None = None) -> list[IcebergExport]:
    """Bring every raw table's Iceberg table up to date. Reads the warehouse read-only."""
    from pipelines.operate.reader import open_reader

    con, _ = open_reader(settings)
    if con is None:
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}: run `grandstand run` first")
    catalog = open_catalog(settings, location)
    exported: list[IcebergExport] = []
    try:
        con.execute("set TimeZone = 'UTC'")
        for schema, table, partitioned in raw_tables(con):
            renames = declared_renames(schema).get(table, {})
            exported.append(export_table(con, catalog, schema, table, partitioned, renames))
    finally:
        con.close()
    return exported


def export_lines(exported: list[IcebergExport], location: str) -> list[str]:
    """What `grandstand export-raw --format iceberg` prints."""
    lines = [f"{len(exported)} raw tables brought up to date as Iceberg tables under {location}/iceberg"]
    for e in exported:
        changes = []
        if e.appended:
            changes.append(f"{e.appended} rows appended")
        if e.overwritten_partitions:
            changes.append(f"{e.overwritten_partitions} partitions overwritten")
        if e.deleted_partitions:
            changes.append(f"{e.deleted_partitions} partitions deleted")
        if e.added_columns:
            changes.append("columns added: " + ", ".join(e.added_columns))
        if e.renamed_columns:
            changes.append("columns renamed: " + ", ".join(e.renamed_columns))
        lines.append(f"  {e.schema}.{e.table}: {e.rows} rows; " + ("; ".join(changes) or "unchanged"))
    return lines
