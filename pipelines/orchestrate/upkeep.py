"""Lake and landing upkeep as a Dagster job, monthly (stopped by default, as every schedule): the same `maintain`
that `grandstand maintain --apply` runs, by the retention policy in config (pipelines/operate/retention.py)."""

import dagster as dg

from pipelines.config import load_settings
from pipelines.lake.maintain import maintain


@dg.op(description="grandstand maintain --apply: pack landing days, compact and expire the Iceberg lake, clean orphans")
def maintain_lake(context: dg.OpExecutionContext) -> None:
    for line in maintain(load_settings(), apply=True).summary():
        context.log.info(line)


@dg.job(description="Upkeep by the retention policy (takes the warehouse's writer lock)")
def maintain_job() -> None:
    maintain_lake()


maintain_monthly = dg.ScheduleDefinition(
    name="maintain_monthly",
    job=maintain_job,
    cron_schedule="0 3 1 * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="03:00 UTC on the first of each month: landing days past their age packed, the lake compacted.",
)
