"""HKJC settings: the results pages, politeness, and the recorded sample."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.config import SAMPLE_ROOT, configurable

SOURCE = "hkjc"
BASE_URL = "https://racing.hkjc.com"
RESULTS_PATH = {"en": "/en-us/local/information/localresults", "zh": "/zh-hk/local/information/localresults"}
LANGUAGE = "en"  # en or zh: the parser gives the same rows for both
RACECOURSES = ("ST", "HV")
MIN_INTERVAL_S = 2.0  # one request at a time, at most one every two seconds
SAMPLE_DIR = SAMPLE_ROOT / SOURCE
# Columns renamed upstream, per raw table: {table: {old column: new column}}. The Iceberg lake renames the column
# (earlier snapshots then read under the new name) and fills it from either; see docs/portability.md.
RENAMED_COLUMNS: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class HkjcSettings:
    """The live scrape's settings, built by `pipelines.config.source_settings` (or by a test, for a local server)."""

    # [sources.hkjc] base_url / language, SOURCES__HKJC__BASE_URL …, or HKJC_BASE_URL / HKJC_LANGUAGE
    base_url: str = configurable(BASE_URL, "HKJC_BASE_URL")
    language: str = configurable(LANGUAGE, "HKJC_LANGUAGE")
    racecourses: tuple[str, ...] = RACECOURSES

    def __post_init__(self) -> None:
        if self.language not in RESULTS_PATH:
            raise ValueError(f"HKJC language must be one of {', '.join(RESULTS_PATH)}, not {self.language!r}")


SPECIAL_PLACING_RACES: tuple[tuple[str, str, int], ...] = (
    ("2020-01-01", "ST", 5),
    ("2020-01-08", "HV", 7),
    ("2020-01-15", "HV", 8),
    ("2020-01-29", "HV", 4),
    ("2020-02-02", "ST", 2),
    ("2020-02-02", "ST", 10),
    ("2020-02-19", "ST", 5),
    ("2020-02-19", "ST", 6),
    ("2020-10-11", "ST", 4),
    ("2020-11-29", "ST", 1),
)
# (file, endpoint, origin); provenance in data/sample/hkjc/README.md
SAMPLE_FILES: tuple[tuple[str, str, str], ...] = (
    *(
        (
            f"localresults_2019-09-01_ST_R{n}_zh.html",
            "results",
            f"https://racing.hkjc.com/racing/information/Chinese/racing/LocalResults.aspx?RaceDate=2019/09/01&RaceNo={n}",
        )
        for n in range(1, 10)
    ),
    # 2020 races with the special placings real meetings have: withdrawn (WV, WV-A, WX, WX-A), TNP, PU, UR, dead heats
    *(
        (
            f"localresults_{day}_{course}_R{n}_zh.html",
            "results",
            "https://racing.hkjc.com/racing/information/Chinese/racing/LocalResults.aspx"
            f"?RaceDate={day.replace('-', '/')}&RaceNo={n}",
        )
        for day, course, n in SPECIAL_PLACING_RACES
    ),
    (
        "localresults_2026-03-01_ST_R1_zh.html",
        "results",
        "https://racing.hkjc.com/zh-hk/local/information/localresults?racedate=2026/03/01&Racecourse=ST&RaceNo=1",
    ),
    ("kaggle_hkracing_races.csv", "kaggle_races", "kaggle:gdaley/hkracing races.csv"),
    ("kaggle_hkracing_runs.csv.zip", "kaggle_runs", "kaggle:gdaley/hkracing runs.csv (zipped)"),
)
