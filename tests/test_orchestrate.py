"""The Dagster definitions (pipelines/orchestrate/): the asset graph against dbt's manifest, one tick of each
schedule and of the sensor with Dagster's test utilities, the writer lock's message in a run log, and (slow) the
whole graph materialised in-process on the sample, every mart equal to `grandstand run --full-refresh`'s."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest

from pipelines.config import PROJECT_ROOT, Settings
from pipelines.ingest.extract import extract
from pipelines.ingest.landing import LandingZone, RawFile
from pipelines.ingest.registry import SOURCE_NAMES, get_spec
from pipelines.lake.engines import relation_checksums
from pipelines.operate.audit import RunRecord, record_run, record_transform
from pipelines.operate.lock import writer_lock
from pipelines.operate.reader import save_last_good_copy
from pipelines.orchestrate.assets import F1_SEASONS, YAHOO_SESSIONS, dbt_project, dbt_resource, raw_key
from pipelines.orchestrate.definitions import build_definitions
from pipelines.orchestrate.schedules import seeds_changed_decision
from tests.e2e import LOAD_IDS, SALT, TIME_OF_FILING

NEW_YORK = ZoneInfo("America/New_York")
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
UTC = ZoneInfo("UTC")


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return build_definitions()


@pytest.fixture(scope="module")
def manifest(defs: dg.Definitions) -> dict:
    return json.loads(dbt_project().manifest_path.read_text())


def _ancestors(graph: Any, key: dg.AssetKey) -> set[dg.AssetKey]:
    seen: set[dg.AssetKey] = set()
    todo = [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _raw_schemas(manifest: dict, unique_id: str) -> set[str]:
    """The schemas of every dbt source a node reads, however far up."""
    found: set[str] = set()
    todo, seen = [unique_id], set()
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        if node_id.startswith("source."):
            found.add(manifest["sources"][node_id]["schema"])
            continue
        todo.extend(manifest["nodes"].get(node_id, {}).get("depends_on", {}).get("nodes", []))
    return found


def test_definitions_load_and_every_dbt_node_is_an_asset_with_lineage_to_its_raw_load(
    defs: dg.Definitions, manifest: dict
) -> None:
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    assert {raw_key(source) for source in SOURCE_NAMES} <= keys
    assert {raw_key(source) for source in SOURCE_NAMES} <= set(graph.materializable_asset_keys)

    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed", "snapshot")]
    by_name = {k.path[-1]: k for k in keys}
    missing = [n["unique_id"] for n in nodes if n["name"] not in by_name]
    assert not missing, f"dbt nodes with no asset: {missing}"

    marts = [n for n in nodes if n["resource_type"] == "model" and n["fqn"][1] == "marts"]
    assert len(marts) >= 30
    for mart in marts:
        ancestors = _ancestors(graph, by_name[mart["name"]])
        # the raw schemas the mart reads, through dbt's own lineage: each must be its load asset upstream
        expected = {
            raw_key(schema[4:]) for schema in _raw_schemas(manifest, mart["unique_id"]) if schema[4:] in SOURCE_NAMES
        }
        assert expected <= ancestors, f"{mart['name']} lacks lineage to {expected - ancestors}"
        if any(tag in SOURCE_NAMES for tag in mart["tags"]) and _raw_schemas(manifest, mart["unique_id"]):
            assert expected, mart["name"]
        tested = [
            t
            for t in manifest["nodes"].values()
            if t["resource_type"] == "test"
            and (
                t.get("attached_node") == mart["unique_id"]
                # a singular test that reads this mart alone is its check too (dagster-dbt attaches it)
                or (not t.get("attached_node") and t["depends_on"]["nodes"] == [mart["unique_id"]])
            )
        ]
        checks = {  # the freshness checks of seeds/source_slas.csv come on top (tests/test_orchestrate_alerts.py)
            c for c in graph.asset_check_keys if c.asset_key == by_name[mart["name"]] and "freshness" not in c.name
        }
        assert len(checks) == len(tested), f"{mart['name']}: {len(tested)} dbt tests, {len(checks)} asset checks"

    for schedule in defs.schedules or []:
        assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED, schedule.name
    report = defs.resolve_schedule_def("daily_report_0730")
    assert (report.cron_schedule, report.execution_timezone) == ("30 7 * * *", "UTC")
    assert defs.resolve_schedule_def("maintain_monthly").cron_schedule == "0 3 1 * *"
    assert defs.resolve_schedule_def("whole_table_tests_weekly").cron_schedule == "0 4 * * 0"
    # the alert sensors run from the start (they send nothing without GRANDSTAND_ALERT_URLS); the rest start stopped
    alerting = {"alert_on_run_failure", "alert_on_missed_sla", "alert_on_stale_source"}
    assert alerting <= {sensor.name for sensor in defs.sensors or []}
    for sensor in defs.sensors or []:
        expected = dg.DefaultSensorStatus.RUNNING if sensor.name in alerting else dg.DefaultSensorStatus.STOPPED
        assert sensor.default_status == expected, sensor.name
        assert sensor.minimum_interval_seconds is not None and sensor.minimum_interval_seconds <= 60


def _tick(defs: dg.Definitions, name: str, when: datetime) -> dg.RunRequest | str:
    """One tick of a schedule: its RunRequest, or its skip message."""
    schedule = defs.resolve_schedule_def(name)
    with dg.build_schedule_context(scheduled_execution_time=when, repository_def=defs.get_repository_def()) as context:
        data = schedule.evaluate_tick(context)
    if data.run_requests:
        assert len(data.run_requests) == 1
        return data.run_requests[0]
    assert data.skip_message
    return data.skip_message


def test_yahoo_schedule_runs_the_session_after_its_close_and_skips_holidays(defs: dg.Definitions) -> None:
    run = _tick(defs, "yahoo_after_close", datetime(2024, 10, 3, 16, 15, tzinfo=NEW_YORK))
    assert isinstance(run, dg.RunRequest) and run.partition_key == "2024-10-03"
    assert run.partition_key in YAHOO_SESSIONS.get_partition_keys()
    assert "not the tick after" in str(_tick(defs, "yahoo_after_close", datetime(2024, 10, 3, 13, 15, tzinfo=NEW_YORK)))
    # Christmas: no session
    assert "not an NYSE session" in str(
        _tick(defs, "yahoo_after_close", datetime(2024, 12, 25, 16, 15, tzinfo=NEW_YORK))
    )
    # the day after Thanksgiving closes at 13:00: its run is the 13:15 tick, not the 16:15 one
    half = _tick(defs, "yahoo_after_close", datetime(2024, 11, 29, 13, 15, tzinfo=NEW_YORK))
    assert isinstance(half, dg.RunRequest) and half.partition_key == "2024-11-29"
    assert "13:00" in str(_tick(defs, "yahoo_after_close", datetime(2024, 11, 29, 16, 15, tzinfo=NEW_YORK)))


def test_hkjc_and_coincap_schedules(defs: dg.Definitions) -> None:
    run = _tick(defs, "hkjc_meeting_days", datetime(2026, 3, 4, 23, 45, tzinfo=HONG_KONG))  # a Wednesday
    assert isinstance(run, dg.RunRequest) and run.partition_key == "2026-03-04"
    assert "not a meeting day" in str(_tick(defs, "hkjc_meeting_days", datetime(2026, 8, 2, 23, 45, tzinfo=HONG_KONG)))
    hourly = _tick(defs, "coincap_hourly", datetime(2026, 3, 4, 10, 5, tzinfo=UTC))
    assert isinstance(hourly, dg.RunRequest) and hourly.partition_key is None


def test_f1_schedule_runs_the_season_after_a_landed_race_weekend(defs: dg.Definitions, settings: Settings) -> None:
    races = [
        {"season": "2025", "round": "1", "raceName": "A", "date": "2025-03-16", "Circuit": {"circuitId": "albert_park"}}
    ]
    body = json.dumps({"MRData": {"total": "1", "RaceTable": {"season": "2025", "Races": races}}}).encode()
    LandingZone(settings.landing).file(
        "f1", RawFile("jolpica", "schedule_2025_p000.json", body, "https://example.test/2025.json", {"kind": "races"})
    )
    run = _tick(defs, "f1_after_race_weekend", datetime(2025, 3, 17, 6, 0, tzinfo=UTC))  # the Monday after
    assert isinstance(run, dg.RunRequest) and run.partition_key == "2025" and run.tags["grandstand/f1_rule"] == "race"
    assert run.partition_key in F1_SEASONS.get_partition_keys()
    assert "no 2025 race" in str(_tick(defs, "f1_after_race_weekend", datetime(2025, 3, 24, 6, 0, tzinfo=UTC)))
    # a season whose calendar is not landed: every Monday
    fallback = _tick(defs, "f1_after_race_weekend", datetime(2024, 3, 4, 6, 0, tzinfo=UTC))
    assert isinstance(fallback, dg.RunRequest) and fallback.tags["grandstand/f1_rule"] == "no calendar"


def test_events_sensor_starts_a_run_for_new_drop_files_only(
    defs: dg.Definitions, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sensor = defs.resolve_sensor_def("events_drop")
    drop = tmp_path / "drop"
    drop.mkdir()
    monkeypatch.setenv("GRANDSTAND_EVENTS_DROP", str(drop))  # read by the config layer, for the sensor and extract

    def tick() -> Any:
        with dg.build_sensor_context() as context:
            return sensor.evaluate_tick(context)

    assert not tick().run_requests and "no new files" in (tick().skip_message or "")
    folder = drop / "dt=2013-01-10" / "hour=00" / "source=github"
    folder.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "data/sample/events/github_events_2013-01-10.json", folder / "events.json")
    first = tick().run_requests
    assert len(first) == 1 and first[0].tags["grandstand/new_files"] == "1"
    assert tick().run_requests[0].run_key == first[0].run_key  # the same new files: Dagster starts one run
    # the run's extract (the same call the events asset makes, live mode) files it; then nothing is new
    assert extract(get_spec("events"), settings, "live").new_files == 1
    assert not tick().run_requests


def test_seeds_sensor_starts_one_run_per_seed_change_without_touching_the_warehouse(settings: Settings) -> None:
    first = seeds_changed_decision(settings)  # no build yet: the seeds have never been built
    assert isinstance(first, dg.RunRequest) and first.run_key and first.run_key.startswith("seeds-")
    assert seeds_changed_decision(settings).run_key == first.run_key  # the same change: Dagster starts one run
    now = datetime.now(UTC)  # a run that loaded and built after the seed files were written, and saved its copy
    run = RunRecord("r1", "coincap", "sample", now, now, "ok", 1, 1, 0, {"assets": 1}, None, {}, None, None)
    record_run(settings, run)
    record_transform(settings, "r1", now, 0)
    save_last_good_copy(settings)
    assert isinstance(seeds_changed_decision(settings), dg.SkipReason)
    # another process writing the warehouse, as a run does: the sensor reads the copy, and still answers
    hold = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(120)"
    writer = subprocess.Popen([sys.executable, "-c", hold, str(settings.warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        busy = seeds_changed_decision(settings)
    finally:
        writer.kill()
        writer.wait()
    assert isinstance(busy, dg.SkipReason) and "no seed file changed" in (busy.skip_message or ""), busy


def test_a_second_writer_fails_with_the_lock_message_in_the_run_log(defs: dg.Definitions, settings: Settings) -> None:
    instance = dg.DagsterInstance.ephemeral()
    graph = defs.resolve_asset_graph()
    seed = next(k for k in graph.get_all_asset_keys() if k.path[-1] == "racecourses")
    with writer_lock(settings.lock_path):  # as a `grandstand run` holds it
        result = dg.materialize(
            list(defs.assets or []),
            selection=dg.AssetSelection.assets(seed),
            resources={"dbt": dbt_resource()},
            instance=instance,
            raise_on_error=False,
        )
    assert not result.success
    messages = [record.user_message for record in instance.all_logs(result.run_id)]
    assert any("the warehouse is being written by pid" in m for m in messages), messages[-5:]


@pytest.fixture()
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name, value in {
        "GRANDSTAND_WAREHOUSE": tmp_path / "warehouse.duckdb",
        "GRANDSTAND_LANDING": tmp_path / "landing",
        "DBT_TARGET_PATH": tmp_path / "target",
        "DBT_LOG_PATH": tmp_path / "logs",
    }.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("GRANDSTAND_PII_SALT", SALT)
    monkeypatch.delenv("GRANDSTAND_MODE", raising=False)
    yield tmp_path


def _mart_sums(warehouse: Path, exclude: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        out = {}
        for table in tables:
            rows, _, digest = relation_checksums(con, f'marts."{table}"', exclude)
            out[table] = (rows, digest)
        return out
    finally:
        con.close()


@pytest.mark.slow
def test_the_whole_graph_materialised_in_process_equals_a_full_refresh(isolated: Path, sample_warehouse: Path) -> None:
    defs = build_definitions()  # parses dbt into this test's target path
    assets = list(defs.assets or [])
    resources = {"dbt": dbt_resource()}
    instance = dg.DagsterInstance.ephemeral()
    partitioned = {"yahoo": "2024-10-03", "hkjc": "2026-03-01", "f1": "2026"}  # in sample mode any partition files all
    for source, key in partitioned.items():
        one = dg.AssetSelection.assets(raw_key(source))
        assert dg.materialize(assets, selection=one, partition_key=key, resources=resources, instance=instance).success
    rest = dg.AssetSelection.all() - dg.AssetSelection.assets(*(raw_key(s) for s in partitioned))
    result = dg.materialize(assets, selection=rest, resources=resources, instance=instance)
    assert result.success
    failed = [
        e for e in result.get_asset_check_evaluations() if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]
    assert not failed

    # its own landing zone was filed at other times than the CLI's, and dlt's load ids differ between loads
    exclude = (*TIME_OF_FILING, *LOAD_IDS)
    ours = _mart_sums(isolated / "warehouse.duckdb", exclude)
    theirs = _mart_sums(sample_warehouse / "warehouse.duckdb", exclude)
    assert len(ours) >= 30 and set(ours) == set(theirs)
    different = sorted(t for t in ours if ours[t] != theirs[t])
    assert not different, f"marts that differ from `grandstand run --full-refresh`: {different}"
