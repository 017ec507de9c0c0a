"""What a plain `grandstand run` builds: downstream of the sources whose loaded rows have not reached the marts yet,
read from the run log (raw_grandstand.load_runs) in a real DuckDB warehouse."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.config import Settings
from pipelines.operate.audit import DDL, SCHEMA, record_transform
from pipelines.operate.selection import run_selection
from tests.e2e import run_cli
from tests.generators.yahoo_chart import ChartConfig, bodies

ALWAYS = ["+run_slas"]
SEEDS = "resource_type:seed"


def _log(settings: Settings, rows: list[tuple[str, str, int, datetime | None]]) -> None:
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse))
    try:
        con.execute(DDL)
        for run_id, source, ingested, transformed_at in rows:
            con.execute(
                f"insert into {SCHEMA}.load_runs (run_id, source, started_at, status, rows_ingested, transformed_at) "
                "values (?, ?, now(), 'ok', ?, ?)",
                [run_id, source, ingested, transformed_at],
            )
    finally:
        con.close()


def test_a_full_refresh_builds_everything(settings: Settings) -> None:
    assert run_selection(settings, full_refresh=True) is None


def test_only_sources_with_rows_not_yet_transformed_are_rebuilt(settings: Settings) -> None:
    # no warehouse yet: nothing loaded, and the seeds were never built
    assert run_selection(settings, full_refresh=False) == [SEEDS, *ALWAYS]
    earlier = datetime(2026, 12, 1, tzinfo=UTC)
    _log(
        settings,
        [
            ("r1", "coincap", 40, earlier),  # loaded and built: nothing new
            ("r1", "events", 0, None),  # ran, loaded nothing
            ("r2", "yahoo", 1200, None),  # this run's load
            ("r0", "f1", 300, None),  # an earlier `load` on its own, or a run whose build failed
        ],
    )
    assert run_selection(settings, full_refresh=False) == ["tag:f1+", "tag:yahoo+", SEEDS, *ALWAYS]

    # the run's build records its own loads, and the sources it selected, as transformed
    record_transform(settings, "r2", datetime.now(UTC), 0, caught_up=["yahoo"])
    assert run_selection(settings, full_refresh=False) == ["tag:f1+", *ALWAYS]  # seed files older than that build

    # a build of part of the project clears only its own run; a build of the whole project clears every source
    record_transform(settings, "r9", datetime.now(UTC), 0, caught_up=())
    assert run_selection(settings, full_refresh=False) == ["tag:f1+", *ALWAYS]
    record_transform(settings, "r9", datetime.now(UTC), 0, caught_up=None)
    assert run_selection(settings, full_refresh=False) == ALWAYS


def test_an_edited_seed_is_built_by_the_next_run(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipelines.operate.selection as selection

    seeds = tmp_path / "project" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "yahoo_tickers.csv").write_text("ticker\nAAPL\n")
    monkeypatch.setattr(selection, "PROJECT_ROOT", seeds.parent)
    _log(settings, [("r1", "yahoo", 10, datetime.now(UTC))])
    assert run_selection(settings, full_refresh=False) == ALWAYS  # built after the seed file was written
    later = datetime.now(UTC).timestamp() + 60
    os.utime(seeds / "yahoo_tickers.csv", (later, later))  # a user adds a ticker
    assert run_selection(settings, full_refresh=False) == [SEEDS, *ALWAYS]


def test_a_load_committed_after_the_last_build_or_a_failed_test_keeps_a_source_pending(settings: Settings) -> None:
    built = datetime.now(UTC)  # after the seed files were written: no seeds to build
    _log(settings, [("r1", "f1", 300, built), ("r1", "hkjc", 50, built), ("r2", "events", 80, built)])
    assert run_selection(settings, full_refresh=False) == ALWAYS
    con = duckdb.connect(str(settings.warehouse))
    try:
        # a load package a killed run left behind, finished (committed by dlt) after the last build
        con.execute(
            "create schema raw_f1; "
            "create table raw_f1._dlt_loads (load_id varchar, status integer, inserted_at timestamptz)"
        )
        con.execute("insert into raw_f1._dlt_loads values ('1.1', 0, ?)", [built + timedelta(hours=1)])
        # the newest build of events failed an error-severity test: its marts were skipped
        con.execute("update raw_grandstand.load_runs set checks_failed = 1 where source = 'events'")
    finally:
        con.close()
    assert run_selection(settings, full_refresh=False) == ["tag:events+", "tag:f1+", *ALWAYS]


def _built_resource_types(root: Path) -> set[str]:
    results = json.loads((root / "target" / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[0] for result in results}


@pytest.mark.slow
def test_a_daily_run_leaves_the_unit_tests_to_full_refreshes_and_ci(tmp_path: Path) -> None:
    run_cli(tmp_path, "run", "yahoo", "--full-refresh")
    assert "unit_test" in _built_resource_types(tmp_path)  # the full refresh runs them, with everything
    # a new session lands (GENERATED bars, ticker GEN000) and the daily run takes it to the marts
    new = tmp_path / "new"
    new.mkdir()
    for name, body, _ in bodies(ChartConfig(tickers=1, first_day=date(2024, 10, 3), days=1)):
        (new / name).write_bytes(body)
    run_cli(tmp_path, "load", "yahoo", "--from", *map(str, new.iterdir()))
    run_cli(tmp_path, "run", "yahoo")
    built = _built_resource_types(tmp_path)
    assert {"model", "test"} <= built  # the markets models and their data tests ran
    assert "unit_test" not in built
