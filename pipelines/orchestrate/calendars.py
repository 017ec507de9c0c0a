"""When each source has something new: NYSE sessions, HKJC meeting days and F1 race weekends. Pure rules, no Dagster.

- Yahoo: a session day of XNYS from exchange-calendars (holidays are not sessions; half days close at 13:00 ET).
- HKJC: meetings are held on Wednesdays (Happy Valley, at night) and Sundays, with some Saturdays, from September
  to mid-July. The rule: Wednesday, Saturday and Sunday outside the summer break (20 July to 31 August). A day with
  no meeting costs one request per racecourse and files nothing (the client finds the meeting itself). The odd
  public-holiday meeting on another weekday is not scheduled: backfill its date's partition.
- F1: the Monday after a race weekend, from the season's race calendar as landed (Jolpica's season schedule: a
  race dated in the four days before). A season with no landed calendar falls back to every Monday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import exchange_calendars as xcals
import pandas as pd

from pipelines.ingest.landing import LandedFile, LandingZone
from pipelines.ingest.sources.f1.parse import parse as f1_parse
from pipelines.ingest.spec import ParseError

NYSE = "XNYS"
FIRST_SESSION = "2019-01-02"  # the first session of exchange_sessions.csv (pipelines/transform/calendars.py)
HKJC_FIRST_DAY = "2019-09-01"
F1_FIRST_SEASON = 1950
HKJC_MEETING_WEEKDAYS = (2, 5, 6)  # Wednesday, Saturday, Sunday (Monday is 0)
HKJC_SUMMER_BREAK = ((7, 20), (8, 31))  # (month, day) to (month, day), inclusive: no racing


@lru_cache(maxsize=1)
def _nyse() -> xcals.ExchangeCalendar:
    # the calendar's default end is about a year ahead, so today's and the coming sessions are known
    return xcals.get_calendar(NYSE, start=FIRST_SESSION)


def nyse_sessions() -> list[str]:
    """Every XNYS session from the first one we keep to the end of the known calendar, as YYYY-MM-DD."""
    return [session.strftime("%Y-%m-%d") for session in _nyse().sessions]


def nyse_close(day: date) -> datetime | None:
    """The close of the XNYS session on `day` (UTC), or None when `day` is not a session (a weekend or holiday)."""
    calendar = _nyse()
    label = pd.Timestamp(day)
    if not calendar.is_session(label):
        return None
    close: pd.Timestamp = calendar.session_close(label)
    return close.to_pydatetime().astimezone(UTC)


def is_hkjc_meeting_day(day: date) -> bool:
    (start_month, start_day), (end_month, end_day) = HKJC_SUMMER_BREAK
    in_break = (start_month, start_day) <= (day.month, day.day) <= (end_month, end_day)
    return day.weekday() in HKJC_MEETING_WEEKDAYS and not in_break


def landed_race_dates(landing: LandingZone) -> dict[int, set[date]]:
    """Race dates per season, from the Jolpica season schedules in the landing zone."""
    seasons: dict[int, set[date]] = {}
    entries: list[LandedFile] = [e for e in landing.manifest("f1") if e.endpoint == "jolpica"]
    for entry in entries:
        kind = entry.params.get("kind")
        if kind not in (None, "races") or "round" in entry.params:
            continue
        try:
            body = landing.read(entry)
        except OSError:
            continue
        try:  # the F1 source's own parser reads the body: the schedule is its jolpica_races rows
            races = f1_parse("jolpica", body, entry.params).get("jolpica_races")
        except ParseError:
            continue
        for season, day in zip(races["season"].to_pylist(), races["date"].to_pylist(), strict=True) if races else ():
            if day:
                seasons.setdefault(int(season), set()).add(date.fromisoformat(str(day)))
    return seasons


F1Verdict = Literal["race", "no race", "no calendar"]


def f1_weekend_just_ended(today: date, race_dates: dict[int, set[date]]) -> tuple[F1Verdict, int]:
    """Whether a race of the season fell in the four days before `today` (a Monday), and that season: "no race"
    when the season's calendar is landed and has none then, "no calendar" when it is not landed."""
    window = {today - timedelta(days=n) for n in range(1, 5)}
    season = (today - timedelta(days=1)).year
    if season not in race_dates:
        return "no calendar", season
    return ("race" if window & race_dates[season] else "no race"), season
