"""Each source's expected freshness as Dagster asset checks, with the thresholds of seeds/source_slas.csv (the same
rows audit.run_slas judges every run against: one place for the numbers).

Which assets an SLA's check watches follows from its kind:

- `lag` (events 5 min, CoinCap 2 h): the source's raw load, with Dagster's `build_last_update_freshness_checks`:
  loaded within the allowance of now.
- `next_day_deadline` (product marts by 08:00 UTC): the source's marts, with the same builder and a `deadline_cron`
  at the allowance past midnight UTC: updated between midnight and 08:00.
- `after_session_close` (Yahoo, 1 h): the source's marts, with a check built on the XNYS calendar (calendars.py):
  updated after the latest session's close, once that close + 1 h has passed.

A lag SLA says how stale the source may be (its job builds the marts in the same run); a deadline SLA says when the
consumers' marts must hold the day. Every check is a warning (a stale source is not a broken one): the
`freshness_checks` sensor evaluates them, and `alert_on_stale_source` (alerting.py) sends the stale-source alert.
"""

# no `from __future__ import annotations`: Dagster reads the context parameters' types at definition

import csv
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg

from pipelines.config import PROJECT_ROOT
from pipelines.orchestrate.assets import raw_key
from pipelines.orchestrate.calendars import nyse_close

SLA_SEED = PROJECT_ROOT / "seeds" / "source_slas.csv"
FRESHNESS_SENSOR = "freshness_checks"
FRESHNESS_SENSOR_INTERVAL_S = 60
FRESH_UNTIL = "dagster/fresh_until_timestamp"
SESSION_CHECK = "session_close_freshness_check"
SEVERITY = dg.AssetCheckSeverity.WARN


@dataclass(frozen=True)
class SourceSla:
    source: str
    name: str
    kind: str
    allowance: timedelta
    description: str


def load_slas(path: Path = SLA_SEED) -> list[SourceSla]:
    """The rows of seeds/source_slas.csv; one clear line naming the file when it cannot be read."""
    try:
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        return [
            SourceSla(
                row["source_name"],
                row["sla_name"],
                row["sla_kind"],
                timedelta(minutes=int(row["allowance_minutes"])),
                row["sla_description"],
            )
            for row in rows
        ]
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the source SLAs ({exc.__class__.__name__}: {exc})") from exc


def source_marts(dbt_build: dg.AssetsDefinition, source: str) -> list[dg.AssetKey]:
    """The dbt marts built from `source` (dbt's tag with the source's name, in the `marts` group)."""
    return sorted(
        (spec.key for spec in dbt_build.specs if spec.group_name == "marts" and source in (spec.tags or {})),
        key=lambda key: key.to_user_string(),
    )


def _session_closes(start: datetime, days: range) -> Iterable[datetime]:
    for n in days:
        close = nyse_close(start.astimezone(UTC).date() + timedelta(days=n))
        if close is not None:
            yield close


def last_session_deadline(now: datetime, allowance: timedelta) -> tuple[datetime, datetime]:
    """The close of the latest XNYS session whose close + allowance has passed at `now`, and that deadline (UTC)."""
    for close in _session_closes(now, range(0, -15, -1)):  # the longest run of days without a session is a few days
        if close + allowance <= now:
            return close, close + allowance
    raise ValueError(f"no XNYS session in the 15 days before {now:%Y-%m-%d}: the exchange calendar is out of range")


def next_session_deadline(close: datetime, allowance: timedelta) -> datetime | None:
    """The deadline of the session after the one that closed at `close`: until then a fresh asset stays fresh."""
    return next((later + allowance for later in _session_closes(close, range(1, 15)) if later > close), None)


def last_update(instance: dg.DagsterInstance, key: dg.AssetKey) -> datetime | None:
    event = instance.get_latest_materialization_event(key)
    return datetime.fromtimestamp(event.timestamp, UTC) if event else None


