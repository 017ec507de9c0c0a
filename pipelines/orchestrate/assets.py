"""The assets: one per source (its extract into the landing zone and its load into raw_<source>), and every dbt
model, seed and snapshot from dbt's manifest (dagster-dbt), with the dbt tests as asset checks.

One code path: a source asset calls the same `extract` and `load_source` as `grandstand run` and `grandstand
backfill` (a partition range becomes the backfill's --start/--end), records the run in `audit.load_runs` as they
do, and holds the same writer lock. The dbt assets run `dbt build` with the CLI's profile and variables.
"""

# no `from __future__ import annotations`: Dagster reads the resource and config parameters' types at definition

import json
import os
import sys
import warnings
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from pipelines.config import PROJECT_ROOT, Settings, dbt_target_dir, disable_telemetry, load_settings
from pipelines.ingest.registry import SOURCE_NAMES, get_spec
from pipelines.operate.audit import record_transform
from pipelines.operate.lock import WarehouseBusy, writer_lock
from pipelines.operate.reader import save_last_good_copy
from pipelines.operate.selection import scheduled_run_excludes
from pipelines.operate.source_run import extract_and_load
from pipelines.orchestrate.calendars import F1_FIRST_SEASON, HKJC_FIRST_DAY, nyse_sessions
from pipelines.transform.runner import exclude_resource_type_args

# every asset that writes the warehouse is in this pool; dagster.yaml limits it (and runs) to one at a time
WRITER_POOL = "grandstand_warehouse"
# the live services fail transiently (rate limits, timeouts): the HTTP client already retries each request; this
# retries the whole extract and load a little later, doubling the wait (30 s, 60 s, 120 s), with jitter
EXTRACT_RETRY = dg.RetryPolicy(max_retries=3, delay=30, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)

YAHOO_SESSIONS = dg.StaticPartitionsDefinition(nyse_sessions())
HKJC_MEETING_DAYS = dg.DailyPartitionsDefinition(start_date=HKJC_FIRST_DAY, timezone="Asia/Hong_Kong", end_offset=1)
F1_SEASONS = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", start=str(F1_FIRST_SEASON), fmt="%Y", timezone="UTC", end_offset=1
)
SOURCE_PARTITIONS: Mapping[str, dg.PartitionsDefinition | None] = {
    "yahoo": YAHOO_SESSIONS,  # one partition per NYSE session day
    "hkjc": HKJC_MEETING_DAYS,  # one per date (Hong Kong); the schedule picks the meeting days
    "f1": F1_SEASONS,  # one per season
    "coincap": None,
    "events": None,
}
RUN_LOG_KEY = dg.AssetKey(["grandstand", "load_runs"])


def raw_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source])


def partition_window(source: str, keys: tuple[str, str] | None) -> tuple[date | None, date | None]:
    """The --start/--end of `grandstand backfill` for a range of partition keys (None: the plain run's window)."""
    if keys is None or SOURCE_PARTITIONS[source] is None:
        return None, None
    first, last = keys
    if source == "f1":
        return date(int(first), 1, 1), date(int(last), 12, 31)
    return date.fromisoformat(first), date.fromisoformat(last)


@contextmanager
def warehouse_writer(log: dg.DagsterLogManager, settings: Settings) -> Iterator[None]:
    """The CLI's writer lock. A second writer fails at once, and its message (naming the pid) is in the run log."""
    with ExitStack() as stack:
        try:
            stack.enter_context(writer_lock(settings.lock_path))
        except WarehouseBusy as exc:
            log.error(str(exc))
            raise dg.Failure(description=str(exc)) from exc
        yield


class LoadConfig(dg.Config):
    full_refresh: bool = False  # rebuild raw_<source> from the whole landing zone, as `grandstand run --full-refresh`


def materialize_source(
    log: dg.DagsterLogManager,
    run_id: str,
    source: str,
    settings: Settings,
    start: date | None,
    end: date | None,
    full_refresh: bool = False,
) -> dg.MaterializeResult:
    """What `grandstand run SOURCE` and `grandstand backfill SOURCE` do before dbt, for one source: the same
    function, under the same writer lock, with its outcome as the asset's metadata."""
    window = f"{start} .. {end}" if start else "latest"
    with warehouse_writer(log, settings):
        run = extract_and_load(
            source, settings, run_id=run_id, start=start, end=end, full_refresh=full_refresh, stage=log.info
        )
    result = run.result
    for message in result.errors:
        log.warning(f"quarantined {message}")
    if run.error:
        raise dg.Failure(description=f"{source}: {run.error}")
    return dg.MaterializeResult(
        metadata={
            "mode": settings.mode,
            "window": window,
            "files_filed": run.filed,
            "files_loaded": result.files_loaded,
            "files_quarantined": result.files_quarantined,
            "rows_loaded": sum(result.rows.values()),
            "rows_by_table": dg.MetadataValue.json(dict(sorted(result.rows.items()))),
            "duplicates_removed": sum(result.duplicates.values()),
            "data_from": result.data_from or "",
            "data_to": result.data_to or "",
        }
    )


