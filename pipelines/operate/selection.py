"""What a run's `dbt build` selects: downstream of the sources whose data has not reached the marts yet. The CLI's
`run` asks here, so a daily run costs what its new data costs, not what the history costs."""

from __future__ import annotations

from pathlib import Path

from pipelines.config import PROJECT_ROOT, Settings
from pipelines.operate.audit import last_transformed_at, sources_awaiting_transform


def run_selection(settings: Settings, *, full_refresh: bool) -> list[str] | None:
    """What a run's `dbt build` selects, called after its loads.

    A full refresh builds everything (None). Otherwise: the models, snapshots and tests downstream of each source
    with rows loaded that no build has carried to the marts yet (`audit.load_runs.transformed_at` still null: this
    run's loads, and any earlier `load` on its own or run whose build failed), by `tag:<source>+`, the tag every
    model and source of a source carries; the seeds, with their tests, only when a seed file changed since the last
    build (a user adds a ticker by editing one); and the audit views the SLA alerts read (`+run_slas`). A source
    with nothing new is not rebuilt."""
    if full_refresh:
        return None
    pending = sorted(sources_awaiting_transform(settings))
    seeds = ["resource_type:seed"] if seeds_changed_at(settings) is not None else []
    return [*(f"tag:{source}+" for source in pending), *seeds, "+run_slas"]


def scheduled_run_excludes(*, full_refresh: bool) -> tuple[str, ...]:
    """The dbt resource types a run leaves out of its build: a daily run or a backfill does not run the unit tests.
    They check the models' SQL against fixed fixtures, not the data, so their outcome changes only when the code does:
    `make test` (CI) and every full refresh run them, as dbt's docs advise for production builds."""
    return () if full_refresh else ("unit_test",)


def seeds_changed_at(settings: Settings, *, database: Path | None = None) -> float | None:
    """When the newest seed file was written (epoch seconds), if that is after the last build that reached the marts
    (or there was none); None when the seeds are as the last build left them. The CLI's run asks the warehouse;
    Dagster's `seeds_changed` sensor asks the last good copy (`database`)."""
    newest_seed = max((path.stat().st_mtime for path in (PROJECT_ROOT / "seeds").glob("*.csv")), default=0.0)
    last_build = last_transformed_at(settings, database=database)
    return newest_seed if last_build is None or newest_seed > last_build.timestamp() else None
