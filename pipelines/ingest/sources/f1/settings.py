"""Formula 1 settings: Jolpica (Ergast-compatible) and OpenF1 endpoints, limits, and the recorded sample."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.config import SAMPLE_ROOT, configurable

SOURCE = "f1"
JOLPICA_BASE = "https://api.jolpi.ca/ergast/f1"
OPENF1_BASE = "https://api.openf1.org/v1"
PAGE_LIMIT = 100  # Jolpica's maximum page size
# Jolpica allows 4 requests a second and 500 an hour; stay well inside both.
MIN_INTERVAL_S = 8.0
ROUND_ENDPOINTS = ("results", "sprint", "qualifying", "laps", "pitstops")
OPENF1_ENDPOINTS = ("laps", "stints", "pit", "weather")
SAMPLE_DIR = SAMPLE_ROOT / SOURCE
# Columns renamed upstream, per raw table: {table: {old column: new column}}. The Iceberg lake renames the column
# (earlier snapshots then read under the new name) and fills it from either; see docs/portability.md.
RENAMED_COLUMNS: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class F1Settings:
    """The live fetch's settings, built by `pipelines.config.source_settings` (or by a test, for a local server)."""

    # [sources.f1] jolpica_base / openf1_base, SOURCES__F1__JOLPICA_BASE …, or JOLPICA_BASE / OPENF1_BASE
    jolpica_base: str = configurable(JOLPICA_BASE, "JOLPICA_BASE")
    openf1_base: str = configurable(OPENF1_BASE, "OPENF1_BASE")
