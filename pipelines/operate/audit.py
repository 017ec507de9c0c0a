"""The run log: one row per run and source in raw_grandstand.load_runs (dbt exposes it as audit.load_runs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
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
"""
COLUMNS = (
    "run_id", "source", "mode", "started_at", "ended_at", "status", "files_filed", "files_loaded",
    "files_quarantined", "rows_loaded", "error", "duplicates_removed", "data_from", "data_to",
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
            ],
        )
    finally:
        con.close()


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.CatalogException:
        return []
