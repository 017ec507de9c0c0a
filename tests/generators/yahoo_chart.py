"""A seeded generator of Yahoo chart API bodies (1-minute bars) for scale tests and the benchmark.

Everything it writes is GENERATED: tickers are named GEN000…, and every body's meta carries `"generated": true`.
It follows the real format: epoch seconds, null bars for minutes without a trade, real XNYS sessions (holidays and
half days from exchange-calendars), windows of at most 7 days, and Yahoo's trailing point after the window.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import exchange_calendars as xcals
import numpy as np


@dataclass(frozen=True)
class ChartConfig:
    tickers: int = 200
    first_day: date = date(2026, 10, 1)
    days: int = 42  # calendar days: about 30 sessions, 200 x 30 x 390 = 2.3M bars
    window_days: int = 7
    null_rate: float = 0.01
    seed: int = 42


def ticker_names(config: ChartConfig) -> list[str]:
    return [f"GEN{i:03d}" for i in range(config.tickers)]


@functools.cache
def _sessions(first: date, last: date) -> list[tuple[int, int]]:
    cal = xcals.get_calendar("XNYS", start=first.isoformat(), end=(last + timedelta(days=1)).isoformat())
    schedule = cal.schedule.loc[first.isoformat() : last.isoformat()]
    return [(int(row["open"].timestamp()), int(row["close"].timestamp())) for _, row in schedule.iterrows()]


def bodies(config: ChartConfig, days: tuple[int, int] | None = None) -> Iterator[tuple[str, bytes, dict[str, str]]]:
    """Yield (file name, chart body, params) per ticker and window, for day offsets [start, end) of the period."""
    start_offset, end_offset = days or (0, config.days)
    for n, ticker in enumerate(ticker_names(config)):
        offset = start_offset
        while offset < end_offset:
            stop = min(offset + config.window_days, end_offset)
            first, last = config.first_day + timedelta(days=offset), config.first_day + timedelta(days=stop - 1)
            stamps, opens, highs, lows, closes, volumes = [], [], [], [], [], []
            # the walk is seeded per ticker and day, so a window's bars do not depend on how windows are cut
            for open_ts, close_ts in _sessions(first, last):
                day_rng = np.random.default_rng([config.seed, n, open_ts // 86_400])
                minutes = (close_ts - open_ts) // 60
                start_price = 20 + day_rng.random() * 480
                close = start_price * np.exp(np.cumsum(day_rng.normal(0, 0.0008, minutes)))
                open_ = np.concatenate(([start_price], close[:-1]))
                wick = np.abs(day_rng.normal(0, 0.0003, (2, minutes))) * close
                high = np.maximum(open_, close) + wick[0]
                low = np.maximum(0.005, np.minimum(open_, close) - wick[1])
                volume = day_rng.integers(100, 50_000, minutes)
                missing = day_rng.random(minutes) < config.null_rate
                stamps += list(range(open_ts, close_ts, 60))
                for series, values in ((opens, open_), (highs, high), (lows, low), (closes, close)):
                    series += [None if m else round(float(v), 4) for v, m in zip(values, missing, strict=True)]
                volumes += [None if m else int(v) for v, m in zip(volume, missing, strict=True)]
            period1 = int((first - date(1970, 1, 1)).days * 86_400)
            period2 = int((last + timedelta(days=1) - date(1970, 1, 1)).days * 86_400)
            if stamps:  # Yahoo's trailing point, outside the window
                stamps.append(period2 + 20 * 3_600)
                for series in (opens, highs, lows, closes):
                    series.append(next((c for c in reversed(closes) if c is not None), 1.0))
                volumes.append(0)
            body = {
                "chart": {
                    "result": [
                        {
                            "meta": {
                                "currency": "USD",
                                "symbol": ticker,
                                "exchangeName": "NMS",
                                "instrumentType": "EQUITY",
                                "exchangeTimezoneName": "America/New_York",
                                "gmtoffset": -14400,
                                "dataGranularity": "1m",
                                "generated": True,
                            },
                            "timestamp": stamps,
                            "indicators": {
                                "quote": [
                                    {"open": opens, "high": highs, "low": lows, "close": closes, "volume": volumes}
                                ]
                            },
                        }
                    ],
                    "error": None,
                }
            }
            params = {"ticker": ticker, "interval": "1m", "period1": str(period1), "period2": str(period2)}
            yield (
                f"chart_{ticker}_1m_{period1}_{period2}.json",
                json.dumps(body, separators=(",", ":")).encode(),
                params,
            )
            offset = stop
