"""Yahoo Finance chart bodies (v8 `finance/chart/{ticker}`) and yfinance CSV exports → Arrow tables. Pure.

Columns are built as whole Arrow arrays from Yahoo's parallel lists, never row by row.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pipelines.ingest.parsing import TS_UTC, constant, load_json, require
from pipelines.ingest.spec import ParseError, UnknownFormat

BARS = pa.schema(
    [
        ("ticker", pa.string()),
        ("interval", pa.string()),
        ("ts", TS_UTC),
        ("open", pa.float64()),
        ("high", pa.float64()),
        ("low", pa.float64()),
        ("close", pa.float64()),
        ("volume", pa.int64()),
        ("adjclose", pa.float64()),
        ("requested_start", TS_UTC),
        ("requested_end", TS_UTC),
    ]
)
DIVIDENDS = pa.schema([("ticker", pa.string()), ("ex_ts", TS_UTC), ("amount", pa.float64())])
SPLITS = pa.schema(
    [("ticker", pa.string()), ("ex_ts", TS_UTC), ("numerator", pa.float64()), ("denominator", pa.float64())]
)
INSTRUMENTS = pa.schema(
    [
        ("ticker", pa.string()),
        ("currency", pa.string()),
        ("exchange_name", pa.string()),
        ("full_exchange_name", pa.string()),
        ("instrument_type", pa.string()),
        ("exchange_timezone_name", pa.string()),
        ("gmtoffset", pa.int64()),
        ("long_name", pa.string()),
        ("short_name", pa.string()),
        ("first_trade_date", TS_UTC),
        ("data_granularity", pa.string()),
    ]
)
INTERVALS = ("1m", "2m", "5m", "15m", "30m", "60m", "90m", "1h", "1d", "5d", "1wk", "1mo", "3mo")


def _epoch_seconds(values: list[Any]) -> pa.Array:
    return pc.multiply(pa.array(values, pa.int64()), 1_000_000).cast(pa.timestamp("us")).cast(TS_UTC)


def _requested(params: Mapping[str, Any], key: str, n: int) -> pa.Array:
    value = params.get(key)
    if value in (None, ""):
        return pa.nulls(n, TS_UTC)
    return constant(_epoch_seconds([int(value)])[0], TS_UTC, n)


def _float_column(quote: Mapping[str, Any], key: str, n: int) -> pa.Array:
    values = quote.get(key)
    if values is None:
        return pa.nulls(n, pa.float64())
    if len(values) != n:
        raise ParseError(f"indicators.quote.{key} has {len(values)} values for {n} timestamps")
    try:
        return pa.array(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ParseError(f"indicators.quote.{key}: {exc}") from exc


def _events(result: Mapping[str, Any], ticker: str) -> dict[str, pa.Table]:
    events = result.get("events") or {}
    dividends = list((events.get("dividends") or {}).values())
    splits = list((events.get("splits") or {}).values())
    return {
        "dividends": pa.table(
            {
                "ticker": pa.array([ticker] * len(dividends), pa.string()),
                "ex_ts": _epoch_seconds([d["date"] for d in dividends]),
                "amount": pa.array([d.get("amount") for d in dividends], pa.float64()),
            },
            schema=DIVIDENDS,
        ),
        "splits": pa.table(
            {
                "ticker": pa.array([ticker] * len(splits), pa.string()),
                "ex_ts": _epoch_seconds([s["date"] for s in splits]),
                "numerator": pa.array([s.get("numerator") for s in splits], pa.float64()),
                "denominator": pa.array([s.get("denominator") for s in splits], pa.float64()),
            },
            schema=SPLITS,
        ),
    }


def _unwrap_recording(body: Any) -> Any:
    """A chart response as an HTTP recording holds it (node-yahoo-finance2's test recordings:
    `{"request": {"url": …}, "response": {"status": 200, "bodyJson": {"chart": …}}}`, or the body as text under
    `"body"`): the body inside; any other JSON as it is."""
    if isinstance(body, Mapping) and isinstance(body.get("request"), Mapping):
        response = body.get("response")
        if isinstance(response, Mapping) and isinstance(response.get("bodyJson"), Mapping):
            return response["bodyJson"]
        if isinstance(response, Mapping) and isinstance(response.get("body"), str):
            return load_json(response["body"].encode())
    return body


def parse_chart(data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    body = _unwrap_recording(load_json(data))
    chart = require(body, "chart")
    if chart.get("error"):
        error = chart["error"]
        raise ParseError(f"Yahoo returned an error: {error.get('code')}: {error.get('description')}")
    results = require(chart, "result", "chart")
    if not results:
        raise ParseError("chart.result is empty")
    result = results[0]
    meta = require(result, "meta", "chart.result[0]")
    ticker = str(meta.get("symbol") or params.get("ticker") or "")
    if not ticker:
        raise ParseError("the chart meta names no symbol")
    interval = str(params.get("interval") or meta.get("dataGranularity") or "")
    timestamps = result.get("timestamp") or []  # absent when the range holds no bars
    n = len(timestamps)
    quote = (require(result, "indicators", "chart.result[0]").get("quote") or [{}])[0]
    adjclose = (result["indicators"].get("adjclose") or [{}])[0]
    volume = quote.get("volume")
    bars = pa.table(
        {
            "ticker": constant(ticker, pa.string(), n),
            "interval": constant(interval, pa.string(), n),
            "ts": _epoch_seconds(timestamps),
            "open": _float_column(quote, "open", n),
            "high": _float_column(quote, "high", n),
            "low": _float_column(quote, "low", n),
            "close": _float_column(quote, "close", n),
            "volume": pa.array(volume, pa.int64()) if volume is not None else pa.nulls(n, pa.int64()),
            "adjclose": _float_column(adjclose, "adjclose", n),
            "requested_start": _requested(params, "period1", n),
            "requested_end": _requested(params, "period2", n),
        },
        schema=BARS,
    )
    first_trade = meta.get("firstTradeDate")
    instrument = pa.Table.from_pylist(
        [
            {
                "ticker": ticker,
                "currency": meta.get("currency"),
                "exchange_name": meta.get("exchangeName"),
                "full_exchange_name": meta.get("fullExchangeName"),
                "instrument_type": meta.get("instrumentType"),
                "exchange_timezone_name": meta.get("exchangeTimezoneName"),
                "gmtoffset": meta.get("gmtoffset"),
                "long_name": meta.get("longName"),
                "short_name": meta.get("shortName"),
                "first_trade_date": None,
                "data_granularity": meta.get("dataGranularity"),
            }
        ],
        schema=INSTRUMENTS,
    )
    if first_trade is not None:
        instrument = instrument.set_column(
            instrument.schema.get_field_index("first_trade_date"), "first_trade_date", _epoch_seconds([first_trade])
        )
    return {"bars": bars, "instruments": instrument, **_events(result, ticker)}


def _nonzero(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray, int]:
    """yfinance writes 0 for days without an event; returns the values, the event mask and the event count."""
    values = column.cast(pa.float64())
    mask = pc.fill_null(pc.greater(values, 0), False)
    return values, mask, int(pc.sum(mask.cast(pa.int64())).as_py() or 0)


YFINANCE_COLUMNS = ("Datetime", "Open", "High", "Low", "Close", "Adj Close", "Volume")


def parse_yfinance_csv(data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    ticker, interval = params.get("ticker"), params.get("interval")
    if not ticker or interval not in INTERVALS:
        raise ParseError("a yfinance CSV needs params ticker and interval (the file does not name them)")
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            convert_options=pacsv.ConvertOptions(column_types={"Datetime": pa.string(), "Date": pa.string()}),
        )
    except pa.ArrowInvalid as exc:
        raise ParseError(f"unreadable CSV: {exc}") from exc
    if "Date" in table.column_names and "Datetime" not in table.column_names:
        table = table.rename_columns(["Datetime" if c == "Date" else c for c in table.column_names])
    missing = [c for c in YFINANCE_COLUMNS if c not in table.column_names and c != "Adj Close"]
    if missing:
        raise ParseError(f"not a yfinance export: missing columns {missing}")
    n = table.num_rows
    try:
        ts = table["Datetime"].cast(TS_UTC)
        prices = {c: table[c].cast(pa.float64()) for c in ("Open", "High", "Low", "Close")}
        volume = table["Volume"].cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ParseError(f"bad value in a yfinance CSV: {exc}") from exc
    adj = table["Adj Close"].cast(pa.float64()) if "Adj Close" in table.column_names else pa.nulls(n, pa.float64())
    bars = pa.table(
        {
            "ticker": constant(ticker, pa.string(), n),
            "interval": constant(interval, pa.string(), n),
            "ts": ts,
            "open": prices["Open"],
            "high": prices["High"],
            "low": prices["Low"],
            "close": prices["Close"],
            "volume": volume,
            "adjclose": adj,
            "requested_start": pa.nulls(n, TS_UTC),
            "requested_end": pa.nulls(n, TS_UTC),
        },
        schema=BARS,
    )
    out: dict[str, pa.Table] = {"bars": bars}
    if "Dividends" in table.column_names:
        div, mask, count = _nonzero(table["Dividends"])
        out["dividends"] = pa.table(
            {"ticker": pa.array([ticker] * count, pa.string()), "ex_ts": ts.filter(mask), "amount": div.filter(mask)},
            schema=DIVIDENDS,
        )
    if "Stock Splits" in table.column_names:
        ratio, mask, count = _nonzero(table["Stock Splits"])
        out["splits"] = pa.table(
            {
                "ticker": pa.array([ticker] * count, pa.string()),
                "ex_ts": ts.filter(mask),
                "numerator": ratio.filter(mask),
                "denominator": pa.array([1.0] * count, pa.float64()),
            },
            schema=SPLITS,
        )
    return out


def parse(endpoint: str, data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    if endpoint == "chart":
        return parse_chart(data, params)
    if endpoint == "yfinance_csv":
        return parse_yfinance_csv(data, params)
    raise ParseError(f"unknown Yahoo endpoint {endpoint!r}")


_CSV_NAME = re.compile(r"^(?P<ticker>[A-Za-z0-9.^=-]+?)[_-](?P<interval>" + "|".join(INTERVALS) + r")(?![a-z0-9])")


def classify(filename: str, data: bytes) -> tuple[str, dict[str, Any]]:
    head = data[:200].lstrip()
    if head.startswith(b"{"):
        body = _unwrap_recording(load_json(data))
        if not isinstance(body, Mapping) or "chart" not in body:
            raise UnknownFormat(f"{filename}: JSON but not a Yahoo chart response (no 'chart')")
        return "chart", {}
    if head.startswith((b"Datetime,", b"Date,")):
        match = _CSV_NAME.match(filename)
        if not match:
            raise UnknownFormat(
                f"{filename}: a yfinance CSV does not name its ticker; name it <TICKER>-<interval>.csv (AAPL-1m.csv)"
            )
        return "yfinance_csv", {"ticker": match["ticker"].upper(), "interval": match["interval"]}
    raise UnknownFormat(f"{filename}: neither a Yahoo chart JSON body nor a yfinance CSV")
