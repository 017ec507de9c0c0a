"""The API's connection to the warehouse: the dashboards' reader (`pipelines.operate.reader`), opened per request.

Two additions, both about never standing in a run's way while answering fast:
- While a run holds the writer lock (`pipelines.operate.lock`), the API goes straight to the last good copy without
  touching the warehouse file, so a read can never take the file between two of the run's connections. The lock is
  observed from /proc/locks, never taken: taking it, even shared, would stop the run.
- When the last good copy is newer than every write to the warehouse (a successful run checkpoints the warehouse,
  then copies it), the two hold the same data, and the API answers from one read-only connection to the copy kept
  open across requests (a cursor per request): opening DuckDB costs tens of milliseconds a request, and a run
  replaces the copy by renaming a new file over it, which an open connection does not hinder. The connection is
  reopened when the copy is replaced. The copy's last build is read once per opening, not per request.
Otherwise (a transform since the last copy, or no copy) each request opens the warehouse itself, as the dashboards do.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import duckdb

from pipelines.config import Settings
from pipelines.operate.reader import open_reader, snapshot_path

PROC_LOCKS = Path("/proc/locks")


def writer_active(settings: Settings) -> bool:
    """True when some process holds the writer lock on this warehouse (Linux: read from /proc/locks)."""
    try:
        found = os.stat(settings.lock_path)
        table = PROC_LOCKS.read_text()
    except OSError:  # no lock file yet, or no /proc: open_reader's own fallback still applies
        return False
    file_id = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    for line in table.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 00:2e:5678 0 EOF" (a blocked waiter has "->" after the number)
        fields = [f for f in fields if f != "->"]
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == file_id:
            return True
    return False


class Opened(NamedTuple):
    """A request's read-only connection, whether it is the last good copy (a run is writing), and the last build."""

    con: duckdb.DuckDBPyConnection
    is_copy: bool
    last_build: datetime | None


class _SharedCopy:
    """One read-only connection to the last good copy, reopened when a run replaces the file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[str, int, int] | None = None
        self._last_build: datetime | None = None

    def open(self, path: Path, identity: tuple[str, int, int]) -> Opened:
        with self._lock:
            if self._con is None or self._identity != identity:
                # the replaced connection is left to close when its last cursor is gone
                self._con = duckdb.connect(str(path), read_only=True)
                self._identity = identity
                self._last_build = last_build_at(self._con)  # the file does not change while it has this identity
            return Opened(self._con.cursor(), False, self._last_build)


_shared = _SharedCopy()


def _copy_is_current(settings: Settings, copy: Path) -> tuple[str, int, int] | None:
    """The copy's identity when it was written after the warehouse last changed, else None."""
    try:
        copy_stat, warehouse_stat = copy.stat(), settings.warehouse.stat()
    except OSError:
        return None
    if copy_stat.st_mtime_ns < warehouse_stat.st_mtime_ns:
        return None
    return str(copy), copy_stat.st_ino, copy_stat.st_mtime_ns


def open_warehouse(settings: Settings) -> Opened | None:
    """A read-only connection for one request; None when there is no warehouse yet. `is_copy` is true when the
    warehouse holds newer writes than what is served (a run is writing)."""
    copy = snapshot_path(settings)
    if writer_active(settings) and copy.exists():
        con = duckdb.connect(str(copy), read_only=True)
        return Opened(con, True, last_build_at(con))
    identity = _copy_is_current(settings, copy)
    if identity is not None:
        return _shared.open(copy, identity)
    con, is_copy = open_reader(settings)
    return None if con is None else Opened(con, is_copy, last_build_at(con))


def last_build_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the warehouse was last transformed by a successful run (audit.load_runs), or None if never."""
    try:
        row = con.execute(
            "select max(transformed_at) from audit.load_runs where run_status = 'ok' and transformed_at is not null"
        ).fetchone()
    except duckdb.CatalogException:  # a warehouse built before the run log existed
        return None
    return row[0] if row else None
