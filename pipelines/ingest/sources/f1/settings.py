"""Formula 1 settings: Jolpica (Ergast-compatible) and OpenF1 endpoints, limits, and the recorded sample."""

from __future__ import annotations

import os

from pipelines.config import SAMPLE_ROOT

SOURCE = "f1"
JOLPICA_BASE = os.environ.get("JOLPICA_BASE", "https://api.jolpi.ca/ergast/f1")
OPENF1_BASE = os.environ.get("OPENF1_BASE", "https://api.openf1.org/v1")
PAGE_LIMIT = 100  # Jolpica's maximum page size
# Jolpica allows 4 requests a second and 500 an hour; stay well inside both.
MIN_INTERVAL_S = 8.0
ROUND_ENDPOINTS = ("results", "sprint", "qualifying", "laps", "pitstops")
OPENF1_ENDPOINTS = ("laps", "stints", "pit", "weather")
SAMPLE_DIR = SAMPLE_ROOT / SOURCE
