"""Yahoo Finance settings: the chart API, the ticker universe (seeds/yahoo_tickers.csv) and the sample files."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from pipelines.config import PROJECT_ROOT, SAMPLE_ROOT, configurable
from pipelines.ingest.sources.yahoo.parse import classify

SOURCE = "yahoo"
API_BASE = "https://query2.finance.yahoo.com/v8/finance/chart"
UNIVERSE_SEED = PROJECT_ROOT / "seeds" / "yahoo_tickers.csv"
MINUTE_WINDOW_DAYS = 7  # Yahoo serves 1m bars in windows of at most 7 days ...
MINUTE_LOOKBACK_DAYS = 30  # ... and only within the last 30 days
DAILY_DEFAULT_YEARS = 5
INTERVALS = ("1m", "1d")
MIN_INTERVAL_S = 0.5
SAMPLE_DIR = SAMPLE_ROOT / SOURCE
# Columns renamed upstream, per raw table: {table: {old column: new column}}. The Iceberg lake renames the column
# (earlier snapshots then read under the new name) and fills it from either; see docs/portability.md.
RENAMED_COLUMNS: dict[str, dict[str, str]] = {}
TICKER = re.compile(r"^[A-Z0-9.^=-]{1,15}$")

_CHART_NAME = re.compile(r"^chart_(?P<ticker>.+)_(?P<interval>\w+)_(?P<period1>\d+)_(?P<period2>\d+)\.json$")


@dataclass(frozen=True)
class YahooSettings:
    """The live fetch's settings, built by `pipelines.config.source_settings` (or by a test, for a local server)."""

    # [sources.yahoo] api_base, SOURCES__YAHOO__API_BASE or YAHOO_CHART_BASE
    api_base: str = configurable(API_BASE, "YAHOO_CHART_BASE")
    tickers: tuple[str, ...] | None = None  # None: the universe in seeds/yahoo_tickers.csv
    intervals: tuple[str, ...] = INTERVALS

    def universe(self) -> list[str]:
        return list(self.tickers) if self.tickers is not None else universe()


def universe() -> list[str]:
    """The tickers a live run fetches: edit seeds/yahoo_tickers.csv to add one."""
    with UNIVERSE_SEED.open(newline="") as fh:
        tickers = [row["ticker"].strip().upper() for row in csv.DictReader(fh)]
    bad = [t for t in tickers if not TICKER.match(t)]
    if bad:
        raise ValueError(f"{UNIVERSE_SEED}: invalid tickers {bad}")
    return tickers


def sample_files() -> list[tuple[str, str, dict[str, str], str]]:
    """(file, endpoint, params, origin) for every recorded file in data/sample/yahoo (provenance in its README)."""
    files = []
    for path in sorted(SAMPLE_DIR.iterdir()):
        chart = _CHART_NAME.match(path.name)
        if chart:
            params = chart.groupdict()
            origin = f"{API_BASE}/{params['ticker']}?interval={params['interval']}&period1={params['period1']}"
            files.append((path.name, "chart", params, origin + f"&period2={params['period2']}"))
        elif path.suffix == ".csv":
            endpoint, params = classify(path.name, path.read_bytes())
            files.append((path.name, endpoint, params, "yfinance history() export"))
    return files
