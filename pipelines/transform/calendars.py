"""Trading sessions from exchange-calendars, written as the `exchange_sessions` seed.

Regenerate with `.venv/bin/python -m pipelines.transform.calendars` (for example to extend the years); a test
checks that the committed seed still matches what exchange-calendars says.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import exchange_calendars as xcals

from pipelines.config import PROJECT_ROOT

CALENDARS = ("XNYS", "XNAS")
FIRST, LAST = "2019-01-01", "2026-12-31"
SEED = PROJECT_ROOT / "seeds" / "exchange_sessions.csv"
COLUMNS = ("exchange_calendar", "session_date", "open_utc", "close_utc", "session_minutes", "is_half_day")


def session_rows(calendar: str, first: str = FIRST, last: str = LAST) -> list[tuple[str, ...]]:
    cal = xcals.get_calendar(calendar, start=first, end=last)
    schedule = cal.schedule.loc[first:last]
    rows = []
    for session, row in schedule.iterrows():
        opened, closed = row["open"], row["close"]
        minutes = int((closed - opened).total_seconds() // 60)
        rows.append(
            (
                calendar,
                session.strftime("%Y-%m-%d"),
                opened.strftime("%Y-%m-%dT%H:%M:%SZ"),
                closed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                str(minutes),
                "true" if minutes < 390 else "false",
            )
        )
    return rows


def write_seed(path: Path = SEED) -> int:
    rows = [r for calendar in CALENDARS for r in session_rows(calendar)]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"wrote {write_seed()} sessions to {SEED}", file=sys.stderr)
