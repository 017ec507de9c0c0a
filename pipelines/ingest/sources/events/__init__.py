"""Product and marketing event logs: JSON-lines files dropped in a folder or bucket, appended to raw_events."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.ingest.landing import RawFile
from pipelines.ingest.sources.events import client, parse, settings
from pipelines.ingest.sources.events.generator import partitions
from pipelines.ingest.spec import SourceSpec, TableSpec


def sample() -> Iterator[RawFile]:
    for name, endpoint, origin in settings.SAMPLE_FILES:
        yield RawFile(endpoint, name, (settings.SAMPLE_DIR / name).read_bytes(), origin)
    config = settings.SAMPLE_CLICKSTREAM
    for part in partitions(config):
        yield RawFile(
            endpoint="clickstream",
            name=part.path.replace("/", "__"),
            data=part.data,
            origin=f"generated:clickstream?seed={config.seed}&events={config.events}/{part.path}",
        )


SPEC = SourceSpec(
    name=settings.SOURCE,
    description="Event logs: Wikipedia edits, GitHub events, and the clickstream drop (generated in the sample).",
    tables={
        "clickstream": TableSpec("clickstream", "append", time_column="occurred_at", dedupe_key=("event_id",)),
        "wikiticker_edits": TableSpec("wikiticker_edits", "append", time_column="time"),
        "github_events": TableSpec("github_events", "append", time_column="created_at", dedupe_key=("id",)),
    },
    parse=parse.parse,
    classify=parse.classify,
    sample=sample,
    fetch=client.fetch,
    settings_type=settings.EventsSettings,
    window_of=client.window_of,
)
