"""Landing → raw for CoinCap: idempotent loads, quarantine of bad files, and rows loaded earlier kept intact."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.ingest.extract import extract
from pipelines.ingest.http import FetchError
from pipelines.ingest.landing import LandingZone, RawFile
from pipelines.ingest.load import load_source
from pipelines.ingest.sources.coincap import SPEC
from pipelines.ingest.sources.coincap import settings as coincap_settings
from pipelines.ingest.sources.coincap.settings import CoinCapSettings


def _load_sample(settings) -> None:
    extract(SPEC, settings, "sample")
    load_source(SPEC, settings, run_id="t1")


def test_sample_load_then_nothing_new(settings, raw_count) -> None:
    _load_sample(settings)
    assert raw_count("raw_coincap.assets") == 11
    assert raw_count("raw_coincap.markets") == 100
    again = extract(SPEC, settings, "sample")
    assert again.new_files == 0
    result = load_source(SPEC, settings, run_id="t2")
    assert result.files_loaded == 0 and result.rows == {}
    assert raw_count("raw_coincap.assets") == 11


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b'{"data": [{"id": "bitcoin", "priceUsd": "1"', "malformed JSON"), (b'{"message": "no"}', "has no 'data'")],
)
def test_bad_file_is_quarantined_and_earlier_rows_survive(settings, raw_count, body, expected) -> None:
    _load_sample(settings)
    before = raw_count("raw_coincap.assets")
    LandingZone(settings.landing).file("coincap", RawFile("assets", "broken.json", body, "test"))
    result = load_source(SPEC, settings, run_id="t2")
    assert result.files_quarantined == 1
    assert "broken.json" in result.errors[0] and expected in result.errors[0]
    assert raw_count("raw_coincap.assets") == before
    assert raw_count("raw_coincap._landing_files where status = 'quarantined'") == 1


def test_full_refresh_rebuilds_from_landing_alone(settings, raw_count) -> None:
    _load_sample(settings)
    load_source(SPEC, settings, full_refresh=True, run_id="t3")
    assert raw_count("raw_coincap.assets") == 11
    assert raw_count("raw_coincap._landing_files") == len(coincap_settings.SAMPLE_FILES)


def test_storm_of_500s_in_live_mode_names_url_and_keeps_rows(settings, raw_count, local_server, monkeypatch) -> None:
    _load_sample(settings)
    local_server.route("/v3/assets", (500, {}, b"upstream down"))
    monkeypatch.setattr("pipelines.ingest.extract.HttpPolicy", lambda **kw: _fast_policy(**kw))
    with pytest.raises(FetchError, match=r"127\.0\.0\.1:\d+/v3/assets"):
        extract(SPEC, settings, "live", source_config=CoinCapSettings(api_base=f"{local_server.base_url}/v3"))
    assert raw_count("raw_coincap.assets") == 11


def _fast_policy(**kwargs):
    from pipelines.ingest.http import HttpPolicy

    return HttpPolicy(timeout_s=2, retries=2, backoff_s=0.01, backoff_max_s=0.02, **kwargs)


def test_live_fetch_paginates_to_empty_page(settings, local_server) -> None:
    """Pagination walks until CoinCap's empty page; each page is filed as received."""
    page = (coincap_settings.SAMPLE_DIR / "assets_limit10_2021-10-27.json").read_bytes()
    empty = (coincap_settings.SAMPLE_DIR / "markets_acx_empty_page_2020-09-22.json").read_bytes()
    assets = local_server.route("/v3/assets", (200, {}, page), (200, {}, empty))
    local_server.route(
        "/v3/rates", (200, {}, (coincap_settings.SAMPLE_DIR / "rate_bitcoin_2020-09-22.json").read_bytes())
    )
    local_server.route("/v3/exchanges", (200, {}, b'{"data": [], "timestamp": 1}'))
    local_server.route("/v3/markets", (200, {}, empty))
    for asset in ("bitcoin", "ethereum", "binance-coin", "cardano", "tether", "solana", "xrp", "polkadot",
                  "dogecoin", "usd-coin"):  # fmt: skip
        local_server.route(f"/v3/assets/{asset}/history", (200, {}, b'{"data": [], "timestamp": 1}'))
    result = extract(SPEC, settings, "live", source_config=CoinCapSettings(api_base=f"{local_server.base_url}/v3"))
    assert assets.hits == 2
    endpoints = [f.endpoint for f in result.filed]
    assert endpoints.count("assets") == 2 and endpoints.count("history") == 20
    assert LandingZone(settings.landing).read(result.filed[0]) == page


