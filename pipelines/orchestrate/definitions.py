"""The Dagster code location: `dagster dev -m pipelines.orchestrate.definitions` (what `grandstand orchestrate`
starts). Runs execute in one process, one step at a time, and the instance (dagster.yaml) runs one at a time."""

import dagster as dg

from pipelines.orchestrate.alerting import ALERT_SENSORS
from pipelines.orchestrate.assets import RUN_LOG, SOURCE_ASSETS, build_dbt_assets, dbt_resource
from pipelines.orchestrate.schedules import build_schedules, build_sensors, source_jobs


def build_definitions() -> dg.Definitions:
    dbt_build = build_dbt_assets()
    jobs = source_jobs(dbt_build)
    return dg.Definitions(
        assets=[*SOURCE_ASSETS, RUN_LOG, dbt_build],
        jobs=list(jobs.values()),
        schedules=build_schedules(jobs),
        sensors=[*build_sensors(jobs), *ALERT_SENSORS],
        resources={"dbt": dbt_resource()},
        # one step at a time: every asset writes the same DuckDB file
        executor=dg.in_process_executor,
    )


defs = build_definitions()
