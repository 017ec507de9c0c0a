"""Yahoo: the parser on every recorded body and export, merge idempotency, and the session seed."""

from __future__ import annotations

import csv
import json
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.ingest.sources.yahoo import settings as yahoo_settings
from pipelines.ingest.sources.yahoo.parse import classify, parse
from pipelines.ingest.spec import ParseError, UnknownFormat
from pipelines.transform.calendars import COLUMNS, SEED, session_rows

AAPL_1M = "chart_AAPL_1m_1727827200_1727913600.json"


def _read(name: str) -> bytes:
    return (yahoo_settings.SAMPLE_DIR / name).read_bytes()


@pytest.mark.parametrize(("name", "endpoint", "params", "_origin"), yahoo_settings.sample_files())
def test_every_sample_file_parses(name, endpoint, params, _origin) -> None:
    tables = parse(endpoint, _read(name), params)
    bars = tables["bars"]
    assert bars.num_rows > 0
    assert bars.column("ticker")[0].as_py() == params["ticker"]
    assert classify(name, _read(name))[0] == endpoint


def test_one_minute_body_epochs_nulls_and_trailing_point() -> None:
    params = {"ticker": "AAPL", "interval": "1m", "period1": "1727827200", "period2": "1727913600"}
    tables = parse("chart", _read(AAPL_1M), params)
    bars = tables["bars"].to_pylist()
    assert len(bars) == 391
    assert bars[0]["ts"] == datetime(2024, 10, 2, 13, 30, tzinfo=UTC)  # 09:30 New York, EDT
    body = json.loads(_read(AAPL_1M))["chart"]["result"][0]
    assert math.isclose(bars[0]["open"], body["indicators"]["quote"][0]["open"][0])
    nulls = [b for b in bars if b["close"] is None]
    assert len(nulls) == sum(1 for c in body["indicators"]["quote"][0]["close"] if c is None)
    last = bars[-1]
    assert last["ts"] == datetime(2024, 10, 3, 20, 0, tzinfo=UTC)  # Yahoo's trailing point ...
    assert last["ts"] >= last["requested_end"]  # ... lies outside the requested range
    (meta,) = tables["instruments"].to_pylist()
    assert (meta["exchange_timezone_name"], meta["currency"], meta["instrument_type"]) == (
        "America/New_York",
        "USD",
        "EQUITY",
    )


def test_daily_body_dividends_and_split() -> None:
    tables = parse("chart", _read("chart_AAPL_1d_1577836800_1609718400.json"), {})
    splits = tables["splits"].to_pylist()
    assert [(s["ex_ts"].date().isoformat(), s["numerator"], s["denominator"]) for s in splits] == [
        ("2020-08-31", 4.0, 1.0)
    ]
    dividends = sorted(d["amount"] for d in tables["dividends"].to_pylist())
    assert dividends == [0.1925, 0.205, 0.205, 0.205]
    assert tables["bars"].column("adjclose").null_count == 0


