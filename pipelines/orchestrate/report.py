"""The daily KPI report as a Dagster job, and its 07:30 UTC schedule (stopped by default, as every schedule):
the same `write_daily_report` that `grandstand report daily` runs."""

import dagster as dg

from pipelines.config import load_settings
from pipelines.serve.report.daily import write_daily_report


@dg.op(description="grandstand report daily: each domain's KPIs from the semantic layer, sent when alerts are on")
def daily_report(context: dg.OpExecutionContext) -> None:
    report = write_daily_report(load_settings())
    context.log.info(f"report {report.html} pdf {report.pdf} delivery {report.delivery}")


@dg.job(description="The daily KPI report (HTML and PDF), sent when GRANDSTAND_ALERT_URLS is set")
def daily_report_job() -> None:
    daily_report()


daily_report_0730 = dg.ScheduleDefinition(
    name="daily_report_0730",
    job=daily_report_job,
    cron_schedule="30 7 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="07:30 UTC every day, before the product marts' 08:00 deadline: the daily KPI report.",
)
