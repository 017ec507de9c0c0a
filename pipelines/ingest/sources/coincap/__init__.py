"""CoinCap crypto market data (v3 REST API): assets, asset history, rates, exchanges, markets."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.ingest.landing import RawFile
from pipelines.ingest.sources.coincap import client, parse, settings
from pipelines.ingest.spec import SourceSpec, TableSpec


def sample() -> Iterator[RawFile]:
    for name, endpoint, params, origin in settings.SAMPLE_FILES:
        data = (settings.SAMPLE_DIR / name).read_bytes()
        yield RawFile(endpoint=endpoint, name=name, data=data, origin=origin, params=params)


SPEC = SourceSpec(
    name=settings.SOURCE,
    description="CoinCap crypto market data: assets, price history, rates, exchanges and markets.",
    tables={
        "assets": TableSpec("assets", "merge", ("id", "snapshot_at"), time_column="snapshot_at"),
        "asset_history": TableSpec("asset_history", "merge", ("asset_id", "interval", "time"), time_column="time"),
        "rates": TableSpec("rates", "merge", ("id", "snapshot_at"), time_column="snapshot_at"),
        "markets": TableSpec(
            "markets", "merge", ("exchange_id", "base_id", "quote_id", "snapshot_at"), time_column="snapshot_at"
        ),
        "exchanges": TableSpec("exchanges", "merge", ("exchange_id", "snapshot_at"), time_column="snapshot_at"),
    },
    parse=parse.parse,
    classify=parse.classify,
    sample=sample,
    fetch=client.fetch,
    http_policy_min_interval_s=settings.MIN_INTERVAL_S,
    settings_type=settings.CoinCapSettings,
    window_of=client.window_of,
)
