"""The alert sensors: a failed Dagster run sends the failed-run alert, a run that succeeds sends a missed-sla alert
for each SLA it missed (audit.run_slas), and a freshness check whose latest evaluation failed sends the stale-source
alert for its SLA (freshness.py). Same alerts, URLs and de-duplication window as the CLI
(pipelines/operate/alerts.py): a source stuck stale alerts once per window. All start running: with no
GRANDSTAND_ALERT_URLS they send nothing."""

# no `from __future__ import annotations`: Dagster reads the context parameters' types at definition

from collections.abc import Sequence
from datetime import UTC, datetime

import dagster as dg

from pipelines.config import load_settings
from pipelines.operate.alerts import Alert, missed_sla_alerts, send_alerts
from pipelines.orchestrate.freshness import Freshness, SourceSla

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
    failures = context.get_step_failure_events()
    steps = [event.step_key for event in failures if event.step_key]
    # each step's own error (the writer lock's message, dbt's, the extract's), then the run's summary
    errors = [event.step_failure_data.error.message.strip() for event in failures if event.step_failure_data.error]
    message = "\n".join([*errors, context.failure_event.message or "the run failed"])
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


def _staleness(evaluation: dg.AssetCheckEvaluation) -> str:
    """When the asset was last updated and how overdue it is, from either kind of freshness check's metadata."""
    meta = {key: getattr(value, "value", value) for key, value in evaluation.metadata.items()}
    updated = meta.get("dagster/last_updated_timestamp", meta.get("last_updated"))
    if isinstance(updated, float | int):
        updated = datetime.fromtimestamp(updated, UTC).isoformat(timespec="seconds")
    overdue = meta.get("overdue_minutes")
    if overdue is None and isinstance(meta.get("dagster/overdue_seconds"), float | int):
        overdue = round(float(meta["dagster/overdue_seconds"]) / 60, 1)
    return f"last updated {updated or 'never'}, overdue by {overdue if overdue is not None else '?'} min"


def stale_source_alerts(instance: dg.DagsterInstance, freshness: Freshness) -> list[Alert]:
    """One stale-source alert per SLA whose freshness checks' latest evaluations failed, naming each stale asset."""
    summaries = instance.event_log_storage.get_asset_check_summary_records(list(freshness.slas))
    stale: dict[SourceSla, list[tuple[dg.AssetCheckKey, str, str]]] = {}
    for key, summary in sorted(summaries.items(), key=lambda item: item[0].to_user_string()):
        record = summary.last_completed_check_execution_record
        evaluation = record.event.asset_check_evaluation if record and record.event else None
        if record is None or evaluation is None or evaluation.passed:
            continue
        stale.setdefault(freshness.slas[key], []).append((key, record.run_id, _staleness(evaluation)))
    return [
        Alert(
            "stale-source",
            checks[-1][1],  # the run of the latest failing evaluation
            f"{sla.source}/{sla.name}",
            None,
            "\n".join(
                [
                    f"{sla.description} (allowance {int(sla.allowance.total_seconds() // 60)} min, "
                    f"seeds/source_slas.csv); {len(checks)} stale:",
                    *(f"- {key.asset_key.to_user_string()}: {how}" for key, _run, how in checks),
                ]
            ),
        )
        for sla, checks in stale.items()
    ]


def stale_source_sensor(freshness: Freshness) -> dg.SensorDefinition:
    @dg.sensor(
        name="alert_on_stale_source",
        minimum_interval_seconds=60,
        default_status=RUNNING,
        description="Every minute: an SLA whose freshness checks last failed sends the stale-source alert "
        "(docs/runbooks/stale-source.md), once per de-duplication window; off without GRANDSTAND_ALERT_URLS.",
    )
    def alert_on_stale_source(context: dg.SensorEvaluationContext) -> dg.SkipReason:
        alerts = stale_source_alerts(context.instance, freshness)
        if not alerts:
            return dg.SkipReason("no freshness check's latest evaluation failed")
        outcomes = send_alerts(load_settings(), alerts)
        done = ", ".join(f"{alert.subject}: {outcome}" for alert, outcome in zip(alerts, outcomes, strict=True))
        context.log.info(f"stale-source alerts: {done}")
        return dg.SkipReason(f"stale: {done}")

    return alert_on_stale_source


ALERT_SENSORS = [alert_on_run_failure, alert_on_missed_sla]
