"""Yahoo Finance chart bars (1m and 1d) with dividends and splits, plus yfinance CSV exports as an import format."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.ingest.landing import RawFile
from pipelines.ingest.sources.yahoo import client, parse, settings
from pipelines.ingest.spec import SourceSpec, TableSpec


def sample() -> Iterator[RawFile]:
    for name, endpoint, params, origin in settings.sample_files():
        yield RawFile(endpoint, name, (settings.SAMPLE_DIR / name).read_bytes(), origin, params)


SPEC = SourceSpec(
    name=settings.SOURCE,
    description="Yahoo Finance chart bars (1-minute and daily), dividends and splits.",
    tables={
        "bars": TableSpec("bars", "merge", ("ticker", "interval", "ts"), time_column="ts"),
        "dividends": TableSpec("dividends", "merge", ("ticker", "ex_ts"), time_column="ex_ts"),
        "splits": TableSpec("splits", "merge", ("ticker", "ex_ts"), time_column="ex_ts"),
        "instruments": TableSpec("instruments", "merge", ("ticker",)),
    },
    parse=parse.parse,
    classify=parse.classify,
    sample=sample,
    fetch=client.fetch,
    http_policy_min_interval_s=settings.MIN_INTERVAL_S,
    settings_type=settings.YahooSettings,
    window_of=client.window_of,
)
