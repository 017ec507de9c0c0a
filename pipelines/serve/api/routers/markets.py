"""Markets (Yahoo Finance): tickers, 1-minute bars for a ticker and a time range, daily bars."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from pipelines.serve.api.models import TICKER_PATTERN, DateRangeQuery, Items, Page, Problem, TimeRangeQuery
from pipelines.serve.api.resources import Resource, rows
from pipelines.serve.api.responses import (
    CSV_RESPONSE,
    Parent,
    Reader,
    date_filters,
    items_response,
    one_response,
    page_response,
)

router = APIRouter(prefix="/markets", tags=["markets"], responses={404: {"model": Problem}})
Ticker = Annotated[str, Path(pattern=TICKER_PATTERN, description="a ticker symbol, e.g. AAPL (case-insensitive)")]

TICKER = Resource(
    "MarketsTicker",
    "marts.dim_markets_ticker",
    {
        "ticker": str,
        "exchange_calendar": str,
        "asset_class": str,
        "crypto_asset_id": str,
        "currency": str,
        "long_name": str,
        "is_in_universe": bool,
    },
    keys=("ticker",),
    description="One ticker (dim_markets_ticker).",
)
BAR_1M = Resource(
    "MarketsBar1m",
    "marts.fct_markets_bars_1m",
    {
        "bar_key": str,
        "ticker": str,
        "ts_utc": datetime,
        "session_date": date,
        "minute_of_session": int,
        "open_price": float,
        "high_price": float,
        "low_price": float,
        "close_price": float,
        "volume": int,
        "is_filled": bool,
        "session_vwap": float,
        "return_1m": float,
        "return_5m": float,
        "return_15m": float,
    },
    keys=("ts_utc", "bar_key"),
    description="One 1-minute bar of a regular session (fct_markets_bars_1m).",
)
DAILY_BAR = Resource(
    "MarketsDailyBar",
    "marts.fct_markets_daily_bars",
    {
        "daily_key": str,
        "ticker": str,
        "session_date": date,
        "bar_source": str,
        "open_price": float,
        "high_price": float,
        "low_price": float,
        "close_price": float,
        "volume": int,
        "session_vwap": float,
        "adj_close": float,
        "reported_adj_close": float,
        "dividend_adjustment": float,
        "as_traded_close": float,
        "log_return": float,
        "moving_average_20d": float,
        "moving_average_50d": float,
        "volatility_20d": float,
    },
    keys=("session_date", "daily_key"),
    description="One trading day of a ticker (fct_markets_daily_bars).",
)


def _ticker(ticker: str) -> Parent:
    """A ticker's rows; 404 for one the warehouse does not know."""
    return Parent(TICKER, [("ticker = ?", [ticker.upper()])], f"ticker {ticker}")


@router.get("/tickers", response_model=Items[TICKER.model])  # type: ignore[name-defined]
def list_tickers(read: Reader) -> Response:
    return items_response(read, TICKER, rows(read.con, TICKER, []))


@router.get("/tickers/{ticker}", response_model=TICKER.model)
def get_ticker(ticker: Ticker, read: Reader) -> Response:
    return one_response(read, TICKER, [("ticker = ?", [ticker.upper()])], f"ticker {ticker}")


@router.get("/tickers/{ticker}/bars-1m", response_model=Page[BAR_1M.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_minute_bars(ticker: Ticker, q: Annotated[TimeRangeQuery, Query()], read: Reader) -> Response:
    """1-minute bars in [start, end), oldest first."""
    parent = _ticker(ticker)
    filters = parent.filters + date_filters("ts_utc", q.start, q.end, inclusive_end=False)
    return page_response(read, BAR_1M, filters, q, parent)


@router.get("/tickers/{ticker}/daily-bars", response_model=Page[DAILY_BAR.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_daily_bars(ticker: Ticker, q: Annotated[DateRangeQuery, Query()], read: Reader) -> Response:
    """Daily bars in [date_from, date_to], oldest first."""
    parent = _ticker(ticker)
    filters = parent.filters + date_filters("session_date", q.date_from, q.date_to)
    return page_response(read, DAILY_BAR, filters, q, parent)
