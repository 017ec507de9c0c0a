"""The run log: one row per run and source in raw_grandstand.load_runs (dbt exposes it as audit.load_runs)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.config import Settings

SCHEMA = "raw_grandstand"
DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {SCHEMA}.load_runs (
    run_id varchar not null,
    source varchar not null,
    mode varchar,
    started_at timestamptz not null,
    ended_at timestamptz,
    status varchar not null,
    files_filed integer,
    files_loaded integer,
    files_quarantined integer,
    rows_loaded json,
    error varchar,
    primary key (run_id, source)
);
alter table {SCHEMA}.load_runs add column if not exists duplicates_removed json;
alter table {SCHEMA}.load_runs add column if not exists data_from varchar;
alter table {SCHEMA}.load_runs add column if not exists data_to varchar;
alter table {SCHEMA}.load_runs add column if not exists rows_ingested bigint;
alter table {SCHEMA}.load_runs add column if not exists late_rows bigint;
alter table {SCHEMA}.load_runs add column if not exists transformed_at timestamptz;
alter table {SCHEMA}.load_runs add column if not exists checks_failed integer;
"""
COLUMNS = (
    "run_id", "source", "mode", "started_at", "ended_at", "status", "files_filed", "files_loaded",
    "files_quarantined", "rows_loaded", "error", "duplicates_removed", "data_from", "data_to", "rows_ingested",
    "late_rows",
)  # fmt: skip


@dataclass
class RunRecord:
    run_id: str
    source: str
    mode: str
    started_at: datetime
    ended_at: datetime
    status: str
    files_filed: int
    files_loaded: int
    files_quarantined: int
    rows_loaded: dict[str, int]
    error: str | None
    duplicates_removed: dict[str, int]
    data_from: str | None
    data_to: str | None
    late_rows: int | None = None  # rows older than the newest an earlier run loaded; None: not counted (full refresh)

    @property
    def rows_ingested(self) -> int:
        return sum(self.rows_loaded.values())


def record_run(settings: Settings, record: RunRecord) -> None:
    con = duckdb.connect(str(settings.warehouse))
    try:
        con.execute(DDL)
        con.execute(
            f"insert or replace into {SCHEMA}.load_runs ({', '.join(COLUMNS)}) "
            f"values ({', '.join('?' for _ in COLUMNS)})",
            [
                record.run_id,
                record.source,
                record.mode,
                record.started_at,
                record.ended_at,
                record.status,
                record.files_filed,
                record.files_loaded,
                record.files_quarantined,
                json.dumps(record.rows_loaded, sort_keys=True),
                record.error,
                json.dumps(record.duplicates_removed, sort_keys=True),
                record.data_from,
                record.data_to,
                record.rows_ingested,
                record.late_rows,
            ],
        )
    finally:
        con.close()


def latest_data_to(settings: Settings, source: str) -> str | None:
    """The newest data time any earlier run of `source` loaded (`data_to`): rows older than it are late."""
    if not settings.warehouse.exists():
        return None
    con = duckdb.connect(str(settings.warehouse))
    try:
        rows = query(
            con, f"select max(data_to) from {SCHEMA}.load_runs where source = ? and status <> 'failed'", [source]
        )
    finally:
        con.close()
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def record_transform(
    settings: Settings,
    run_id: str,
    finished_at: datetime,
    checks_failed: int,
    *,
    caught_up: Sequence[str] | None = (),
) -> None:
    """After dbt built what a run loaded: when its data reached the marts, and how many error-severity tests failed.
    Each source row of the run gets both (audit.run_slas measures its SLA against `transformed_at`).

    `caught_up`: the sources this build also brought up to date, whose earlier runs still wait for a transform (a
    `load` on its own, a run whose build failed): they get `transformed_at` too, the time their data really reached
    the marts. None: every source (a build of the whole project)."""
    con = duckdb.connect(str(settings.warehouse))
    try:
        con.execute(DDL)
        con.execute(
            f"update {SCHEMA}.load_runs set transformed_at = ?, checks_failed = ? where run_id = ?",
            [finished_at, checks_failed, run_id],
        )
        if caught_up is None or caught_up:
            only = "" if caught_up is None else f" and source in ({', '.join('?' for _ in caught_up)})"
            con.execute(
                f"update {SCHEMA}.load_runs set transformed_at = ? where transformed_at is null{only}",
                [finished_at, *(caught_up or [])],
            )
    finally:
        con.close()


def last_transformed_at(settings: Settings, *, database: Path | None = None) -> datetime | None:
    """When the newest build that carried loads to the marts finished (None: never), from the warehouse (a run asks
    while it holds the writer lock) or from another `database`, opened read-only (a sensor reads the last good copy,
    so it never holds a lock a run needs)."""
    path = database or settings.warehouse
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=database is not None)
    try:
        rows = query(con, f"select max(transformed_at) from {SCHEMA}.load_runs")
    finally:
        con.close()
    return rows[0][0] if rows and rows[0][0] is not None else None


def sources_awaiting_transform(settings: Settings) -> set[str]:
    """Sources whose loaded data no clean build has carried to the marts yet: what the next run's build must include
    even when its own loads bring nothing new for them. A source is pending when
    - a run loaded rows that no build has recorded (`transformed_at` null: a `load` on its own, a failed build);
    - dlt committed a load after the source's newest build (a load package a killed run left, finished later);
    - or its newest build failed an error-severity test (the marts downstream of it were skipped)."""
    from pipelines.ingest.registry import SOURCE_NAMES

    if not settings.warehouse.exists():
        return set()
    con = duckdb.connect(str(settings.warehouse))  # a run asks while it holds the writer lock
    try:
        pending = {
            r[0]
            for r in query(
                con,
                f"select distinct source from {SCHEMA}.load_runs "
                "where transformed_at is null and coalesce(rows_ingested, 0) > 0",
            )
        }
        for source in SOURCE_NAMES:
            loaded = query(con, f"select max(inserted_at) from raw_{source}._dlt_loads where status = 0")
            built = query(
                con,
                f"select transformed_at, checks_failed from {SCHEMA}.load_runs where source = ? "
                "and transformed_at is not null order by transformed_at desc, started_at desc limit 1",
                [source],
            )
            newest_load = loaded[0][0] if loaded else None
            loaded_since_build = newest_load is not None and (not built or newest_load > built[0][0])
            build_failed_a_test = bool(built) and (built[0][1] or 0) > 0
            if loaded_since_build or build_failed_a_test:
                pending.add(source)
    finally:
        con.close()
    return pending


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.CatalogException:
        return []
