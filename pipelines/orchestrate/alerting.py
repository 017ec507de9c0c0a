"""The alert sensors: a failed Dagster run sends the failed-run alert, and a run that succeeds sends a missed-sla
alert for each SLA it missed (audit.run_slas). Same alerts, URLs and de-duplication window as the CLI
(pipelines/operate/alerts.py). Both start running: with no GRANDSTAND_ALERT_URLS they send nothing."""

# no `from __future__ import annotations`: Dagster reads the context parameters' types at definition

from collections.abc import Sequence

import dagster as dg

from pipelines.config import load_settings
from pipelines.operate.alerts import Alert, missed_sla_alerts, send_alerts

RUNNING = dg.DefaultSensorStatus.RUNNING


def run_failure_alert(run_id: str, job_name: str, partition: str | None, message: str, steps: Sequence[str]) -> Alert:
    """The failed-run alert for a Dagster run: the job (and partition) is what failed; the steps and error explain."""
    subject = f"dagster {job_name}" + (f" [{partition}]" if partition else "")
    detail = "\n".join([f"failed steps: {', '.join(steps) or 'none (the run failed outside a step)'}", message])
    return Alert("failed-run", run_id, subject, None, detail)


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=RUNNING,
    description="Any failed run sends the failed-run alert (docs/runbooks/failed-run.md); off without "
    "GRANDSTAND_ALERT_URLS.",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    run = context.dagster_run
    steps = [event.step_key for event in context.get_step_failure_events() if event.step_key]
    message = context.failure_event.message or "the run failed"
    alert = run_failure_alert(run.run_id, run.job_name, run.tags.get("dagster/partition"), message, steps)
    outcome = send_alerts(load_settings(), [alert])[0]
    context.log.info(f"failed-run alert for {run.run_id}: {outcome}")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="alert_on_missed_sla",
    default_status=RUNNING,
    description="A run that succeeded but missed an SLA (audit.run_slas) sends the missed-sla alert "
    "(docs/runbooks/missed-sla.md); off without GRANDSTAND_ALERT_URLS.",
)
def alert_on_missed_sla(context: dg.RunStatusSensorContext) -> None:
    settings = load_settings()
    alerts = missed_sla_alerts(settings, context.dagster_run.run_id)
    outcomes = send_alerts(settings, alerts)
    if alerts:
        context.log.info(f"missed-sla alerts for {context.dagster_run.run_id}: {', '.join(outcomes)}")


ALERT_SENSORS = [alert_on_run_failure, alert_on_missed_sla]
