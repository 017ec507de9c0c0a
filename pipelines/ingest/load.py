"""Landing zone → DuckDB `raw_<source>` through dlt, for any source described by a `SourceSpec`.

Only files not loaded before are read (the `_landing_files` table records each file's sha256 in the same load
package as its rows, so the two commit together). A file that fails to parse is recorded there as quarantined,
with the error naming it, and the rest of the load goes on.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import dlt
import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

from pipelines.config import Settings, disable_telemetry
from pipelines.ingest.conform import KnownTypes, conform, warehouse_types
from pipelines.ingest.faults import checkpoint
from pipelines.ingest.landing import LandedFile, LandingZone
from pipelines.ingest.parsing import TS_UTC, constant
from pipelines.ingest.spec import SourceSpec

log = logging.getLogger(__name__)
FILES_TABLE = "_landing_files"
BATCH_ROWS = 100_000  # rows per table handed to dlt at once
PARSE_WORKERS = max(2, min(4, os.cpu_count() or 2))
PARSE_AHEAD = 2 * PARSE_WORKERS
MERGE_PACKAGE_BYTES = 8 << 20  # landing bytes per load package of a source that merges (see `load_packages`)
Progress = Callable[[int, int, str], None]


@dataclass
class LoadResult:
    source: str
    files_loaded: int = 0
    files_quarantined: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    duplicates: dict[str, int] = field(default_factory=dict)
    data_from: str | None = None
    data_to: str | None = None
    # late rows: those older than `late_before`, the newest time an earlier run had loaded (None: not counted)
    late_before: str | None = None
    late_rows: int = 0

    def observe(self, table: str, batch: pa.Table, key: tuple[str, ...], time_column: str | None) -> None:
        """Count repeated natural keys in a batch handed to dlt, and widen the time range of the data."""
        if key and all(k in batch.column_names for k in key):
            repeats = batch.num_rows - batch.group_by(list(key)).aggregate([]).num_rows
            if repeats:
                self.duplicates[table] = self.duplicates.get(table, 0) + repeats
        if time_column and time_column in batch.column_names and batch.num_rows:
            low, high = (str(v) for v in pc.min_max(batch[time_column]).values() if v.is_valid)
            self.data_from = low if self.data_from is None else min(self.data_from, low)
            self.data_to = high if self.data_to is None else max(self.data_to, high)
            if self.late_before is not None and low < self.late_before:  # same text form as data_to: comparable
                self.late_rows += _count_before(batch[time_column], self.late_before)


def _count_before(column: pa.ChunkedArray, text: str) -> int:
    """Rows of `column` older than `text` (a value written as `LoadResult.data_to` writes it)."""
    kind = column.type
    try:
        if pa.types.is_timestamp(kind):
            value: object = datetime.fromisoformat(text)
        elif pa.types.is_date(kind):
            value = date.fromisoformat(text)
        elif pa.types.is_integer(kind):
            value = int(text)
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            value = text
        else:
            return 0
        threshold = pa.scalar(value, type=kind)
    except (ValueError, TypeError, pa.ArrowException):
        return 0
    return int(pc.sum(pc.less(column, threshold)).as_py() or 0)


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
    """The file's path and fetch time on every row, repeated in Arrow: built from Python lists of n copies, the two
    columns cost 2.0 s of the loader's own thread at 5.75M events (0.04 s this way)."""
    n = table.num_rows
    table = table.append_column("_landing_path", constant(entry.path, pa.string(), n))
    return table.append_column("_fetched_at", constant(datetime.fromisoformat(entry.fetched_at), TS_UTC, n))


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


