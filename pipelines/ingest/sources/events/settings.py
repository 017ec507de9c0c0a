"""Event drop settings: where files are dropped, the real sample, and the generated clickstream for the sample run."""

from __future__ import annotations

import os

from pipelines.config import SAMPLE_ROOT
from pipelines.ingest.sources.events.generator import GeneratorConfig

SOURCE = "events"
# A local folder or an S3-compatible URL (s3://bucket/prefix); credentials as for fsspec/s3fs.
DROP_URL = os.environ.get("GRANDSTAND_EVENTS_DROP", "")
DROP_PATTERNS = ("**/*.jsonl", "**/*.jsonl.gz", "**/*.json", "**/*.json.gz")
SAMPLE_DIR = SAMPLE_ROOT / SOURCE

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
