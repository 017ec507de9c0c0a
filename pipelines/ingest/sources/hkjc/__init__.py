"""HKJC horse racing: LocalResults pages (scraped) and the Kaggle hkracing history as a second source."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.ingest.landing import RawFile
from pipelines.ingest.sources.hkjc import client, parse, settings
from pipelines.ingest.spec import SourceSpec, TableSpec


def sample() -> Iterator[RawFile]:
    for name, endpoint, origin in settings.SAMPLE_FILES:
        yield RawFile(endpoint, name, (settings.SAMPLE_DIR / name).read_bytes(), origin)


SPEC = SourceSpec(
    name=settings.SOURCE,
    description="Hong Kong Jockey Club race results pages, and the Kaggle hkracing history (1997-2005).",
    tables={
        # pages keep the racecourse and pool as published (Sha Tin, 沙田): staging maps them to codes and dedupes
        "races": TableSpec("races", "merge", ("race_date", "racecourse_published", "race_no"), time_column="race_date"),
        # keyed by race and horse: a withdrawn runner (WV, WX …) is listed with no saddle-cloth number
        "runners": TableSpec(
            "runners", "merge", ("race_date", "racecourse_published", "race_no", "horse_code"), time_column="race_date"
        ),
        "dividends": TableSpec(
            "dividends", "merge", ("race_date", "racecourse_published", "race_no", "pool_published", "line_no")
        ),
        "history_races": TableSpec("history_races", "merge", ("race_id",), time_column="race_date"),
        "history_runs": TableSpec("history_runs", "merge", ("race_id", "horse_no")),
    },
    parse=parse.parse,
    classify=parse.classify,
    sample=sample,
    fetch=client.fetch,
    http_policy_min_interval_s=settings.MIN_INTERVAL_S,
    settings_type=settings.HkjcSettings,
    window_of=client.window_of,
)
