"""Live HKJC scrape: for each date and racecourse, find the meeting, then fetch every race's results page.

Polite by construction: the shared client sends one request at a time, at most one every MIN_INTERVAL_S. A meeting
whose every race is already landed is not asked for again (the cursor); a meeting landed in part gets its missing
races only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta

from pipelines.ingest.cursor import Cursor, Window
from pipelines.ingest.landing import LandedFile, RawFile
from pipelines.ingest.sources.hkjc import settings
from pipelines.ingest.sources.hkjc.parse import is_results_page, meeting_race_numbers
from pipelines.ingest.sources.hkjc.settings import HkjcSettings
from pipelines.ingest.spec import FetchContext

log = logging.getLogger(__name__)


def results_url(config: HkjcSettings, race_date: date, course: str, race_no: int) -> str:
    return (
        f"{config.base_url}{settings.RESULTS_PATH[config.language]}"
        f"?racedate={race_date:%Y/%m/%d}&Racecourse={course}&RaceNo={race_no}"
    )


def meeting(race_date: str, course: str) -> tuple[str, str, str]:
    return ("meeting", race_date, course)


def window_of(entry: LandedFile) -> Window | None:
    """A landed results page is one race of a meeting: `start` is its race number and `end` the meeting's last race
    (as the scrape found it; None for pages filed without it, such as `load --from`)."""
    p = entry.params
    if entry.endpoint != "results" or not {"race_date", "racecourse", "race_no"} <= set(p):
        return None
    last = int(p["last_race"]) if p.get("last_race") else None
    return Window(meeting(p["race_date"], p["racecourse"]), int(p["race_no"]), last)


def _landed_races(cursor: Cursor, day: date, course: str) -> tuple[dict[int, Window], int | None]:
    """The races of one meeting already landed, and its last race if a landed page recorded it."""
    landed = {w.start: w for w in cursor.in_series(meeting(day.isoformat(), course))}
    return landed, max((w.end for w in landed.values() if w.end is not None), default=None)


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def fetch(ctx: FetchContext[HkjcSettings]) -> Iterator[RawFile]:
    config = ctx.settings
    end = ctx.end or date.today()
    start = ctx.start or end - timedelta(days=7)
    for day in _days(start, end):
        for course in config.racecourses:
            landed, last = _landed_races(ctx.cursor, day, course)
            first = None
            if last is not None and 1 in landed:
                races = list(range(1, last + 1))  # the meeting is known: no need to ask for its first page
            else:
                first = ctx.client.get(results_url(config, day, course, 1))
                if not is_results_page(first.content):
                    log.info("no results page for %s %s (no meeting, or not yet published): %s", day, course, first.url)
                    continue
                races = meeting_race_numbers(first.content) or [1]
            for race_no in races:
                if race_no in landed and ctx.cursor.skip(landed[race_no]):
                    continue  # a backfill run twice asks for nothing the second time
                if race_no == 1 and first is not None:
                    response = first
                else:
                    response = ctx.client.get(results_url(config, day, course, race_no))
                if not is_results_page(response.content):
                    log.warning("not a results page, skipped: %s", response.url)
                    continue
                yield RawFile(
                    endpoint="results",
                    name=f"localresults_{day:%Y-%m-%d}_{course}_R{race_no}_{config.language}.html",
                    data=response.content,
                    origin=response.url,
                    params={
                        "race_date": day.isoformat(),
                        "racecourse": course,
                        "race_no": str(race_no),
                        "last_race": str(max(races)),
                    },
                )