def session_close_check(sla: SourceSla, assets: Sequence[dg.AssetKey]) -> dg.AssetChecksDefinition:
    """Fresh when the asset was updated after the close of the latest session whose close + allowance has passed:
    half days close at 13:00 ET, holidays have no session (the same calendar as the Yahoo schedule)."""

    @dg.multi_asset_check(
        specs=[
            dg.AssetCheckSpec(SESSION_CHECK, asset=key, description=f"{sla.name}: {sla.description}") for key in assets
        ],
        name=f"{sla.name}_freshness",
        can_subset=True,
    )
    def _check(context: dg.AssetCheckExecutionContext) -> Iterable[dg.AssetCheckResult]:
        now = datetime.now(UTC)
        close, deadline = last_session_deadline(now, sla.allowance)
        for check_key in context.selected_asset_check_keys:
            updated = last_update(context.instance, check_key.asset_key)
            fresh = updated is not None and updated >= close
            metadata: dict[str, Any] = {
                "session_close": close.isoformat(),
                "deadline": deadline.isoformat(),
                "last_updated": updated.isoformat() if updated else "never",
            }
            until = next_session_deadline(close, sla.allowance)
            if fresh and until is not None:  # what Dagster's freshness sensor reads to evaluate the check again
                metadata[FRESH_UNTIL] = dg.MetadataValue.timestamp(until)
            if not fresh:
                metadata["overdue_minutes"] = round((now - deadline).total_seconds() / 60, 1)
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=fresh,
                severity=SEVERITY,
                metadata=metadata,
            )

    return _check


@dataclass(frozen=True)
class Freshness:
    checks: list[dg.AssetChecksDefinition]
    slas: dict[dg.AssetCheckKey, SourceSla]  # which SLA each check measures (Dagster's are all `freshness_check`)


def build_freshness(dbt_build: dg.AssetsDefinition, slas: Sequence[SourceSla] | None = None) -> Freshness:
    """One freshness check per SLA row and watched asset (see the table above)."""
    checks: list[dg.AssetChecksDefinition] = []
    by_key: dict[dg.AssetCheckKey, SourceSla] = {}
    with warnings.catch_warnings():  # Dagster marks these builders superseded by FreshnessPolicy (no asset checks)
        warnings.simplefilter("ignore")
        for sla in load_slas() if slas is None else slas:
            if sla.kind == "lag":
                built = dg.build_last_update_freshness_checks(
                    assets=[raw_key(sla.source)], lower_bound_delta=sla.allowance, severity=SEVERITY
                )
            elif sla.kind == "next_day_deadline":
                minutes = int(sla.allowance.total_seconds() // 60)
                built = dg.build_last_update_freshness_checks(
                    assets=source_marts(dbt_build, sla.source),
                    lower_bound_delta=sla.allowance,
                    deadline_cron=f"{minutes % 60} {minutes // 60} * * *",
                    timezone="UTC",
                    severity=SEVERITY,
                )
            elif sla.kind == "after_session_close":
                built = [session_close_check(sla, source_marts(dbt_build, sla.source))]
            else:
                raise ValueError(f"{SLA_SEED}: unknown sla_kind {sla.kind!r} for {sla.name}")
            for definition in built:
                for key in definition.check_keys:
                    if key in by_key:
                        raise ValueError(f"{SLA_SEED}: {sla.name} and {by_key[key].name} would both check {key}")
                    by_key[key] = sla
            checks += built
    return Freshness(checks, by_key)


def freshness_sensor(checks: Sequence[dg.AssetChecksDefinition]) -> dg.SensorDefinition:
    """Dagster's sensor that runs the freshness checks when they could have gone overdue; stopped by default, like
    the schedules (on sample data every check is overdue)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dg.build_sensor_for_freshness_checks(
            freshness_checks=checks,
            name=FRESHNESS_SENSOR,
            minimum_interval_seconds=FRESHNESS_SENSOR_INTERVAL_S,
            default_status=dg.DefaultSensorStatus.STOPPED,
        )
