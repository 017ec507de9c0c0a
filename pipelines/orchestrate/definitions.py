"""The Dagster code location: `dagster dev -m pipelines.orchestrate.definitions` (what `grandstand orchestrate`
starts). Runs execute in one process, one step at a time, and the instance (dagster.yaml) runs one at a time."""

import dagster as dg

from pipelines.orchestrate.alerting import ALERT_SENSORS, stale_source_sensor
from pipelines.orchestrate.assets import RUN_LOG, SOURCE_ASSETS, build_dbt_assets, dbt_resource
from pipelines.orchestrate.freshness import build_freshness, freshness_sensor
from pipelines.orchestrate.report import daily_report_0730, daily_report_job
from pipelines.orchestrate.schedules import build_schedules, build_sensors, source_jobs
from pipelines.orchestrate.upkeep import maintain_job, maintain_monthly
from pipelines.orchestrate.whole_table_tests import whole_table_tests_job, whole_table_tests_weekly


def build_definitions() -> dg.Definitions:
    dbt_build = build_dbt_assets()
    jobs = source_jobs(dbt_build)
    freshness = build_freshness(dbt_build)  # the thresholds of seeds/source_slas.csv
    return dg.Definitions(
        assets=[*SOURCE_ASSETS, RUN_LOG, dbt_build],
        asset_checks=freshness.checks,
        jobs=[*jobs.values(), daily_report_job, maintain_job, whole_table_tests_job],
        schedules=[*build_schedules(jobs), daily_report_0730, maintain_monthly, whole_table_tests_weekly],
        sensors=[
            *build_sensors(jobs),
            freshness_sensor(freshness.checks),
            *ALERT_SENSORS,
            stale_source_sensor(freshness),
        ],
        resources={"dbt": dbt_resource()},
        # one step at a time: every asset writes the same DuckDB file
        executor=dg.in_process_executor,
    )


defs = build_definitions()