def test_cli_load_from_file_and_rerun_files_nothing(settings, raw_count, tmp_path: Path) -> None:
    saved = tmp_path / "assets_bitcoin.json"
    saved.write_bytes((coincap_settings.SAMPLE_DIR / "asset_bitcoin_2025-08-11.json").read_bytes())
    assert main(["load", "coincap", "--from", str(saved)]) == 0
    assert raw_count("raw_coincap.assets where id = 'bitcoin'") == 1
    assert main(["load", "coincap", "--from", str(saved)]) == 0
    assert raw_count("raw_coincap._landing_files") == 1


def test_cli_load_from_unknown_file_fails_naming_it(settings, tmp_path: Path) -> None:
    bad = tmp_path / "not-coincap.json"
    bad.write_text("{ nope")
    assert main(["load", "coincap", "--from", str(bad)]) == 2


def _history_server(local_server) -> dict[str, object]:
    page = (coincap_settings.SAMPLE_DIR / "assets_limit10_2021-10-27.json").read_bytes()
    empty = (coincap_settings.SAMPLE_DIR / "markets_acx_empty_page_2020-09-22.json").read_bytes()
    local_server.route("/v3/assets", (200, {}, page), (200, {}, empty), (200, {}, page), (200, {}, empty))
    local_server.route("/v3/rates", (200, {}, b'{"data": [], "timestamp": 1}'))
    local_server.route("/v3/exchanges", (200, {}, b'{"data": [], "timestamp": 1}'))
    local_server.route("/v3/markets", (200, {}, empty))
    ids = [a["id"] for a in json.loads(page)["data"]]
    # a distinct body per asset and interval (d1 is asked for first): equal bodies would be filed once, by hash
    return {
        a: local_server.route(
            f"/v3/assets/{a}/history",
            *((200, {}, f'{{"data": [], "asset": "{a}", "n": {n}}}'.encode()) for n in (1, 2)),
        )
        for a in ids
    }


def test_backfill_twice_asks_for_no_history_the_second_time(settings, local_server) -> None:
    """The asset list (which assets to fetch) is read again; every asset's d1 and h1 window is landed, so skipped."""
    history = _history_server(local_server)
    config = CoinCapSettings(api_base=f"{local_server.base_url}/v3")
    spec = replace(SPEC, http_policy_min_interval_s=0.0)  # a local server needs no politeness delay
    first = extract(spec, settings, "live", date(2026, 3, 1), date(2026, 3, 8), source_config=config)
    assert all(route.hits == 2 for route in history.values())  # d1 and h1
    assert {f.params["end"] for f in first.filed if f.endpoint == "history"} == {"2026-03-08T00:00:00+00:00"}
    second = extract(spec, settings, "live", date(2026, 3, 1), date(2026, 3, 8), source_config=config)
    assert all(route.hits == 2 for route in history.values())
    assert second.skipped_windows == 2 * len(history)


def test_api_key_from_the_documented_variable_or_dlts_own(monkeypatch) -> None:
    """COINCAP_API_KEY (as the README says), or dlt's SOURCES__COINCAP__API_KEY; never shown in the settings' repr."""
    from pipelines.config import source_settings

    monkeypatch.delenv("COINCAP_API_KEY", raising=False)
    monkeypatch.setenv("SOURCES__COINCAP__API_KEY", "from-dlt")
    assert source_settings("coincap", CoinCapSettings).api_key == "from-dlt"
    monkeypatch.setenv("COINCAP_API_KEY", "from-readme")
    config = source_settings("coincap", CoinCapSettings)
    assert config.api_key == "from-readme" and "from-readme" not in repr(config)
