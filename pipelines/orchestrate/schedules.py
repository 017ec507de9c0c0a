"""Jobs, schedules and the events sensor. Every schedule and the sensor start stopped: turn them on in the UI.

| job | runs | on |
|---|---|---|
| yahoo_job | the session's extract + load, then dbt downstream | `yahoo_after_close`: 15 min after each XNYS close |
| coincap_job | CoinCap's extract + load, then dbt downstream | `coincap_hourly`: at :05 every hour (UTC) |
| hkjc_job | the meeting date's pages, then dbt downstream | `hkjc_meeting_days`: 23:45 HKT, Wed/Sat/Sun in season |
| f1_job | the season's new rounds, then dbt downstream | `f1_after_race_weekend`: Monday 06:00 UTC after a race |
| events_job | new files of the event drop, then dbt downstream | `events_drop` sensor: every 30 s |
| seeds_job | the dbt seeds and their tests | `seeds_changed` sensor: a seed file written after the last build |

The seeds are built when a seed file changed (a ticker added to seeds/yahoo_tickers.csv), as `grandstand run` builds
them: not on every source's run.
"""

# no `from __future__ import annotations`: Dagster reads the context parameters' types at definition

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import dagster as dg
from dagster_dbt import build_dbt_asset_selection

from pipelines.config import Settings, load_settings
from pipelines.ingest.landing import LandingZone
from pipelines.ingest.registry import SOURCE_NAMES
from pipelines.operate.reader import snapshot_path
from pipelines.operate.selection import seeds_changed_at
from pipelines.orchestrate.assets import SOURCE_PARTITIONS, raw_key
from pipelines.orchestrate.calendars import (
    f1_weekend_just_ended,
    is_hkjc_meeting_day,
    landed_race_dates,
    nyse_close,
)

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

NEW_YORK = ZoneInfo("America/New_York")
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
AFTER_CLOSE = timedelta(minutes=15)
STOPPED = dg.DefaultScheduleStatus.STOPPED
EVENTS_SENSOR_INTERVAL_S = 30
SEEDS_SENSOR_INTERVAL_S = 60


def source_jobs(dbt_build: dg.AssetsDefinition) -> "dict[str, UnresolvedAssetJobDefinition]":
    """One job per source: its asset and everything downstream of it in dbt (with their tests); and `seeds`, the
    dbt seeds with their tests."""
    jobs = {
        source: dg.define_asset_job(
            name=f"{source}_job",
            selection=dg.AssetSelection.assets(raw_key(source)).downstream(),
            partitions_def=SOURCE_PARTITIONS[source],
            description=f"extract and load {source}, then dbt build of everything downstream of it",
            tags={"grandstand/source": source},
        )
        for source in SOURCE_NAMES
    }
    jobs["seeds"] = dg.define_asset_job(
        name="seeds_job",
        selection=build_dbt_asset_selection([dbt_build], dbt_select="resource_type:seed"),
        description="dbt build of the seeds and their tests (a seed file changed)",
    )
    return jobs


def _tick(context: dg.ScheduleEvaluationContext, zone: ZoneInfo) -> datetime:
    when = context.scheduled_execution_time or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(zone)


def yahoo_after_close_decision(tick: datetime) -> dg.RunRequest | dg.SkipReason:
    """The tick at 13:15 and 16:15 New York time on weekdays: run the day's session partition on the tick that
    follows its close (13:00 on half days, 16:00 otherwise); skip holidays and the other tick."""
    day = tick.astimezone(NEW_YORK).date()
    close = nyse_close(day)
    if close is None:
        return dg.SkipReason(f"{day} is not an NYSE session (weekend or holiday): nothing to fetch")
    since_close = tick.astimezone(UTC) - close
    if not timedelta(0) <= since_close < timedelta(hours=2):
        closes = close.astimezone(NEW_YORK).strftime("%H:%M")
        return dg.SkipReason(f"the {day} session closes at {closes} New York time; this is not the tick after it")
    return dg.RunRequest(
        run_key=f"yahoo-{day.isoformat()}",
        partition_key=day.isoformat(),
        tags={"grandstand/session_close": close.isoformat()},
    )


