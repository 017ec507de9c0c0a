"""Live Yahoo chart fetch: per-ticker micro-batches, 1m in windows of ≤ 7 days within the last 30, and 1d.

The cursor per ticker and interval is the latest `period2` already landed, so each run asks only for what is missing;
a window already landed (a backfill run twice) is not asked for again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from pipelines.ingest.cursor import Window
from pipelines.ingest.http import FetchError
from pipelines.ingest.landing import LandedFile, RawFile
from pipelines.ingest.sources.yahoo import settings
from pipelines.ingest.sources.yahoo.settings import YahooSettings
from pipelines.ingest.spec import FetchContext

UNREACHABLE_LIMIT = 3


def window_of(entry: LandedFile) -> Window | None:
    """A landed chart body covers one ticker and interval from `period1` to `period2` (epoch seconds)."""
    p = entry.params
    if entry.endpoint != "chart" or not {"ticker", "interval", "period1", "period2"} <= set(p):
        return None
    return Window((p["ticker"], p["interval"]), int(p["period1"]), int(p["period2"]))


def windows(
    interval: str, start: datetime | None, end: datetime, last: datetime | None
) -> Iterator[tuple[datetime, datetime]]:
    """The [period1, period2) windows still missing for one ticker and interval."""
    if interval == "1m":
        floor = end - timedelta(days=settings.MINUTE_LOOKBACK_DAYS - 1)
        begin = max(x for x in (start, last, floor) if x is not None)
        step = timedelta(days=settings.MINUTE_WINDOW_DAYS)
    else:
        begin = start or last or end - timedelta(days=365 * settings.DAILY_DEFAULT_YEARS)
        if last and not start:
            begin = last
        step = end - begin if end > begin else timedelta(days=1)
    while begin < end:
        stop = min(begin + step, end)
        yield begin, stop
        begin = stop


def fetch(ctx: FetchContext[YahooSettings]) -> Iterator[RawFile]:
    config = ctx.settings
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    end = datetime.combine(ctx.end + timedelta(days=1), time.min, UTC) if ctx.end else now
    start = datetime.combine(ctx.start, time.min, UTC) if ctx.start else None
    failures: list[str] = []
    unreachable = 0  # consecutive failures with no HTTP answer at all (no network, DNS, timeouts)
    for ticker in config.universe():
        for interval in config.intervals:
            latest = None if start else ctx.cursor.latest_end((ticker, interval))
            last = datetime.fromtimestamp(latest, UTC) if latest is not None else None
            for p1, p2 in windows(interval, start, end, last):
                period1, period2 = int(p1.timestamp()), int(p2.timestamp())
                if ctx.cursor.skip(Window((ticker, interval), period1, period2)):
                    continue  # a backfill run twice asks for nothing the second time
                params = {
                    "interval": interval,
                    "period1": period1,
                    "period2": period2,
                    "events": "div|split",
                    "includePrePost": "false",
                }
                try:
                    response = ctx.client.get(f"{config.api_base}/{ticker}", params=params)
                except FetchError as exc:  # one ticker's failure does not stop the universe
                    failures.append(str(exc))
                    unreachable = unreachable + 1 if exc.status is None else 0
                    if unreachable >= UNREACHABLE_LIMIT:  # but an unreachable service does: say so once
                        raise FetchError(exc.url, f"{len(failures)} request(s) failed; last: {exc}") from exc
                    continue
                unreachable = 0
                yield RawFile(
                    endpoint="chart",
                    name=f"chart_{ticker}_{interval}_{period1}_{period2}.json",
                    data=response.content,
                    origin=response.url,
                    params={"ticker": ticker, "interval": interval, "period1": str(period1), "period2": str(period2)},
                )
    if failures:
        raise FetchError(failures[0].split(": ", 1)[0], f"{len(failures)} request(s) failed; first: {failures[0]}")
