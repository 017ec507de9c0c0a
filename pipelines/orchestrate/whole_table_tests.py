"""The data tests over whole tables, weekly (stopped by default, as every schedule): a daily run tests only the
partitions it wrote (macros/incremental/tests_on_new_partitions.sql); this job tests every row of every model."""

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.config import dbt_target_dir, load_settings
from pipelines.orchestrate.assets import warehouse_writer


@dg.op(description="dbt test --vars '{whole_table_tests: true}': every data test over its whole table")
def test_whole_tables(context: dg.OpExecutionContext, dbt: DbtCliResource) -> None:
    with warehouse_writer(context.log, load_settings()):  # failures are stored in audit: a write
        invocation = dbt.cli(
            ["test", "--vars", "{whole_table_tests: true}"], raise_on_error=False, target_path=dbt_target_dir()
        ).wait()
    if not invocation.is_successful():
        raise dg.Failure(description="a data test failed over the whole table: see the dbt log of this run")


@dg.job(description="Every data test over its whole table")
def whole_table_tests_job() -> None:
    test_whole_tables()


whole_table_tests_weekly = dg.ScheduleDefinition(
    name="whole_table_tests_weekly",
    job=whole_table_tests_job,
    cron_schedule="0 4 * * 0",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="04:00 UTC on Sundays: the data tests a daily run narrows to its new partitions, over every row.",
)
