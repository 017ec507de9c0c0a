"""CoinCap bodies (v2 and v3 share the `{"data": ..., "timestamp": ms}` envelope) → Arrow tables. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from pipelines.ingest.parsing import (
    TS_UTC,
    arrow_table,
    epoch_ms_to_utc,
    load_json,
    require,
    to_float,
    to_int,
    unmapped,
)
from pipelines.ingest.spec import ParseError, UnknownFormat

ASSETS = pa.schema(
    [
        ("id", pa.string()),
        ("rank", pa.int32()),
        ("symbol", pa.string()),
        ("name", pa.string()),
        ("supply", pa.float64()),
        ("max_supply", pa.float64()),
        ("market_cap_usd", pa.float64()),
        ("volume_usd_24hr", pa.float64()),
        ("price_usd", pa.float64()),
        ("change_percent_24hr", pa.float64()),
        ("vwap_24hr", pa.float64()),
        ("explorer", pa.string()),
        ("snapshot_at", TS_UTC),
    ]
)
HISTORY = pa.schema(
    [
        ("asset_id", pa.string()),
        ("interval", pa.string()),
        ("time", TS_UTC),
        ("price_usd", pa.float64()),
        ("circulating_supply", pa.float64()),
    ]
)
RATES = pa.schema(
    [
        ("id", pa.string()),
        ("symbol", pa.string()),
        ("currency_symbol", pa.string()),
        ("type", pa.string()),
        ("rate_usd", pa.float64()),
        ("snapshot_at", TS_UTC),
    ]
)
MARKETS = pa.schema(
    [
        ("exchange_id", pa.string()),
        ("rank", pa.int32()),
        ("base_symbol", pa.string()),
        ("base_id", pa.string()),
        ("quote_symbol", pa.string()),
        ("quote_id", pa.string()),
        ("price_quote", pa.float64()),
        ("price_usd", pa.float64()),
        ("volume_usd_24hr", pa.float64()),
        ("percent_exchange_volume", pa.float64()),
        ("trades_count_24hr", pa.int64()),
        ("updated_at", TS_UTC),
        ("snapshot_at", TS_UTC),
    ]
)
EXCHANGES = pa.schema(
    [
        ("exchange_id", pa.string()),
        ("name", pa.string()),
        ("rank", pa.int32()),
        ("percent_total_volume", pa.float64()),
        ("volume_usd", pa.float64()),
        ("trading_pairs", pa.int64()),
        ("socket", pa.bool_()),
        ("exchange_url", pa.string()),
        ("updated_at", TS_UTC),
        ("snapshot_at", TS_UTC),
    ]
)


def _records(body: Any) -> list[Mapping[str, Any]]:
    data = require(body, "data")
    if isinstance(data, Mapping):
        return [data]
    if isinstance(data, list) and all(isinstance(r, Mapping) for r in data):
        return data
    raise ParseError(f"'data' is a {type(data).__name__}, expected an object or a list of objects")


ASSET_FIELDS = {"id", "rank", "symbol", "name", "supply", "maxSupply", "marketCapUsd", "volumeUsd24Hr", "priceUsd",
                "changePercent24Hr", "vwap24Hr", "explorer"}  # fmt: skip


def _asset(r: Mapping[str, Any], snapshot: Any) -> dict[str, Any]:
    return {
        **unmapped(r, ASSET_FIELDS),
        "id": require(r, "id", "asset"),
        "rank": to_int(r.get("rank")),
        "symbol": r.get("symbol"),
        "name": r.get("name"),
        "supply": to_float(r.get("supply")),
        "max_supply": to_float(r.get("maxSupply")),
        "market_cap_usd": to_float(r.get("marketCapUsd")),
        "volume_usd_24hr": to_float(r.get("volumeUsd24Hr")),
        "price_usd": to_float(r.get("priceUsd")),
        "change_percent_24hr": to_float(r.get("changePercent24Hr")),
        "vwap_24hr": to_float(r.get("vwap24Hr")),
        "explorer": r.get("explorer"),
        "snapshot_at": snapshot,
    }


def _history(r: Mapping[str, Any], asset_id: str, interval: str) -> dict[str, Any]:
    return {
        "asset_id": asset_id,
        "interval": interval,
        "time": epoch_ms_to_utc(require(r, "time", "history point")),
        "price_usd": to_float(r.get("priceUsd")),
        "circulating_supply": to_float(r.get("circulatingSupply")),
    }


def _rate(r: Mapping[str, Any], snapshot: Any) -> dict[str, Any]:
    return {
        "id": require(r, "id", "rate"),
        "symbol": r.get("symbol"),
        "currency_symbol": r.get("currencySymbol"),
        "type": r.get("type"),
        "rate_usd": to_float(r.get("rateUsd")),
        "snapshot_at": snapshot,
    }


def _market(r: Mapping[str, Any], snapshot: Any) -> dict[str, Any]:
    return {
        "exchange_id": require(r, "exchangeId", "market"),
        "rank": to_int(r.get("rank")),
        "base_symbol": r.get("baseSymbol"),
        "base_id": r.get("baseId"),
        "quote_symbol": r.get("quoteSymbol"),
        "quote_id": r.get("quoteId"),
        "price_quote": to_float(r.get("priceQuote")),
        "price_usd": to_float(r.get("priceUsd")),
        "volume_usd_24hr": to_float(r.get("volumeUsd24Hr")),
        "percent_exchange_volume": to_float(r.get("percentExchangeVolume")),
        "trades_count_24hr": to_int(r.get("tradesCount24Hr")),
        "updated_at": epoch_ms_to_utc(r.get("updated")),
        "snapshot_at": snapshot,
    }


def _exchange(r: Mapping[str, Any], snapshot: Any) -> dict[str, Any]:
    socket = r.get("socket")
    return {
        "exchange_id": require(r, "exchangeId", "exchange"),
        "name": r.get("name"),
        "rank": to_int(r.get("rank")),
        "percent_total_volume": to_float(r.get("percentTotalVolume")),
        "volume_usd": to_float(r.get("volumeUsd")),
        "trading_pairs": to_int(r.get("tradingPairs")),
        "socket": None if socket is None else bool(socket),
        "exchange_url": r.get("exchangeUrl"),
        "updated_at": epoch_ms_to_utc(r.get("updated")),
        "snapshot_at": snapshot,
    }


def parse(endpoint: str, data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    body = load_json(data)
    records = _records(body)
    snapshot = epoch_ms_to_utc(body.get("timestamp"))
    if endpoint in ("assets", "asset"):
        return {"assets": arrow_table([_asset(r, snapshot) for r in records], ASSETS)}
    if endpoint == "history":
        asset_id, interval = params.get("asset_id"), params.get("interval")
        if not asset_id or interval not in ("m1", "m5", "m15", "m30", "h1", "h2", "h6", "h12", "d1"):
            raise ParseError("asset history needs params asset_id and interval (the body does not name them)")
        rows = [_history(r, str(asset_id), str(interval)) for r in records]
        return {"asset_history": arrow_table(rows, HISTORY)}
    if endpoint == "rates":
        return {"rates": arrow_table([_rate(r, snapshot) for r in records], RATES)}
    if endpoint == "markets":
        return {"markets": arrow_table([_market(r, snapshot) for r in records], MARKETS)}
    if endpoint == "exchanges":
        return {"exchanges": arrow_table([_exchange(r, snapshot) for r in records], EXCHANGES)}
    raise ParseError(f"unknown CoinCap endpoint {endpoint!r}")


_INTERVALS = "m1|m5|m15|m30|h1|h2|h6|h12|d1"
_HISTORY_NAME = re.compile(rf"history[_-](?P<asset>[a-z0-9-]+?)[_-](?P<interval>{_INTERVALS})(?![a-z0-9])")


def classify(filename: str, data: bytes) -> tuple[str, dict[str, str]]:
    """Tell which endpoint a saved body came from, by its shape (history needs asset and interval in the name)."""
    body = load_json(data)
    if isinstance(body, Mapping) and "data" not in body and "id" in body and "priceUsd" in body:
        raise UnknownFormat(
            f"{filename}: one CoinCap asset without the response around it ('data', 'timestamp'): its snapshot time "
            "is unknown, so it cannot be loaded; save the whole response body"
        )
    records = _records(body)
    sample = records[0] if records else {}
    if "exchangeId" in sample and "baseId" in sample:
        return "markets", {}
    if "exchangeId" in sample:
        return "exchanges", {}
    if "rateUsd" in sample:
        return "rates", {}
    if "time" in sample and "priceUsd" in sample:
        match = _HISTORY_NAME.search(filename.lower())
        if not match:
            raise UnknownFormat(
                f"{filename}: an asset history body does not name its asset; "
                "name the file history_<asset>_<interval>.json (for example history_bitcoin_d1.json)"
            )
        return "history", {"asset_id": match["asset"], "interval": match["interval"]}
    if "marketCapUsd" in sample or "supply" in sample or ("id" in sample and "priceUsd" in sample):
        return ("asset" if isinstance(body["data"], Mapping) else "assets"), {}
    if not records:
        return "markets", {}
    raise UnknownFormat(f"{filename}: not a CoinCap response this project knows")