class _Batches:
    """Collects each table's Arrow pieces from many files and hands them to dlt in large batches: dlt's cost is
    per item, so thousands of small files yielded one by one would be slow; a bounded batch keeps memory flat."""

    def __init__(self, spec: SourceSpec, flush_rows: int, result: LoadResult) -> None:
        self.spec = spec
        self.result = result
        self.flush_rows = flush_rows
        self.pieces: dict[str, list[pa.Table]] = {}
        self.rows: dict[str, int] = {}

    def add(self, name: str, table: pa.Table) -> Iterator[Any]:
        self.pieces.setdefault(name, []).append(table)
        self.rows[name] = self.rows.get(name, 0) + table.num_rows
        if self.rows[name] >= self.flush_rows:
            yield self.flush(name)

    def flush(self, name: str) -> Any:
        pieces, self.pieces[name], self.rows[name] = self.pieces[name], [], 0
        table = pa.concat_tables(pieces, promote_options="permissive")
        if name == FILES_TABLE:
            return _hinted(table, name, "merge", ("sha256",))
        spec = self.spec.tables[name]
        self.result.observe(name, table, spec.natural_key, spec.time_column)
        return _hinted(table, name, spec.write_disposition, spec.primary_key)

    def flush_all(self) -> Iterator[Any]:
        for name in list(self.pieces):
            if self.pieces[name]:
                yield self.flush(name)


def _parsed_items(
    spec: SourceSpec,
    landing: LandingZone,
    pending: list[LandedFile],
    result: LoadResult,
    run_id: str,
    known: KnownTypes,
    progress: Progress | None = None,
) -> Iterator[Any]:
    batches = _Batches(spec, BATCH_ROWS, result)

    def parse(entry: LandedFile) -> dict[str, pa.Table]:
        tables = dict(spec.parse(entry.endpoint, landing.read(entry), entry.params))
        unknown = set(tables) - set(spec.tables)
        if unknown:
            raise ValueError(f"parser produced undeclared tables {sorted(unknown)}")
        return tables

    # Arrow's JSON and CSV readers release the GIL: parse a few files ahead on the other core(s), in order
    with ThreadPoolExecutor(max_workers=PARSE_WORKERS) as pool:
        futures = deque(pool.submit(parse, entry) for entry in pending[:PARSE_AHEAD])
        for i, entry in enumerate(pending, start=1):
            if i + PARSE_AHEAD - 1 < len(pending):
                futures.append(pool.submit(parse, pending[i + PARSE_AHEAD - 1]))
            yield from _file_items(spec, entry, futures.popleft(), batches, result, run_id, known)
            if progress:
                progress(i, len(pending), entry.path)
    yield from batches.flush_all()


class RawSchemaError(ValueError):
    """A file's rows break the raw table's schema: the loader quarantines that file alone."""


def key_violations(spec: SourceSpec, name: str, table: pa.Table) -> list[str]:
    """Why `table` cannot land in raw table `name`: dlt declares primary-key columns non-nullable and would fail the
    whole load package (every file in it) on one null, so a file is checked on its own before it joins a batch."""
    errors = []
    for column in spec.tables[name].primary_key:
        if column not in table.column_names:
            errors.append(f"table {name!r}: key column {column!r} is missing")
        elif table[column].null_count:
            errors.append(
                f"table {name!r}: column {column!r} is declared non-nullable but has {table[column].null_count} null(s)"
            )
    return errors


def _file_items(
    spec: SourceSpec,
    entry: LandedFile,
    future: Future[dict[str, pa.Table]],
    batches: _Batches,
    result: LoadResult,
    run_id: str,
    known: KnownTypes,
) -> Iterator[Any]:
    try:
        tables = {name: table for name, table in future.result().items() if table.num_rows}
        schema_errors = [error for name, table in tables.items() for error in key_violations(spec, name, table)]
        if schema_errors:
            raise RawSchemaError("; ".join(schema_errors))
        conformed = {name: conform(name, _with_lineage(table, entry), known) for name, table in tables.items()}
    except Exception as exc:  # any parse failure, or rows the raw schema refuses, quarantine this file only
        message = f"{entry.path}: {exc.__class__.__name__}: {exc}"
        log.warning("quarantined %s", message)
        result.files_quarantined += 1
        result.errors.append(message)
        yield from batches.add(FILES_TABLE, _file_row(entry, "quarantined", message, 0, run_id))
        return
    checkpoint("parse", spec.name)
    n_rows = 0
    for name, table in conformed.items():
        n_rows += table.num_rows
        yield from batches.add(name, table)
    result.files_loaded += 1
    yield from batches.add(FILES_TABLE, _file_row(entry, "loaded", None, n_rows, run_id))