def source_asset(source: str) -> dg.AssetsDefinition:
    partitions_def = SOURCE_PARTITIONS[source]
    spec = get_spec(source)

    @dg.asset(
        key=raw_key(source),
        group_name="ingest",
        description=f"{spec.description}: extract into the landing zone, then load new files into raw_{source}.",
        partitions_def=partitions_def,
        # a range of partitions is one run over the range: `grandstand backfill --start FIRST --end LAST`
        backfill_policy=dg.BackfillPolicy.single_run() if partitions_def else None,
        retry_policy=EXTRACT_RETRY,
        pool=WRITER_POOL,
        kinds={"python", "duckdb"},
        tags={"grandstand/source": source},
    )
    def _source_asset(context: dg.AssetExecutionContext, config: LoadConfig) -> dg.MaterializeResult:
        keys = None
        if partitions_def is not None:
            key_range = context.partition_key_range
            keys = (key_range.start, key_range.end)
        start, end = partition_window(source, keys)
        return materialize_source(context.log, context.run_id, source, load_settings(), start, end, config.full_refresh)

    return _source_asset


with warnings.catch_warnings():  # BackfillPolicy is marked beta; single-run backfills are what we rely on
    warnings.simplefilter("ignore", dg.BetaWarning)
    SOURCE_ASSETS = [source_asset(source) for source in SOURCE_NAMES]
RUN_LOG = dg.AssetSpec(
    RUN_LOG_KEY,
    group_name="ingest",
    description="raw_grandstand.load_runs: one row per run and source, written by every source asset (and the CLI).",
    kinds={"duckdb"},
)


class GrandstandTranslator(DagsterDbtTranslator):
    """dbt sources are the raw tables a source asset loads: `raw_<source>.*` maps to that asset, so the graph runs
    source → raw → staging → intermediate → marts. Models are grouped by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props.get("resource_type") == "source":
            schema = str(dbt_resource_props.get("schema") or "")
            if schema.startswith("raw_") and schema[4:] in SOURCE_NAMES:
                return raw_key(schema[4:])
            if schema == "raw_grandstand":
                return RUN_LOG_KEY
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        kind = dbt_resource_props.get("resource_type")
        if kind in ("seed", "snapshot"):
            return f"{kind}s"
        fqn = dbt_resource_props.get("fqn") or []
        return str(fqn[1]) if kind == "model" and len(fqn) > 2 else super().get_group_name(dbt_resource_props)


TRANSLATOR = GrandstandTranslator(
    # several dbt sources (ergast, jolpica, openf1; each schema's _landing_files) are one raw load
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_duplicate_source_asset_keys=True)
)


def dbt_vars(settings: Settings) -> list[str]:
    return ["--vars", json.dumps({"grandstand_mode": settings.mode})]  # as pipelines.transform.runner passes them


def dbt_project() -> DbtProject:
    return DbtProject(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT, target_path=dbt_target_dir())


def ensure_manifest(force: bool = False) -> Path:
    """dbt's manifest, parsed in-process (`dbt parse`) when missing or when asked: the assets are read from it."""
    project = dbt_project()
    if force or not project.manifest_path.exists():
        from pipelines.transform.runner import dbt_invoke

        settings = load_settings()
        dbt_invoke(settings, ["parse", *dbt_vars(settings)])
    return project.manifest_path


class BuildConfig(dg.Config):
    full_refresh: bool = False  # `dbt build --full-refresh`: rebuild incremental models whole


def build_dbt_assets() -> dg.AssetsDefinition:
    project = dbt_project()

    @dbt_assets(
        manifest=ensure_manifest(),
        project=project,
        dagster_dbt_translator=TRANSLATOR,
        name="dbt_build",
        pool=WRITER_POOL,
        # unpartitioned, but in the same single run as a partition range of a source (the CLI's --partition-range)
        backfill_policy=dg.BackfillPolicy.single_run(),
    )
    def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: BuildConfig) -> Iterator[Any]:
        """`dbt build` of the selected models, seeds and snapshots and their tests, under the writer lock."""
        settings = load_settings()
        disable_telemetry()
        os.environ["GRANDSTAND_WAREHOUSE"] = str(settings.warehouse)  # profiles.yml reads it
        # the resource types the CLI's `run` leaves out too
        excluded = exclude_resource_type_args(scheduled_run_excludes(full_refresh=config.full_refresh))
        args = ["build", *dbt_vars(settings), *excluded]
        if config.full_refresh:
            args.append("--full-refresh")
        failed_checks = 0
        with warehouse_writer(context.log, settings):
            try:
                # the CLI's target path, so dbt's partial parsing carries over between runs and the CLI
                for event in dbt.cli(args, context=context, target_path=dbt_target_dir()).stream():
                    if isinstance(event, dg.AssetCheckResult) and not event.passed:
                        failed_checks += event.severity == dg.AssetCheckSeverity.ERROR
                    yield event
            finally:  # when the run's loads reached the marts, for audit.run_slas (as the CLI records it)
                record_transform(settings, context.run_id, datetime.now(UTC), failed_checks)
            save_last_good_copy(settings)  # readers fall back to it while the next run writes

    return dbt_build


def dbt_resource() -> DbtCliResource:
    # the dbt installed beside this Python (the .venv), whatever PATH says
    executable = Path(sys.executable).parent / "dbt"
    return DbtCliResource(project_dir=dbt_project(), profiles_dir=str(PROJECT_ROOT), dbt_executable=str(executable))
