"""CoinCap settings: API base, endpoints, the live asset list, and the recorded sample files."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.config import SAMPLE_ROOT, configurable

SOURCE = "coincap"
API_BASE = "https://rest.coincap.io/v3"
PAGE_LIMIT = 100  # CoinCap's documented maximum is 2000; small pages keep each landed body small
HISTORY_INTERVALS = ("d1", "h1")
# History is fetched for the top assets by rank; the asset list itself is paginated to its end.
HISTORY_TOP_N = 25
MIN_INTERVAL_S = 0.5  # stay well inside the free tier's rate limit
SAMPLE_DIR = SAMPLE_ROOT / SOURCE
# Columns renamed upstream, per raw table: {table: {old column: new column}}. The Iceberg lake renames the column
# (earlier snapshots then read under the new name) and fills it from either; see docs/portability.md.
RENAMED_COLUMNS: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class CoinCapSettings:
    """The live fetch's settings, built by `pipelines.config.source_settings` (or by a test, for a local server)."""

    # [sources.coincap] api_base, SOURCES__COINCAP__API_BASE or COINCAP_API_BASE
    api_base: str = configurable(API_BASE, "COINCAP_API_BASE")
    # [sources.coincap] api_key in .dlt/secrets.toml, SOURCES__COINCAP__API_KEY or COINCAP_API_KEY; never printed
    api_key: str | None = configurable(None, "COINCAP_API_KEY", secret=True)


# (file, endpoint, params, origin) — the provenance of each file is in data/sample/coincap/README.md
SAMPLE_FILES: tuple[tuple[str, str, dict[str, str], str], ...] = (
    ("assets_limit10_2021-10-27.json", "assets", {}, "https://api.coincap.io/v2/assets?limit=10"),
    ("asset_bitcoin_2025-08-11.json", "asset", {"asset_id": "bitcoin"}, f"{API_BASE}/assets/bitcoin"),
    ("rate_bitcoin_2020-09-22.json", "rates", {}, "https://api.coincap.io/v2/rates/bitcoin"),
    ("markets_acx_2020-09-22.json", "markets", {}, "https://api.coincap.io/v2/markets?exchangeId=acx"),
    (
        "markets_acx_empty_page_2020-09-22.json",
        "markets",
        {},
        "https://api.coincap.io/v2/markets?exchangeId=acx&offset=100",
    ),
    (
        "history_ark_h1_2020-11-23.json",
        "history",
        {"asset_id": "ark", "interval": "h1"},
        "https://api.coincap.io/v2/assets/ark/history?interval=h1",
    ),
)
