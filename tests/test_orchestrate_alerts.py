"""The Dagster alert sensors end to end: real runs on an ephemeral Dagster instance (a run that fails on the writer
lock, a run that loads CoinCap and builds audit.run_slas, freshness checks evaluated for real), each sensor ticked
with Dagster's test utilities, and the alert asserted at a local HTTP receiver on 127.0.0.1 (tests/test_alerts.py's)
with its runbook, and held back when the same alert comes again within the window. Also the freshness checks'
thresholds: read from seeds/source_slas.csv, and the Yahoo check's session-close deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from dagster._core.definitions.sensor_definition import SensorExecutionData

from pipelines.config import Settings
from pipelines.operate.lock import writer_lock
from pipelines.orchestrate.assets import RUN_LOG_KEY, dbt_resource, raw_key
from pipelines.orchestrate.definitions import build_definitions
from pipelines.orchestrate.freshness import SESSION_CHECK, last_session_deadline, load_slas, next_session_deadline
from tests.test_alerts import Receiver, receiver  # noqa: F401  (the fixture: a webhook on 127.0.0.1)

NEW_YORK_CLOSE_2024_11_29 = datetime(2024, 11, 29, 18, 0, tzinfo=UTC)  # the day after Thanksgiving: 13:00 ET


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return build_definitions()


@pytest.fixture()
def alerting(settings: Settings, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> Receiver:  # noqa: F811
    monkeypatch.setenv("GRANDSTAND_ALERT_URLS", receiver.url)
    monkeypatch.delenv("GRANDSTAND_ALERT_WINDOW_MINUTES", raising=False)
    return receiver


def _key(defs: dg.Definitions, name: str) -> dg.AssetKey:
    return next(k for k in defs.resolve_asset_graph().get_all_asset_keys() if k.path[-1] == name)


def _materialize(defs: dg.Definitions, instance: dg.DagsterInstance, selection: Any) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [*(defs.assets or []), *(defs.asset_checks or [])],  # type: ignore[list-item]
        selection=selection,
        resources={"dbt": dbt_resource()},
        instance=instance,
        raise_on_error=False,
    )


def _run_status_context(
    instance: dg.DagsterInstance, sensor: str, run_id: str, event_type: dg.DagsterEventType
) -> dg.RunStatusSensorContext:
    run = instance.get_run_by_id(run_id)
    assert run is not None
    event = next(iter(instance.all_logs(run_id, of_type=event_type))).dagster_event
    assert event is not None
    return dg.build_run_status_sensor_context(
        sensor_name=sensor, dagster_event=event, dagster_instance=instance, dagster_run=run
    )


def test_a_failed_run_alerts_once_within_the_window(
    defs: dg.Definitions, settings: Settings, alerting: Receiver
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    with writer_lock(settings.lock_path):  # a `grandstand run` holds the warehouse: the run's dbt step fails
        result = _materialize(defs, instance, dg.AssetSelection.assets(_key(defs, "racecourses")))
    assert not result.success
    sensor = defs.resolve_sensor_def("alert_on_run_failure")
    context = _run_status_context(instance, sensor.name, result.run_id, dg.DagsterEventType.RUN_FAILURE)
    sensor(context.for_run_failure())  # type: ignore[call-arg]
    assert len(alerting.posts) == 1
    message = alerting.posts[0]["message"]
    assert f"run: {result.run_id}" in message and "asset or test: dagster __ephemeral_asset_job__" in message
    assert "failed steps: dbt_build" in message and "the warehouse is being written by pid" in message
    assert "runbook: docs/runbooks/failed-run.md" in message
    # the same job failing again within the hour is held back
    sensor(context.for_run_failure())  # type: ignore[call-arg]
    assert len(alerting.posts) == 1


def test_a_run_that_missed_its_sla_alerts_once(
    defs: dg.Definitions, settings: Settings, alerting: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))  # dbt builds here, not in the checkout
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    instance = dg.DagsterInstance.ephemeral()
    others = [raw_key(s) for s in ("yahoo", "hkjc", "f1", "events")]
    run_slas = dg.AssetSelection.assets(_key(defs, "run_slas")).upstream() - dg.AssetSelection.assets(
        *others, RUN_LOG_KEY
    )
    # one run, as coincap_job runs it: CoinCap's load, its staging models, and audit.run_slas with what it reads
    selection = dg.AssetSelection.assets(raw_key("coincap")).downstream(depth=1) | run_slas
    # without the dbt tests: some tests on the seeds read marts this small run does not build
    result = _materialize(defs, instance, selection.without_checks())
    assert result.success
    sensor = defs.resolve_sensor_def("alert_on_missed_sla")
    context = _run_status_context(instance, sensor.name, result.run_id, dg.DagsterEventType.RUN_SUCCESS)
    sensor(context)  # type: ignore[call-arg]
    assert alerting.posts == []  # a sample run is not judged against an SLA

    # the same run, relabelled as a live run whose newest price was 3 hours old when it reached the marts
    con = duckdb.connect(str(settings.warehouse))
    try:
        row = con.execute(
            "select transformed_at from raw_grandstand.load_runs where run_id = ? and source = 'coincap'",
            [result.run_id],
        ).fetchone()
        assert row is not None and row[0] is not None, "the dbt step did not record when the run reached the marts"
        con.execute(
            "update raw_grandstand.load_runs set mode = 'live', data_to = ? where run_id = ?",
            [str(row[0] - timedelta(hours=3)), result.run_id],
        )
    finally:
        con.close()
    sensor(context)  # type: ignore[call-arg]
    assert len(alerting.posts) == 1
    message = alerting.posts[0]["message"]
    assert f"run: {result.run_id}" in message and "asset or test: coincap/coincap_two_hours" in message
    assert "missed by 60.0 minutes" in message and "runbook: docs/runbooks/missed-sla.md" in message
    sensor(context)  # type: ignore[call-arg]
    assert len(alerting.posts) == 1


def _tick(defs: dg.Definitions, instance: dg.DagsterInstance, name: str) -> SensorExecutionData:
    with dg.build_sensor_context(instance=instance, sensor_name=name, definitions=defs) as context:
        return defs.resolve_sensor_def(name).evaluate_tick(context)


def test_a_stale_source_alerts_once_and_stops_when_it_is_fresh(
    defs: dg.Definitions, settings: Settings, alerting: Receiver
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    checks = [k for k in defs.resolve_asset_graph().asset_check_keys if "freshness" in k.name]
    # Dagster's freshness sensor asks for every check that has never run
    request = _tick(defs, instance, "freshness_checks").run_requests
    assert len(request) == 1 and set(request[0].asset_check_keys or []) == set(checks)
    assert "no freshness check" in (_tick(defs, instance, "alert_on_stale_source").skip_message or "")

    coincap = dg.AssetCheckKey(raw_key("coincap"), "freshness_check")
    assert _materialize(defs, instance, dg.AssetSelection.checks(coincap)).success  # never loaded: overdue
    skip = _tick(defs, instance, "alert_on_stale_source").skip_message or ""
    assert "coincap/coincap_two_hours: sent" in skip
    assert len(alerting.posts) == 1
    message = alerting.posts[0]["message"]
    assert "asset or test: coincap/coincap_two_hours" in message and "runbook: docs/runbooks/stale-source.md" in message
    assert "raw/coincap: last updated never" in message and "allowance 120 min" in message
    # still stale a minute later: held back by the window
    assert "coincap/coincap_two_hours: suppressed" in (
        _tick(defs, instance, "alert_on_stale_source").skip_message or ""
    )
    assert len(alerting.posts) == 1

    # CoinCap loads (a real sample load), the check runs again and passes: nothing more to say
    assert _materialize(defs, instance, dg.AssetSelection.assets(raw_key("coincap"))).success
    assert _materialize(defs, instance, dg.AssetSelection.checks(coincap)).success
    assert "no freshness check" in (_tick(defs, instance, "alert_on_stale_source").skip_message or "")
    assert len(alerting.posts) == 1


def test_the_yahoo_check_counts_from_the_session_close(defs: dg.Definitions, settings: Settings) -> None:
    # the half day after Thanksgiving closes at 13:00 ET: from 19:00 UTC its close is the one due
    close, deadline = last_session_deadline(datetime(2024, 11, 29, 19, 0, tzinfo=UTC), timedelta(hours=1))
    assert close == NEW_YORK_CLOSE_2024_11_29 and deadline == close + timedelta(hours=1)
    # at 18:30 UTC it is not due yet: Wednesday's (Thanksgiving Thursday has no session)
    close, _ = last_session_deadline(datetime(2024, 11, 29, 18, 30, tzinfo=UTC), timedelta(hours=1))
    assert close == datetime(2024, 11, 27, 21, 0, tzinfo=UTC)
    assert next_session_deadline(close, timedelta(hours=1)) == NEW_YORK_CLOSE_2024_11_29 + timedelta(hours=1)

    instance = dg.DagsterInstance.ephemeral()
    mart = _key(defs, "fct_markets_daily_bars")
    check = dg.AssetCheckKey(mart, SESSION_CHECK)
    result = _materialize(defs, instance, dg.AssetSelection.checks(check))
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.metadata["last_updated"].value == "never"
    instance.report_runless_asset_event(dg.AssetMaterialization(mart))  # the mart updated now, after the last close
    (evaluation,) = _materialize(defs, instance, dg.AssetSelection.checks(check)).get_asset_check_evaluations()
    assert evaluation.passed and "dagster/fresh_until_timestamp" in evaluation.metadata


def test_the_thresholds_come_from_the_sla_seed(defs: dg.Definitions) -> None:
    slas = {sla.name: sla for sla in load_slas()}
    params: dict[str, dict[str, Any]] = {}
    session_marts: set[str] = set()
    for definition in defs.asset_checks or []:
        for spec in definition.check_specs:
            if spec.key.name == SESSION_CHECK:
                session_marts.add(spec.key.asset_key.path[-1])
            elif spec.key.name == "freshness_check":
                params[spec.key.asset_key.to_user_string()] = spec.metadata["dagster/freshness_params"].value
    seconds = {name: sla.allowance.total_seconds() for name, sla in slas.items()}
    assert params["raw/events"] == {"timezone": "UTC", "lower_bound_delta_seconds": seconds["events_end_to_end"]}
    assert params["raw/coincap"]["lower_bound_delta_seconds"] == seconds["coincap_two_hours"] == 7200
    # the product marts: updated between midnight and 08:00 UTC (480 minutes in the seed)
    product = {key: value for key, value in params.items() if key.startswith("marts/")}
    assert {"marts/fct_product_events", "marts/product_active_users"} <= set(product)
    assert all(v["deadline_cron"] == "0 8 * * *" and v["lower_bound_delta_seconds"] == 28800 for v in product.values())
    assert {"fct_markets_bars_1m", "fct_markets_daily_bars"} <= session_marts