def memory_limit_for(spec: SourceSpec, settings: Settings) -> str:
    """DuckDB keeps written pages cached up to its memory limit (80% of RAM by default), so a load's resident memory
    would grow with the data; a bounded limit keeps it flat (pages spill to disk, not to memory). Sources whose tables
    are all appended (events) never merge, so DuckDB needs little working memory: a tighter limit keeps the load flat
    as the data grows (a merge at that limit runs out of memory)."""
    appends_only = all(table.write_disposition == "append" for table in spec.tables.values())
    return settings.append_memory_limit if appends_only else settings.load_memory_limit


def pipeline_for(settings: Settings, source: str, memory_limit: str | None = None) -> dlt.Pipeline:
    disable_telemetry()
    # every raw row carries the id of the load that wrote it (dlt leaves it off Arrow tables unless asked): the
    # incremental models select what arrived since they last ran by it, wherever its data falls in time
    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
    settings.dlt_dir.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=f"grandstand_{source}",
        destination=dlt.destinations.duckdb(
            DuckDbCredentials(
                str(settings.warehouse),
                global_config={
                    "memory_limit": memory_limit or settings.load_memory_limit,
                    "preserve_insertion_order": False,
                },
            )
        ),
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
    late_before: str | None = None,
) -> LoadResult:
    landing = LandingZone(settings.landing)
    entries = landing.manifest(spec.name)
    pipeline = pipeline_for(settings, spec.name, memory_limit_for(spec, settings))
    if pipeline.has_pending_data:  # a load interrupted earlier: finish it before deciding what is new
        pipeline.normalize()
        pipeline.load()
    done, known = warehouse_state(settings, spec.name)
    if full_refresh:
        done, known = set(), {}
    pending = [e for e in entries if e.sha256 not in done]
    result = LoadResult(source=spec.name, late_before=late_before)
    started = 0
    for package in load_packages(spec, pending):
        ticks = None if progress is None else _offset(progress, started, len(pending))
        # a full refresh drops the raw tables once, with the first package; the later ones merge into what it loaded
        _load_package(spec, pipeline, landing, package, result, run_id, known, ticks, full_refresh and started == 0)
        started += len(package)
    return result


def _offset(progress: Progress, before: int, total: int) -> Progress:
    """Progress over all pending files, from the progress within one package."""
    return lambda i, _n, path: progress(before + i, total, path)


def load_packages(spec: SourceSpec, pending: list[LandedFile]) -> list[list[LandedFile]]:
    """The pending files, cut into dlt load packages of at most MERGE_PACKAGE_BYTES of landing data when the source
    merges: dlt deduplicates a merge's staged rows with a window over the whole package, which DuckDB holds in memory
    (1.17M Yahoo bars in one package: +520 MB resident under a 2 GB limit, out of memory under 256 MB), so a bounded
    package keeps the load's memory flat as the input grows. Each package commits its rows with its `_landing_files`
    rows, and a later package deletes-and-inserts over the keys an earlier one loaded, as a later load would.
    Append-only sources load in one package."""
    if all(table.write_disposition == "append" for table in spec.tables.values()):
        return [pending] if pending else []
    packages: list[list[LandedFile]] = []
    size = 0
    for entry in pending:
        if not packages or (size + entry.bytes > MERGE_PACKAGE_BYTES and packages[-1]):
            packages.append([])
            size = 0
        packages[-1].append(entry)
        size += entry.bytes
    return packages


def _load_package(
    spec: SourceSpec,
    pipeline: dlt.Pipeline,
    landing: LandingZone,
    package: list[LandedFile],
    result: LoadResult,
    run_id: str,
    known: KnownTypes,
    progress: Progress | None,
    drop_first: bool,
) -> None:
    @dlt.resource(name=f"{spec.name}_landing", max_table_nesting=0)
    def landing_files() -> Iterator[Any]:
        yield from _parsed_items(spec, landing, package, result, run_id, known, progress)

    @dlt.source(name=spec.name, max_table_nesting=0)
    def source() -> Any:
        return landing_files

    # the three dlt steps, run one by one so a crash between them is testable (see pipelines/ingest/faults.py)
    pipeline.extract(source(), refresh="drop_sources" if drop_first else None, loader_file_format="parquet")
    normalize = pipeline.normalize()
    checkpoint("normalized", spec.name)
    pipeline.load()
    for table, count in normalize.row_counts.items():
        if not table.startswith("_dlt") and table != FILES_TABLE:
            result.rows[table] = result.rows.get(table, 0) + count
