"""Live Yahoo chart fetch: per-ticker micro-batches, 1m in windows of ≤ 7 days within the last 30, and 1d.

The cursor per ticker and interval is the latest `period2` already landed, so each run asks only for what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from pipelines.ingest.http import FetchError
from pipelines.ingest.landing import LandedFile, RawFile
from pipelines.ingest.sources.yahoo import settings
from pipelines.ingest.spec import FetchContext

UNREACHABLE_LIMIT = 3


def cursor(landed: list[LandedFile], ticker: str, interval: str) -> datetime | None:
    ends = [
        int(e.params["period2"])
        for e in landed
        if e.endpoint == "chart" and e.params.get("ticker") == ticker and e.params.get("interval") == interval
    ]
    return datetime.fromtimestamp(max(ends), UTC) if ends else None


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


def landed_windows(landed: list[LandedFile]) -> set[tuple[str, str, int, int]]:
    return {
        (e.params["ticker"], e.params["interval"], int(e.params["period1"]), int(e.params["period2"]))
        for e in landed
        if e.endpoint == "chart" and {"ticker", "interval", "period1", "period2"} <= set(e.params)
    }


def fetch(ctx: FetchContext) -> Iterator[RawFile]:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    end = datetime.combine(ctx.end + timedelta(days=1), time.min, UTC) if ctx.end else now
    start = datetime.combine(ctx.start, time.min, UTC) if ctx.start else None
    failures: list[str] = []
    unreachable = 0  # consecutive failures with no HTTP answer at all (no network, DNS, timeouts)
    done = landed_windows(ctx.landed)  # a backfill run twice asks for nothing the second time
    for ticker in settings.universe():
        for interval in settings.INTERVALS:
            for p1, p2 in windows(interval, start, end, None if start else cursor(ctx.landed, ticker, interval)):
                if (ticker, interval, int(p1.timestamp()), int(p2.timestamp())) in done:
                    continue
                params = {
                    "interval": interval,
                    "period1": int(p1.timestamp()),
                    "period2": int(p2.timestamp()),
                    "events": "div|split",
                    "includePrePost": "false",
                }
                try:
                    response = ctx.client.get(f"{settings.API_BASE}/{ticker}", params=params)
                except FetchError as exc:  # one ticker's failure does not stop the universe
                    failures.append(str(exc))
                    unreachable = unreachable + 1 if exc.status is None else 0
                    if unreachable >= UNREACHABLE_LIMIT:  # but an unreachable service does: say so once
                        raise FetchError(exc.url, f"{len(failures)} request(s) failed; last: {exc}") from exc
                    continue
                unreachable = 0
                yield RawFile(
                    endpoint="chart",
                    name=f"chart_{ticker}_{interval}_{params['period1']}_{params['period2']}.json",
                    data=response.content,
                    origin=response.url,
                    params={
                        "ticker": ticker,
                        "interval": interval,
                        **{k: str(params[k]) for k in ("period1", "period2")},
                    },
                )
    if failures:
        raise FetchError(failures[0].split(": ", 1)[0], f"{len(failures)} request(s) failed; first: {failures[0]}")
