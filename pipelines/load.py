"""Landing zone → DuckDB `raw_<source>` through dlt, for any source described by a `SourceSpec`.

Only files not loaded before are read (the `_landing_files` table records each file's sha256 in the same load
package as its rows, so the two commit together). A file that fails to parse is recorded there as quarantined,
with the error naming it, and the rest of the load goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dlt
import duckdb
import pyarrow as pa

from pipelines.config import Settings, disable_telemetry
from pipelines.conform import KnownTypes, conform, warehouse_types
from pipelines.faults import checkpoint
from pipelines.landing import LandedFile, LandingZone
from pipelines.spec import SourceSpec

log = logging.getLogger(__name__)
FILES_TABLE = "_landing_files"
Progress = Callable[[int, int, str], None]


@dataclass
class LoadResult:
    source: str
    files_seen: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def raw_dataset(source: str) -> str:
    return f"raw_{source}"


def warehouse_state(settings: Settings, source: str) -> tuple[set[str], KnownTypes]:
    """sha256 of every landing file already loaded (or quarantined) into raw_<source>, and its columns' types."""
    if not settings.warehouse.exists():
        return set(), {}
    con = duckdb.connect(str(settings.warehouse))
    try:
        known = warehouse_types(con, raw_dataset(source))
        if FILES_TABLE not in known:
            return set(), known
        rows = con.execute(f'select sha256 from "{raw_dataset(source)}"."{FILES_TABLE}"').fetchall()
        return {r[0] for r in rows}, known
    finally:
        con.close()


def _with_lineage(table: pa.Table, entry: LandedFile) -> pa.Table:
    n = table.num_rows
    fetched = datetime.fromisoformat(entry.fetched_at)
    table = table.append_column("_landing_path", pa.array([entry.path] * n, pa.string()))
    return table.append_column("_fetched_at", pa.array([fetched] * n, pa.timestamp("us", tz="UTC")))


def _file_row(entry: LandedFile, status: str, error: str | None, rows: int, run_id: str) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "sha256": entry.sha256,
                "path": entry.path,
                "endpoint": entry.endpoint,
                "origin": entry.origin,
                "fetched_at": datetime.fromisoformat(entry.fetched_at),
                "bytes": entry.bytes,
                "status": status,
                "error": error,
                "rows": rows,
                "run_id": run_id,
                "loaded_at": datetime.now(UTC),
            }
        ],
        schema=pa.schema(
            [
                ("sha256", pa.string()),
                ("path", pa.string()),
                ("endpoint", pa.string()),
                ("origin", pa.string()),
                ("fetched_at", pa.timestamp("us", tz="UTC")),
                ("bytes", pa.int64()),
                ("status", pa.string()),
                ("error", pa.string()),
                ("rows", pa.int64()),
                ("run_id", pa.string()),
                ("loaded_at", pa.timestamp("us", tz="UTC")),
            ]
        ),
    )


def _hinted(table: pa.Table, name: str, disposition: str, key: tuple[str, ...]) -> Any:
    hints = dlt.mark.make_hints(
        table_name=name,
        write_disposition=disposition,  # type: ignore[arg-type]
        primary_key=list(key) if key else None,
    )
    return dlt.mark.with_hints(table, hints, create_table_variant=True)


def _parsed_items(
    spec: SourceSpec,
    landing: LandingZone,
    pending: list[LandedFile],
    result: LoadResult,
    run_id: str,
    progress: Progress | None,
    known: KnownTypes,
) -> Iterator[Any]:
    for i, entry in enumerate(pending, start=1):
        if progress:
            progress(i, len(pending), entry.path)
        try:
            tables = dict(spec.parse(entry.endpoint, landing.read(entry), entry.params))
            unknown = set(tables) - set(spec.tables)
            if unknown:
                raise ValueError(f"parser produced undeclared tables {sorted(unknown)}")
        except Exception as exc:  # any parse failure quarantines this file only
            message = f"{entry.path}: {exc.__class__.__name__}: {exc}"
            log.warning("quarantined %s", message)
            result.files_quarantined += 1
            result.errors.append(message)
            yield _hinted(_file_row(entry, "quarantined", message, 0, run_id), FILES_TABLE, "merge", ("sha256",))
            continue
        checkpoint("parse", spec.name)
        n_rows = 0
        for name, table in tables.items():
            if table.num_rows == 0:
                continue
            t = spec.tables[name]
            n_rows += table.num_rows
            conformed = conform(name, _with_lineage(table, entry), known)
            yield _hinted(conformed, name, t.write_disposition, t.primary_key)
        result.files_loaded += 1
        yield _hinted(_file_row(entry, "loaded", None, n_rows, run_id), FILES_TABLE, "merge", ("sha256",))


def pipeline_for(settings: Settings, source: str) -> dlt.Pipeline:
    disable_telemetry()
    settings.dlt_dir.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=f"grandstand_{source}",
        destination=dlt.destinations.duckdb(str(settings.warehouse)),
        dataset_name=raw_dataset(source),
        pipelines_dir=str(settings.dlt_dir),
    )


def load_source(
    spec: SourceSpec,
    settings: Settings,
    *,
    full_refresh: bool = False,
    run_id: str = "",
    progress: Progress | None = None,
) -> LoadResult:
    landing = LandingZone(settings.landing)
    entries = landing.manifest(spec.name)
    pipeline = pipeline_for(settings, spec.name)
    if pipeline.has_pending_data:  # a load interrupted earlier: finish it before deciding what is new
        pipeline.normalize()
        pipeline.load()
    done, known = warehouse_state(settings, spec.name)
    if full_refresh:
        done, known = set(), {}
    pending = [e for e in entries if e.sha256 not in done]
    result = LoadResult(source=spec.name, files_seen=len(entries))
    if not pending:
        return result

    @dlt.resource(name=f"{spec.name}_landing", max_table_nesting=0)
    def landing_files() -> Iterator[Any]:
        yield from _parsed_items(spec, landing, pending, result, run_id, progress, known)

    @dlt.source(name=spec.name, max_table_nesting=0)
    def source() -> Any:
        return landing_files

    # the three dlt steps, run one by one so a crash between them is testable (see pipelines/faults.py)
    pipeline.extract(source(), refresh="drop_sources" if full_refresh else None, loader_file_format="parquet")
    normalize = pipeline.normalize()
    checkpoint("normalized", spec.name)
    pipeline.load()
    result.rows = {
        table: count
        for table, count in normalize.row_counts.items()
        if not table.startswith("_dlt") and table != FILES_TABLE
    }
    return result
