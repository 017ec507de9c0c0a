"""Upkeep of the Iceberg lake, per table, in this order:
1. compact: a partition with two data files or more under the small-file size is rewritten as one file (a
   partition overwrite with the same rows, the watermark carried over);
2. expire: snapshots older than the retention are dropped from the metadata, the current one always kept;
3. remove orphans: files under the table's folder that no remaining snapshot or metadata file references, and
   older than `orphan_age` (a write in progress is never taken for an orphan).
The current snapshot's content is the same before and after (tests/test_iceberg.py checks it).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsspec
from pyiceberg.catalog import Catalog
from pyiceberg.expressions import EqualTo
from pyiceberg.table import Table

from pipelines.config import Settings, config_value
from pipelines.lake.export import PARTITION_COLUMN, _is_remote
from pipelines.lake.iceberg import WATERMARK, iceberg_location, open_catalog, watermark
from pipelines.operate.retention import Retention

ORPHAN_AGE = timedelta(days=1)


def lake_tables(catalog: Catalog) -> list[Table]:
    tables = []
    for namespace in catalog.list_namespaces():
        for identifier in catalog.list_tables(namespace):
            tables.append(catalog.load_table(identifier))
    return tables


def catalog_if_any(settings: Settings, location: str | None = None) -> Catalog | None:
    """The lake's catalog if one was configured or written; None when there is no Iceberg lake yet."""
    if config_value("lake.iceberg_catalog_uri", "GRANDSTAND_ICEBERG_CATALOG_URI"):
        return open_catalog(settings, location)
    warehouse = iceberg_location(settings, location)
    folder = settings.data_dir if _is_remote(warehouse) else Path(warehouse)
    return open_catalog(settings, location) if (folder / "catalog.db").exists() else None


def small_partitions(table: Table, small_file_bytes: int) -> dict[object, int]:
    """partition value → number of small data files, for partitions with two or more."""
    files = table.inspect.data_files() if table.current_snapshot() else None
    if files is None or files.num_rows == 0:
        return {}
    counts: dict[object, int] = defaultdict(int)
    for row in files.select(["partition", "file_size_in_bytes"]).to_pylist():
        if row["file_size_in_bytes"] < small_file_bytes:
            part = (row["partition"] or {}).get(PARTITION_COLUMN)
            counts[part] += 1
    return {part: n for part, n in counts.items() if n >= 2}


def compact_table(table: Table, parts: dict[object, int]) -> None:
    partitioned = bool(table.spec().fields)
    props = {WATERMARK: mark} if (mark := watermark(table)) else {}
    for part in parts:
        row_filter = EqualTo(PARTITION_COLUMN, part) if partitioned and part is not None else None
        scan = table.scan(row_filter=row_filter) if row_filter is not None else table.scan()
        rows = scan.to_arrow()
        with table.transaction() as tx:
            if partitioned:
                tx.dynamic_partition_overwrite(rows, snapshot_properties=props)
            else:
                tx.overwrite(rows, snapshot_properties=props)
        table.refresh()


def expirable(table: Table, keep_days: int, now: datetime) -> list[int]:
    current = table.current_snapshot()
    cutoff_ms = int((now - timedelta(days=keep_days)).timestamp() * 1000)
    return [
        s.snapshot_id
        for s in table.snapshots()
        if s.timestamp_ms < cutoff_ms and (current is None or s.snapshot_id != current.snapshot_id)
    ]


def _bare(path: str) -> str:
    for prefix in ("file://", "s3://", "s3a://"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def referenced_files(table: Table) -> set[str]:
    """Every file the table's metadata still points at: data files, manifests, manifest lists, metadata files."""
    keep = {table.metadata_location}
    keep |= {entry.metadata_file for entry in table.metadata.metadata_log}
    for snapshot in table.snapshots():
        keep.add(snapshot.manifest_list)
        for manifest in snapshot.manifests(table.io):
            keep.add(manifest.manifest_path)
    if table.current_snapshot() is not None:
        keep |= set(table.inspect.all_files().column("file_path").to_pylist())
    return {_bare(p) for p in keep}


def _filesystem(location: str) -> tuple[fsspec.AbstractFileSystem, str]:
    """A fresh filesystem for the location: fsspec's instance cache would keep an S3 endpoint that has changed
    since (its key does not include the AWS_* variables it was built from)."""
    return fsspec.core.url_to_fs(location, skip_instance_cache=True)


def orphan_files(table: Table, older_than: datetime) -> list[str]:
    fs, root = _filesystem(table.location())
    referenced = referenced_files(table)
    orphans = []
    for path in fs.find(root):
        bare = _bare(path)
        if bare in referenced or path.endswith("version-hint.text"):
            continue
        modified = fs.modified(path)
        modified = modified if modified.tzinfo else modified.replace(tzinfo=UTC)
        if modified < older_than:
            orphans.append(path)
    return orphans


def maintain_lake(
    settings: Settings,
    policy: Retention,
    apply: bool,
    lines: list[str],
    location: str | None = None,
    orphan_age: timedelta = ORPHAN_AGE,
) -> None:
    catalog = catalog_if_any(settings, location)
    if catalog is None:
        lines.append("lake: no Iceberg catalog yet (`grandstand export-raw --format iceberg`): nothing to do")
        return
    for table in lake_tables(catalog):
        name = ".".join(table.name()[1:]) if len(table.name()) > 2 else ".".join(table.name())
        parts = small_partitions(table, policy.small_file_bytes)
        if parts:
            verb = "compacted" if apply else "would compact"
            lines.append(f"lake {name}: {verb} {sum(parts.values())} small files in {len(parts)} partitions")
            if apply:
                compact_table(table, parts)
        expired = expirable(table, policy.lake_snapshot_days, datetime.now(UTC))
        if expired:
            lines.append(f"lake {name}: {'expired' if apply else 'would expire'} {len(expired)} snapshots")
            if apply:
                table.maintenance.expire_snapshots().by_ids(expired).commit()
                table.refresh()
        orphans = orphan_files(table, datetime.now(UTC) - orphan_age)
        if orphans:
            lines.append(f"lake {name}: {'removed' if apply else 'would remove'} {len(orphans)} orphan files")
            if apply:
                fs, _ = _filesystem(table.location())
                for path in orphans:
                    fs.rm(path)
