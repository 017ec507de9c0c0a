"""What a run's `dbt build` selects: downstream of the sources whose data has not reached the marts yet. The CLI's
`run` asks here, so a daily run costs what its new data costs, not what the history costs."""

from __future__ import annotations

from pipelines.config import Settings
from pipelines.operate.audit import sources_awaiting_transform


def run_selection(settings: Settings, *, full_refresh: bool) -> list[str] | None:
    """What a run's `dbt build` selects, called after its loads.

    A full refresh builds everything (None). Otherwise: the models, snapshots and tests downstream of each source
    with rows loaded that no build has carried to the marts yet (`audit.load_runs.transformed_at` still null: this
    run's loads, and any earlier `load` on its own or run whose build failed), by `tag:<source>+`, the tag every
    model and source of a source carries; the seeds (small, and a user adds a ticker by editing one); and the audit
    views the SLA alerts read (`+run_slas`). A source with nothing new is not rebuilt."""
    if full_refresh:
        return None
    pending = sorted(sources_awaiting_transform(settings))
    return [*(f"tag:{source}+" for source in pending), "resource_type:seed", "+run_slas"]