def test_yfinance_csv_with_extra_column_and_events() -> None:
    tables = parse("yfinance_csv", _read("EWG-1d-no-bad-divs.csv"), {"ticker": "EWG", "interval": "1d"})
    first = tables["bars"].to_pylist()[0]
    assert first["ts"] == datetime(2022, 1, 3, 5, 0, tzinfo=UTC)  # 00:00-05:00
    assert math.isclose(first["close"], 33.15999984741211) and first["volume"] == 1763100
    assert tables["dividends"].num_rows == 5 and tables["splits"].num_rows == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"chart": {"result": null, "error": {"code": "Not Found", "description": "No data found"}}}', "No data"),
        (
            b'{"chart": {"result": [{"meta": {"symbol": "X"}, "timestamp": [1, 2], '
            b'"indicators": {"quote": [{"close": [1.0]}]}}]}}',
            "1 values for 2 timestamps",
        ),
        (
            b'{"chart": {"result": [{"meta": {"symbol": "X"}, "timestamp": [1], '
            b'"indicators": {"quote": [{"close": ["abc"]}]}}]}}',
            "close",
        ),
        (b"{not json", "malformed JSON"),
    ],
)
def test_bad_chart_bodies(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse("chart", body, {})


def test_csv_with_bad_rows_is_refused() -> None:
    data = b"Datetime,Open,High,Low,Close,Adj Close,Volume\n2024-01-02 00:00:00-05:00,1,2,0.5,1.5,1.5,10\nbad,row\n"
    with pytest.raises(ParseError):
        parse("yfinance_csv", data, {"ticker": "X", "interval": "1d"})


def test_classify_refuses_unknown_files() -> None:
    with pytest.raises(UnknownFormat):
        classify("notes.txt", b"hello")
    with pytest.raises(UnknownFormat, match="does not name its ticker"):
        classify("export.csv", b"Datetime,Open\n")


def test_session_seed_matches_exchange_calendars() -> None:
    with SEED.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == COLUMNS
    committed = {tuple(r) for r in rows[1:] if r[0] == "XNYS" and r[1].startswith("2024")}
    expected = {r for r in session_rows("XNYS", "2024-01-01", "2024-12-31")}
    assert committed == expected
    half_days = sorted(r[1] for r in expected if r[5] == "true")
    assert half_days == ["2024-07-03", "2024-11-29", "2024-12-24"]


def test_load_same_file_twice_changes_no_row_count(settings, raw_count, tmp_path: Path) -> None:
    copy = tmp_path / AAPL_1M
    copy.write_bytes(_read(AAPL_1M))
    assert main(["load", "yahoo", "--from", str(copy)]) == 0
    before = raw_count("raw_yahoo.bars")
    assert before == 391
    renamed = tmp_path / "AAPL-again.json"  # same bytes under another name: recognised by hash
    renamed.write_bytes(_read(AAPL_1M))
    assert main(["load", "yahoo", "--from", str(renamed)]) == 0
    assert raw_count("raw_yahoo.bars") == before


def test_overlapping_windows_never_duplicate_a_bar(settings, raw_count, tmp_path: Path) -> None:
    body = json.loads(_read(AAPL_1M))
    result = body["chart"]["result"][0]
    half = len(result["timestamp"]) // 2
    overlap = json.loads(json.dumps(body))
    overlap["chart"]["result"][0]["timestamp"] = result["timestamp"][half - 10 :]
    for key, values in result["indicators"]["quote"][0].items():
        overlap["chart"]["result"][0]["indicators"]["quote"][0][key] = values[half - 10 :]
    # the first window ends 10 bars into the second: the whole day is there only if both load, and once only if
    # the overlap merges
    first_part = json.loads(json.dumps(body))
    first_part["chart"]["result"][0]["timestamp"] = result["timestamp"][: half + 10]
    for key, values in result["indicators"]["quote"][0].items():
        first_part["chart"]["result"][0]["indicators"]["quote"][0][key] = values[: half + 10]
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(first_part))
    second.write_text(json.dumps(overlap))
    assert main(["load", "yahoo", "--from", str(first), str(second)]) == 0
    assert raw_count("raw_yahoo.bars") == 391


@pytest.mark.parametrize("holds", ["bodyJson", "body"])
def test_a_chart_response_inside_an_http_recording_parses_as_the_response(holds: str) -> None:
    # node-yahoo-finance2 records each exchange as {"request": {"url"}, "response": {..., "bodyJson" | "body"}};
    # the sample's 1-minute session was extracted from one (data/sample/yahoo/README.md)
    raw = Path("data/sample/yahoo/chart_AAPL_1m_1727827200_1727913600.json").read_bytes()
    body = json.loads(raw) if holds == "bodyJson" else raw.decode()
    url = "https://query2.finance.yahoo.com/v8/finance/chart/AAPL?interval=1m&period1=1727827200&period2=1727913600"
    recording = {"request": {"url": url}, "response": {"ok": True, "status": 200, holds: body}}
    data = json.dumps(recording, indent=2).encode()
    endpoint, params = classify("chart-AAPL-2024-10-02-interval-1m.json", data)
    assert endpoint == "chart"
    got, expected = parse(endpoint, data, params), parse("chart", raw, {})
    assert set(got) == set(expected)
    assert all(got[name].equals(expected[name]) for name in expected)
    assert got["bars"].num_rows == 391
