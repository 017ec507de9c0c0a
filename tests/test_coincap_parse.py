"""The CoinCap parser on every real recorded response, plus the malformed bodies it must reject."""

from __future__ import annotations

import json
import math

import pytest

from pipelines.ingest.sources.coincap import SPEC, settings
from pipelines.ingest.sources.coincap.parse import classify, parse
from pipelines.ingest.spec import ParseError, UnknownFormat

ENDPOINT_TABLES = {
    "assets": "assets",
    "asset": "assets",
    "rates": "rates",
    "markets": "markets",
    "history": "asset_history",
}


def _body(name: str) -> bytes:
    return (settings.SAMPLE_DIR / name).read_bytes()


@pytest.mark.parametrize(("name", "endpoint", "params", "_origin"), settings.SAMPLE_FILES)
def test_every_sample_file_parses_and_classifies(name, endpoint, params, _origin) -> None:
    """Each body gives its endpoint's table, one row per item of its `data` (an empty end page gives none)."""
    tables = parse(endpoint, _body(name), params)
    data = json.loads(_body(name))["data"]
    items = len(data) if isinstance(data, list) else 1
    table = ENDPOINT_TABLES[endpoint]
    assert set(tables) == {table} and table in SPEC.tables
    assert tables[table].num_rows == items
    guessed_endpoint, _ = classify(name, _body(name))
    assert guessed_endpoint == endpoint or {guessed_endpoint, endpoint} == {"asset", "assets"}


def test_assets_numbers_sent_as_strings_and_nulls() -> None:
    table = parse("assets", _body("assets_limit10_2021-10-27.json"), {})["assets"]
    rows = {r["id"]: r for r in table.to_pylist()}
    assert table.num_rows == 10
    btc = rows["bitcoin"]
    assert btc["rank"] == 1 and btc["symbol"] == "BTC"
    assert math.isclose(btc["price_usd"], 60310.6888208343493939)
    assert math.isclose(btc["max_supply"], 21_000_000)
    assert rows["ethereum"]["max_supply"] is None  # "maxSupply": null
    assert btc["snapshot_at"].isoformat() == "2021-10-27T00:05:52.930000+00:00"


def test_v3_single_asset_body() -> None:
    table = parse("asset", _body("asset_bitcoin_2025-08-11.json"), {"asset_id": "bitcoin"})["assets"]
    (row,) = table.to_pylist()
    assert row["id"] == "bitcoin" and math.isclose(row["price_usd"], 119753.3173109070855685)


def test_history_points_and_interval() -> None:
    params = {"asset_id": "ark", "interval": "h1"}
    table = parse("history", _body("history_ark_h1_2020-11-23.json"), params)["asset_history"]
    assert table.num_rows == 24
    first = table.to_pylist()[0]
    assert first["asset_id"] == "ark" and first["interval"] == "h1"
    assert first["time"].isoformat() == "2020-11-23T00:00:00+00:00"
    assert math.isclose(first["price_usd"], 0.3854426562251984)


def test_markets_page_and_empty_end_page() -> None:
    full = parse("markets", _body("markets_acx_2020-09-22.json"), {})["markets"]
    assert full.num_rows == 100
    first = full.to_pylist()[0]
    assert (first["exchange_id"], first["base_id"], first["quote_id"]) == ("acx", "bitcoin", "australian-dollar")
    assert first["percent_exchange_volume"] is None and first["trades_count_24hr"] is None
    empty = parse("markets", _body("markets_acx_empty_page_2020-09-22.json"), {})["markets"]
    assert empty.num_rows == 0


def test_rate() -> None:
    (row,) = parse("rates", _body("rate_bitcoin_2020-09-22.json"), {})["rates"].to_pylist()
    assert row["id"] == "bitcoin" and math.isclose(row["rate_usd"], 10517.1587475513649950)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"data": [', "malformed JSON"),
        (b'{"error": "rate limited"}', "has no 'data'"),
        (b'{"data": "oops"}', "'data' is a str"),
        (b'{"data": [{"id": "x", "priceUsd": "abc"}]}', "not a number"),
    ],
)
def test_bad_bodies_raise_clear_errors(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse("assets", body, {})


def test_history_without_asset_params_is_refused() -> None:
    with pytest.raises(ParseError, match="asset_id and interval"):
        parse("history", _body("history_ark_h1_2020-11-23.json"), {})


def test_a_bare_asset_object_is_refused_with_one_line_saying_why() -> None:
    # what a script that keeps only `data` saves (rjferna/coincap_api_collection's bitcoin_asset.json)
    bare = b'{"id": "bitcoin", "rank": "1", "symbol": "BTC", "name": "Bitcoin", "priceUsd": "97500.1"}'
    with pytest.raises(UnknownFormat, match=r"bitcoin_asset\.json: one CoinCap asset without the response"):
        classify("bitcoin_asset.json", bare)
