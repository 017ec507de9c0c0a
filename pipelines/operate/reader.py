"""Read-only access to the warehouse for readers (status, dashboards, reports).

DuckDB lets one process write a file; while a run writes, a read-only open fails. Readers then fall back to the last
good copy, which every successful run leaves beside the warehouse.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.config import Settings


def snapshot_path(settings: Settings) -> Path:
    return settings.warehouse.with_name(settings.warehouse.stem + ".last-good.duckdb")


def save_last_good_copy(settings: Settings) -> Path:
    """Copy the warehouse after a successful run (the writer holds the lock, and has closed its connections)."""
    target = snapshot_path(settings)
    tmp = target.with_suffix(".tmp")
    con = duckdb.connect(str(settings.warehouse))
    try:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    finally:
        con.close()
    shutil.copyfile(settings.warehouse, tmp)
    tmp.replace(target)
    return target


def open_reader(settings: Settings) -> tuple[duckdb.DuckDBPyConnection | None, bool]:
    """(connection, is_last_good_copy). None when there is no warehouse yet."""
    if not settings.warehouse.exists():
        return None, False
    try:
        return duckdb.connect(str(settings.warehouse), read_only=True), False
    except (duckdb.IOException, duckdb.ConnectionException):  # another process (or connection) is writing
        copy = snapshot_path(settings)
        if not copy.exists():
            raise
        return duckdb.connect(str(copy), read_only=True), True
