"""Event drop settings: where files are dropped, the real sample, and the generated clickstream for the sample run."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.config import SAMPLE_ROOT, configurable
from pipelines.ingest.sources.events.generator import GeneratorConfig

SOURCE = "events"
DROP_PATTERNS = ("**/*.jsonl", "**/*.jsonl.gz", "**/*.json", "**/*.json.gz")
SAMPLE_DIR = SAMPLE_ROOT / SOURCE
# Columns renamed upstream, per raw table: {table: {old column: new column}}. The Iceberg lake renames the column
# (earlier snapshots then read under the new name) and fills it from either; see docs/portability.md.
RENAMED_COLUMNS: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class EventsSettings:
    """The live fetch's settings, built by `pipelines.config.source_settings` (or by a test, for a local folder)."""

    # the drop: a local folder or an S3-compatible URL (s3://bucket/prefix; credentials as for fsspec/s3fs), from
    # GRANDSTAND_EVENTS_DROP, SOURCES__EVENTS__DROP_URL or [sources.events] drop_url
    drop_url: str = configurable("", "GRANDSTAND_EVENTS_DROP")


# (file, endpoint, origin); provenance in data/sample/events/README.md
SAMPLE_FILES: tuple[tuple[str, str, str], ...] = (
    (
        "wikiticker-2015-09-12-sampled.json.gz",
        "wikiticker",
        "druid quickstart wikiticker-2015-09-12-sampled.json.gz (Wikipedia recent changes)",
    ),
    ("github_events_2013-01-10.json", "github", "https://api.github.com/events (2013-01-10)"),
)
# The sample run also files a small GENERATED clickstream drop, so the product marts have sessions and funnels.
SAMPLE_CLICKSTREAM = GeneratorConfig(events=20_000, users=2_000, days=7, seed=42)
