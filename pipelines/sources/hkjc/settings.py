"""HKJC settings: the results pages, politeness, and the recorded sample."""

from __future__ import annotations

import os

from pipelines.config import SAMPLE_ROOT

SOURCE = "hkjc"
BASE_URL = os.environ.get("HKJC_BASE_URL", "https://racing.hkjc.com")
RESULTS_PATH = {"en": "/en-us/local/information/localresults", "zh": "/zh-hk/local/information/localresults"}
LANGUAGE = os.environ.get("HKJC_LANGUAGE", "en")  # en or zh: the parser gives the same rows for both
RACECOURSES = ("ST", "HV")
MIN_INTERVAL_S = 2.0  # one request at a time, at most one every two seconds
SAMPLE_DIR = SAMPLE_ROOT / SOURCE

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
    (
        "localresults_2026-03-01_ST_R1_zh.html",
        "results",
        "https://racing.hkjc.com/zh-hk/local/information/localresults?racedate=2026/03/01&Racecourse=ST&RaceNo=1",
    ),
    ("kaggle_hkracing_races.csv", "kaggle_races", "kaggle:gdaley/hkracing races.csv"),
    ("kaggle_hkracing_runs.csv.zip", "kaggle_runs", "kaggle:gdaley/hkracing runs.csv (zipped)"),
)
