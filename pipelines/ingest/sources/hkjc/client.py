"""Live HKJC scrape: for each date and racecourse, find the meeting, then fetch every race's results page.

Polite by construction: the shared client sends one request at a time, at most one every MIN_INTERVAL_S.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta

from pipelines.ingest.landing import RawFile
from pipelines.ingest.sources.hkjc import settings
from pipelines.ingest.sources.hkjc.parse import is_results_page, meeting_race_numbers
from pipelines.ingest.spec import FetchContext

log = logging.getLogger(__name__)


def results_url(race_date: date, course: str, race_no: int, language: str | None = None) -> str:
    return (
        f"{settings.BASE_URL}{settings.RESULTS_PATH[language or settings.LANGUAGE]}"
        f"?racedate={race_date:%Y/%m/%d}&Racecourse={course}&RaceNo={race_no}"
    )


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def fetch(ctx: FetchContext) -> Iterator[RawFile]:
    end = ctx.end or date.today()
    start = ctx.start or end - timedelta(days=7)
    for day in _days(start, end):
        for course in settings.RACECOURSES:
            first = ctx.client.get(results_url(day, course, 1))
            if not is_results_page(first.content):
                log.info("no results page for %s %s (no meeting, or not yet published): %s", day, course, first.url)
                continue
            races = meeting_race_numbers(first.content) or [1]
            for race_no in races:
                response = first if race_no == 1 else ctx.client.get(results_url(day, course, race_no))
                if not is_results_page(response.content):
                    log.warning("not a results page, skipped: %s", response.url)
                    continue
                yield RawFile(
                    endpoint="results",
                    name=f"localresults_{day:%Y-%m-%d}_{course}_R{race_no}_{settings.LANGUAGE}.html",
                    data=response.content,
                    origin=response.url,
                    params={"race_date": day.isoformat(), "racecourse": course, "race_no": str(race_no)},
                )