def build_schedules(jobs: "dict[str, UnresolvedAssetJobDefinition]") -> Sequence[dg.ScheduleDefinition]:
    @dg.schedule(
        name="yahoo_after_close",
        job=jobs["yahoo"],
        cron_schedule=["15 13 * * 1-5", "15 16 * * 1-5"],
        execution_timezone="America/New_York",
        default_status=STOPPED,
        description="15 minutes after each NYSE session closes (exchange-calendars; 13:00 on half days): that "
        "session day's partition. Holidays are skipped.",
    )
    def yahoo_after_close(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        return yahoo_after_close_decision(_tick(context, NEW_YORK))

    coincap_hourly = dg.ScheduleDefinition(
        name="coincap_hourly",
        job=jobs["coincap"],
        cron_schedule="5 * * * *",
        execution_timezone="UTC",
        default_status=STOPPED,
        description="Every hour at :05 (UTC): the latest CoinCap snapshot and history.",
    )

    @dg.schedule(
        name="hkjc_meeting_days",
        job=jobs["hkjc"],
        cron_schedule="45 23 * * 0,3,6",
        execution_timezone="Asia/Hong_Kong",
        default_status=STOPPED,
        description="23:45 Hong Kong time on Wednesdays, Saturdays and Sundays outside the summer break (20 Jul to "
        "31 Aug): that date's meeting partition (a day without a meeting files nothing).",
    )
    def hkjc_meeting_days(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        day = _tick(context, HONG_KONG).date()
        if not is_hkjc_meeting_day(day):
            return dg.SkipReason(f"{day} is not a meeting day by our rule (Wed/Sat/Sun, September to mid-July)")
        return dg.RunRequest(run_key=f"hkjc-{day.isoformat()}", partition_key=day.isoformat())

    @dg.schedule(
        name="f1_after_race_weekend",
        job=jobs["f1"],
        cron_schedule="0 6 * * 1",
        execution_timezone="UTC",
        default_status=STOPPED,
        description="Monday 06:00 UTC after a race weekend (a race in the landed season calendar in the four days "
        "before; every Monday while the season's calendar is not landed): that season's partition.",
    )
    def f1_after_race_weekend(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        today = _tick(context, ZoneInfo("UTC")).date()
        verdict, season = f1_weekend_just_ended(today, landed_race_dates(LandingZone(load_settings().landing)))
        if verdict == "no race":
            return dg.SkipReason(f"no {season} race in the four days before {today} (landed season calendar)")
        return dg.RunRequest(
            run_key=f"f1-{today.isoformat()}", partition_key=str(season), tags={"grandstand/f1_rule": verdict}
        )

    return [yahoo_after_close, coincap_hourly, hkjc_meeting_days, f1_after_race_weekend]


def drop_files(drop_url: str) -> list[str]:
    """Every event file in the drop, as the events client lists it (same patterns), by its full URL."""
    from pipelines.ingest.sources.events.client import drop_files as listed

    return [url for _path, url in listed(drop_url)]


def events_drop_decision(drop_url: str, landing: LandingZone) -> dg.RunRequest | dg.SkipReason:
    """A run when the drop holds files not yet filed into the landing zone (the client skips filed ones by URL).
    The run key is the set of new files, so repeated ticks before that run ends do not start another."""
    if not drop_url:
        return dg.SkipReason("GRANDSTAND_EVENTS_DROP is not set: no event drop to watch")
    filed = {entry.origin for entry in landing.manifest("events")}
    new = [path for path in drop_files(drop_url) if path not in filed]
    if not new:
        return dg.SkipReason("no new files in the event drop")
    digest = hashlib.sha256("\n".join(new).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=f"events-{digest}", tags={"grandstand/new_files": str(len(new))})


def build_sensors(jobs: "dict[str, UnresolvedAssetJobDefinition]") -> Sequence[dg.SensorDefinition]:
    @dg.sensor(
        name="events_drop",
        job=jobs["events"],
        minimum_interval_seconds=EVENTS_SENSOR_INTERVAL_S,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Every 30 s: new files in GRANDSTAND_EVENTS_DROP (a folder or s3:// prefix) start the events "
        "job (run it with GRANDSTAND_MODE=live).",
    )
    def events_drop(context: dg.SensorEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        from pipelines.config import source_settings
        from pipelines.ingest.sources.events.settings import EventsSettings

        drop_url = source_settings("events", EventsSettings).drop_url
        return events_drop_decision(drop_url, LandingZone(load_settings().landing))

    @dg.sensor(
        name="seeds_changed",
        job=jobs["seeds"],
        minimum_interval_seconds=SEEDS_SENSOR_INTERVAL_S,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Every minute: a seed file written after the last build (a ticker added to "
        "seeds/yahoo_tickers.csv) starts the seeds job, once per change.",
    )
    def seeds_changed(context: dg.SensorEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        return seeds_changed_decision(load_settings())

    return [events_drop, seeds_changed]


def seeds_changed_decision(settings: Settings) -> dg.RunRequest | dg.SkipReason:
    """A run of the seeds job when a seed file changed since the last build, keyed by the change, so one change
    starts one run. It reads the last good copy (saved after every build), never the warehouse, so a tick can never
    hold a lock a starting run needs."""
    changed = seeds_changed_at(settings, database=snapshot_path(settings))
    if changed is None:
        return dg.SkipReason("no seed file changed since the last build")
    return dg.RunRequest(run_key=f"seeds-{int(changed)}")
