"""The raw layer as a lake: every `raw_<source>` table written as Parquet, partitioned by the day its file was fetched.

Layout: `<lake>/<raw schema>/<table>/_fetched_on=<YYYY-MM-DD>/*.parquet` (hive-style; `_fetched_on` is the UTC date of
the row's `_fetched_at`, the landing file's fetch time), one folder per table, so any engine that reads Parquet (Spark
here; Trino, Athena, BigQuery external tables elsewhere) can mount it. Tables without a fetch time (the landing-file
bookkeeping and the run log) are written unpartitioned. The lake is a full copy of the raw layer at the time of the
export: locally each table is written to a scratch folder beside it and swapped in, so a reader never sees half a
table; in a bucket, the table's old objects are deleted and the new ones written (readers should not run meanwhile).

The lake is local (`data/lake` by default, or GRANDSTAND_LAKE) or an S3-compatible bucket (`s3://bucket/prefix`, with
the AWS_* variables; AWS_ENDPOINT_URL for MinIO or another S3-compatible store).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import duckdb

from pipelines.config import Settings
from pipelines.secrets import s3_credentials

PARTITION_COLUMN = "_fetched_on"
_FETCHED_AT = "_fetched_at"
# dlt's own bookkeeping tables stay in DuckDB: no model reads them
_SKIPPED_TABLES = ("_dlt_loads", "_dlt_pipeline_state", "_dlt_version")


@dataclass(frozen=True)
class ExportedTable:
    schema: str
    table: str
    rows: int
    partitioned: bool


def lake_location(settings: Settings) -> str:
    """GRANDSTAND_LAKE if set (a path or an s3:// URL), else `lake/` beside the warehouse."""
    raw = settings.lake
    if not raw:
        return str(settings.data_dir / "lake")
    if urlparse(raw).scheme in ("s3", "s3a", "gs", "gcs", "r2"):
        return raw.rstrip("/")
    path = Path(raw)
    return str(path if path.is_absolute() else (Path.cwd() / path).resolve())


def _is_remote(location: str) -> bool:
    return "://" in location


def _httpfs_extension() -> str:
    """The httpfs build shipped by the duckdb-extension-httpfs wheel: nothing is downloaded."""
    import duckdb_extension_httpfs

    folder = Path(duckdb_extension_httpfs.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(folder.glob("httpfs.duckdb_extension"))
    if not found:
        raise FileNotFoundError(f"no httpfs extension for DuckDB {duckdb.__version__} under {folder}")
    return str(found[0])


def _configure_remote(con: duckdb.DuckDBPyConnection) -> None:
    """S3 credentials from the usual AWS_* variables (httpfs comes from the duckdb-extension-httpfs wheel)."""
    con.execute(f"load '{_httpfs_extension()}'")
    credentials = s3_credentials()
    options = {"KEY_ID": credentials.key_id, "SECRET": credentials.secret, "REGION": credentials.region}
    endpoint = credentials.endpoint
    if endpoint:
        parsed = urlparse(endpoint)
        options["ENDPOINT"] = parsed.netloc or parsed.path
        options["USE_SSL"] = "true" if parsed.scheme == "https" else "false"
        options["URL_STYLE"] = "path"
    settings = ", ".join(f"{key} '{value}'" for key, value in options.items() if value)
    con.execute(f"create or replace secret grandstand_lake (type s3, {settings})")


def _remove_remote(prefix: str) -> None:
    """An object store has no folder to swap: the table's previous copy is deleted first (s3fs, from dlt's extra)."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(prefix)
    if fs.exists(path):
        fs.rm(path, recursive=True)


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, bool]]:
    """(schema, table, has a fetch time) for every table in a raw_<source> schema, dlt's staging copies left out."""
    rows = con.execute(
        """
        select t.schema_name, t.table_name, count(c.column_name) > 0
        from duckdb_tables() as t
        left join duckdb_columns() as c
            on c.schema_name = t.schema_name and c.table_name = t.table_name and c.column_name = ?
        where t.schema_name like 'raw\\_%' escape '\\' and t.schema_name not like '%\\_staging' escape '\\'
        group by 1, 2
        order by 1, 2
        """,
        [_FETCHED_AT],
    ).fetchall()
    return [(schema, table, bool(partitioned)) for schema, table, partitioned in rows if table not in _SKIPPED_TABLES]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def export_raw(settings: Settings, location: str | None = None) -> list[ExportedTable]:
    """Write every raw table to the lake; returns what was written. Reads the warehouse read-only."""
    from pipelines.operate.reader import open_reader

    location = location or lake_location(settings)
    con, _ = open_reader(settings)
    if con is None:
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}: run `grandstand run` first")
    exported: list[ExportedTable] = []
    try:
        # the lake holds timestamps in UTC; Parquet stores them as UTC instants either way
        con.execute("set TimeZone = 'UTC'")
        remote = _is_remote(location)
        if remote:
            _configure_remote(con)
        for schema, table, partitioned in raw_tables(con):
            final = f"{location}/{schema}/{table}"
            scratch = final if remote else f"{location}/{schema}/.{table}.writing"
            if remote:
                _remove_remote(final)
            else:
                shutil.rmtree(scratch, ignore_errors=True)
                Path(scratch).parent.mkdir(parents=True, exist_ok=True)
            options = "format parquet, compression zstd"
            if partitioned:
                options += f", partition_by ({PARTITION_COLUMN}), overwrite_or_ignore true"
                target = scratch
            else:
                target = f"{scratch}/data.parquet"
                if not remote:
                    Path(scratch).mkdir(parents=True)
            relation = f"{_quote(schema)}.{_quote(table)}"
            select = f"select *, cast({_FETCHED_AT} as date) as {PARTITION_COLUMN}" if partitioned else "select *"
            con.execute(f"copy ({select} from {relation}) to '{target}' ({options})")
            rows = con.execute(f"select count(*) from {relation}").fetchone()[0]  # type: ignore[index]
            if not remote:
                shutil.rmtree(final, ignore_errors=True)
                Path(scratch).rename(final)
            exported.append(ExportedTable(schema, table, int(rows), partitioned))
    finally:
        con.close()
    return exported
