"""The data API over a real HTTP server on 127.0.0.1 (uvicorn), on a copy of the warehouse built from the sample:
its contract and errors, keyset pages, ETag/304, CSV, API keys, and reads while a writer holds the warehouse."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import requests
import uvicorn
from fastapi import FastAPI

from pipelines.config import PROJECT_ROOT, Settings
from pipelines.operate.reader import snapshot_path
from pipelines.serve.api.app import create_app
from pipelines.serve.api.resources import encode_cursor
from pipelines.serve.api.routers.racing import MEETING
from pipelines.serve.api.spec import SPEC_PATH, spec_text

pytestmark = pytest.mark.slow


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port of 127.0.0.1 in a thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def api_settings(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A copy of the session's sample warehouse (and its last good copy): the writer tests write to it."""
    root = tmp_path_factory.mktemp("api")
    source = Settings(mode="sample", warehouse=sample_warehouse / "warehouse.duckdb", landing=root / "landing")
    settings = Settings(mode="sample", warehouse=root / "warehouse.duckdb", landing=root / "landing")
    shutil.copyfile(source.warehouse, settings.warehouse)
    shutil.copyfile(snapshot_path(source), snapshot_path(settings))
    return settings


@pytest.fixture(scope="module")
def base(api_settings: Settings) -> Iterator[str]:
    with serving(create_app(api_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def con(api_settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse read directly, to check the API against. Opened per query: a held connection would be a
    reader the writer tests have to wait for."""

    class PerQuery:
        def execute(self, sql: str, params: list[object] | None = None) -> list[tuple]:
            c = duckdb.connect(str(api_settings.warehouse), read_only=True)
            try:
                return c.execute(sql, params or []).fetchall()
            finally:
                c.close()

    yield PerQuery()  # type: ignore[misc]


def _loc(response: requests.Response) -> list[list[str]]:
    assert response.status_code == 422, response.text
    return [d["loc"] for d in response.json()["detail"]]


# ---- the spec ---------------------------------------------------------------------------------------------------


def test_committed_spec_matches_the_app() -> None:
    assert SPEC_PATH.read_text() == spec_text(), "docs/api/openapi.json drifted: run python -m pipelines.serve.api.spec"


def test_openapi_and_docs_are_served(base: str) -> None:
    spec = requests.get(f"{base}/openapi.json", timeout=30).json()
    assert spec["openapi"].startswith("3.1")
    assert {"/f1/seasons/{season}/races", "/markets/tickers/{ticker}/bars-1m", "/racing/races"} <= set(spec["paths"])
    docs = requests.get(f"{base}/docs", timeout=30)
    assert docs.status_code == 200 and "swagger-ui" in docs.text.lower()


# ---- contract -----------------------------------------------------------------------------------------------------


def test_keyset_pages_cover_a_collection_exactly_once_in_order(base: str, con) -> None:
    seen: list[tuple[str, str]] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": 150, **({"cursor": cursor} if cursor else {})}
        body = requests.get(f"{base}/racing/meetings", params=params, timeout=30).json()
        seen += [(m["race_date"], m["racecourse"]) for m in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    expected = con.execute("select count(*) from (select distinct race_date, racecourse from marts.fct_racing_races)")
    assert pages > 1
    assert len(seen) == len(set(seen)) == expected[0][0]
    assert seen == sorted(seen)


def test_a_page_past_the_end_is_empty(base: str, con) -> None:
    last = con.execute("select race_date, racecourse from marts.fct_racing_races order by 1 desc, 2 desc limit 1")[0]
    past = encode_cursor(MEETING, {"race_date": last[0], "racecourse": last[1]})
    body = requests.get(f"{base}/racing/meetings", params={"cursor": past}, timeout=30).json()
    assert body == {"items": [], "next_cursor": None}


def test_a_cursor_from_another_collection_or_forged_is_a_422(base: str) -> None:
    races = requests.get(f"{base}/racing/races", params={"limit": 1}, timeout=30).json()
    assert races["next_cursor"]
    assert _loc(requests.get(f"{base}/racing/meetings", params={"cursor": races["next_cursor"]}, timeout=30)) == [
        ["query", "cursor"]
    ]
    assert _loc(requests.get(f"{base}/racing/races", params={"cursor": "bm90LWEtY3Vyc29y"}, timeout=30)) == [
        ["query", "cursor"]
    ]


def test_minute_bars_in_a_time_range_match_the_mart(base: str, con) -> None:
    ticker, first, last = con.execute(
        "select ticker, min(ts_utc), max(ts_utc) from marts.fct_markets_bars_1m group by 1 order by 1 limit 1"
    )[0]
    start = first + (last - first) / 4
    end = first + (last - first) / 2
    got = requests.get(
        f"{base}/markets/tickers/{ticker.lower()}/bars-1m",
        params={"start": start.isoformat(), "end": end.isoformat(), "limit": 1000},
        timeout=30,
    ).json()
    expected = con.execute(
        "select bar_key from marts.fct_markets_bars_1m where ticker = ? and ts_utc >= ? and ts_utc < ? order by ts_utc",
        [ticker, start, end],
    )
    assert [b["bar_key"] for b in got["items"]] == [r[0] for r in expected] and expected


def test_standings_after_a_round_match_the_mart(base: str, con) -> None:
    season, rounds = con.execute(
        "select season, list(distinct round_number order by round_number) from marts.fct_f1_driver_standings "
        "group by 1 having count(distinct round_number) > 1 order by 1 desc limit 1"
    )[0]
    after = rounds[-2]  # a round before the last one with standings (the sample has some rounds, not all)
    body = requests.get(f"{base}/f1/seasons/{season}/driver-standings", params={"after_round": after}, timeout=30)
    expected = con.execute(
        "select driver_id, points from marts.fct_f1_driver_standings where season = ? and round_number = ? "
        "order by position",
        [season, after],
    )
    assert [(s["driver_id"], s["points"]) for s in body.json()["items"]] == expected
    default = requests.get(f"{base}/f1/seasons/{season}/driver-standings", timeout=30).json()["items"]
    assert {s["round_number"] for s in default} == {rounds[-1]}


def test_race_resources_link_up(base: str) -> None:
    races = requests.get(f"{base}/f1/seasons/2021/races", timeout=30).json()["items"]
    race = races[0]
    assert requests.get(f"{base}/f1/races/{race['race_key']}", timeout=30).json() == race
    results = requests.get(f"{base}/f1/races/{race['race_key']}/results", timeout=30).json()["items"]
    assert len(results) == race["race_results"] and [r["position_order"] for r in results] == sorted(
        r["position_order"] for r in results
    )
    stops = requests.get(f"{base}/f1/races/{race['race_key']}/pit-stops", timeout=30)
    assert stops.status_code == 200 and all(s["race_key"] == race["race_key"] for s in stops.json()["items"])


def test_predictions_are_served_or_clearly_absent(base: str, con) -> None:
    present = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = ?",
        ["f1_race_predictions"],
    )[0][0]
    race_key = con.execute("select race_key from marts.dim_f1_race order by season desc, round_number limit 1")[0][0]
    response = requests.get(f"{base}/f1/races/{race_key}/predictions", timeout=30)
    if not present:
        assert response.status_code == 404 and "f1_race_predictions" in response.json()["detail"]
        pytest.skip("the f1_race_predictions mart is not in this build yet: only its 404 was checked")
    items = response.json()["items"]
    assert [p["predicted_rank"] for p in items] == sorted(p["predicted_rank"] for p in items)
    if items:
        assert abs(sum(p["win_probability"] for p in items) - 1) < 1e-6


# ---- errors -----------------------------------------------------------------------------------------------------


def test_a_malformed_ticker_is_a_422_and_an_unknown_one_a_404(base: str) -> None:
    assert _loc(requests.get(f"{base}/markets/tickers/NOT A TICKER!/daily-bars", timeout=30)) == [["path", "ticker"]]
    unknown = requests.get(f"{base}/markets/tickers/ZZZZQ/daily-bars", timeout=30)
    assert unknown.status_code == 404 and "ZZZZQ" in unknown.json()["detail"]


def test_a_reversed_date_range_is_a_422_naming_the_parameter(base: str) -> None:
    bad_days = requests.get(
        f"{base}/markets/tickers/AAPL/daily-bars", params={"date_from": "2024-03-01", "date_to": "2024-02-01"}
    )
    assert _loc(bad_days) == [["query", "date_to"]] and "before date_from" in bad_days.json()["detail"][0]["msg"]
    bad_times = requests.get(
        f"{base}/markets/tickers/AAPL/bars-1m", params={"start": "2024-10-03T15:00:00Z", "end": "2024-10-03T14:00:00Z"}
    )
    assert _loc(bad_times) == [["query", "end"]]


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/racing/races", {"racecourse": "XX"}, "racecourse"),
        ("/racing/races", {"limit": 0}, "limit"),
        ("/racing/races", {"limit": 5000}, "limit"),
        ("/racing/races", {"date_from": "yesterday"}, "date_from"),
        ("/racing/jockeys", {"min_rides": -1}, "min_rides"),
        ("/racing/races", {"format": "xml"}, "format"),
        ("/racing/races", {"colour": "red"}, "colour"),
        ("/f1/races/x/results", {"session_type": "qualifying"}, "session_type"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(base: str, path: str, params: dict[str, object], name: str) -> None:
    assert ["query", name] in _loc(requests.get(f"{base}{path}", params=params, timeout=30))


@pytest.mark.parametrize(
    "path",
    [
        "/f1/races/0000000000",
        "/f1/races/0000000000/laps",
        "/f1/seasons/2099/races",
        "/f1/seasons/2099/driver-standings",
        "/racing/races/nope",
        "/racing/races/nope/runners",
        "/racing/horses/NOPE/form",
        "/racing/jockeys/nobody",
        "/crypto/assets/not-a-coin/prices",
        "/markets/tickers/ZZZZQ",
    ],
)
def test_an_unknown_id_is_a_404(base: str, path: str) -> None:
    response = requests.get(f"{base}{path}", timeout=30)
    assert response.status_code == 404 and response.json()["detail"].endswith("not found"), response.text


# ---- caching and CSV ----------------------------------------------------------------------------------------------


def test_etag_and_cache_control_come_from_the_last_build(base: str, con) -> None:
    first = requests.get(f"{base}/crypto/assets", timeout=30)
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    built = con.execute("select max(transformed_at) from audit.load_runs where run_status = 'ok'")[0][0]
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(first.headers["Last-Modified"]) == built.replace(microsecond=0)
    again = requests.get(f"{base}/crypto/assets", headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    other = requests.get(f"{base}/crypto/assets/bitcoin", headers={"If-None-Match": etag}, timeout=30)
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_csv_by_parameter_or_accept_header_matches_json(base: str) -> None:
    params = {"limit": 50}
    as_json = requests.get(f"{base}/crypto/assets/bitcoin/daily-summaries", params=params, timeout=30)
    by_param = requests.get(
        f"{base}/crypto/assets/bitcoin/daily-summaries", params={**params, "format": "csv"}, timeout=30
    )
    by_accept = requests.get(
        f"{base}/crypto/assets/bitcoin/daily-summaries", params=params, headers={"Accept": "text/csv"}, timeout=30
    )
    assert by_param.headers["content-type"].startswith("text/csv") and by_param.text == by_accept.text
    assert by_param.headers["ETag"] != as_json.headers["ETag"]
    rows = list(csv.DictReader(io.StringIO(by_param.text)))
    items = as_json.json()["items"]
    assert [r["summary_key"] for r in rows] == [i["summary_key"] for i in items] and len(rows) == 50
    assert [float(r["close_usd"]) for r in rows] == [i["close_usd"] for i in items]
    assert by_param.headers["X-Next-Cursor"] == as_json.json()["next_cursor"]


# ---- API keys -----------------------------------------------------------------------------------------------------


def test_api_keys_and_rate_limit_in_live_mode_only(api_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRANDSTAND_API_KEYS", "key-one-5b2e, key-two-9c1d")
    monkeypatch.setenv("GRANDSTAND_API_RATE_LIMIT", "3")
    live = Settings(mode="live", warehouse=api_settings.warehouse, landing=api_settings.landing)
    with serving(create_app(live)) as url:
        assert requests.get(f"{url}/meta", timeout=30).status_code == 401
        assert requests.get(f"{url}/meta", headers={"X-API-Key": "key-three"}, timeout=30).status_code == 401
        codes = [requests.get(f"{url}/meta", headers={"X-API-Key": "key-one-5b2e"}, timeout=30) for _ in range(4)]
        assert [r.status_code for r in codes] == [200, 200, 200, 429]
        assert int(codes[-1].headers["Retry-After"]) >= 1
        assert requests.get(f"{url}/meta", headers={"X-API-Key": "key-two-9c1d"}, timeout=30).status_code == 200
    with serving(create_app(api_settings)) as url:  # sample mode: keys are off even when set
        assert requests.get(f"{url}/meta", timeout=30).status_code == 200


# ---- read-only under a writer -------------------------------------------------------------------------------------

HOLD_CONNECTION = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('writing', flush=True); time.sleep(60)"
)
RUN_LIKE_WRITER = """
import sys, time, duckdb
from pathlib import Path
from pipelines.operate.lock import writer_lock

failed = 0
with writer_lock(Path(sys.argv[2])):
    print("locked", flush=True)
    sys.stdin.readline()  # the test starts reading, then tells the writer to go
    for i in range(8):  # as a run does: many short read-write connections, one after another
        try:
            con = duckdb.connect(sys.argv[1])
            con.execute("create table if not exists main.api_writer_probe (i integer)")
            con.execute("insert into main.api_writer_probe values (?)", [i])
            con.close()
        except (duckdb.IOException, duckdb.ConnectionException):
            failed += 1
        time.sleep(0.01)
    print(f"done {failed}", flush=True)
    sys.stdin.readline()  # hold the lock until the test has stopped reading
"""


def test_reads_the_last_good_copy_while_a_writer_holds_the_warehouse(base: str, api_settings: Settings) -> None:
    live = requests.get(f"{base}/meta", timeout=30)
    assert live.json()["serving_last_good_copy"] is False and "X-Grandstand-Source" not in live.headers
    os.utime(api_settings.warehouse)  # a write since the last good copy: the API must read the warehouse itself
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_CONNECTION, str(api_settings.warehouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        meta = requests.get(f"{base}/meta", timeout=30)
        races = requests.get(f"{base}/f1/seasons/2021/races", timeout=30)
    finally:
        writer.kill()
        writer.wait()
    assert meta.json()["serving_last_good_copy"] is True and meta.headers["X-Grandstand-Source"] == "last-good-copy"
    assert races.status_code == 200 and races.json()["items"]


def test_reads_never_stop_a_run_writing(base: str, api_settings: Settings) -> None:
    """A writer holding the run's lock opens and closes the warehouse 8 times while the API is read from in a
    loop: every write gets the file, and every read is answered from the last good copy."""
    writer = subprocess.Popen(
        [sys.executable, "-c", RUN_LIKE_WRITER, str(api_settings.warehouse), str(api_settings.lock_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert writer.stdin is not None and writer.stdout is not None
    answers: list[requests.Response] = []
    stop = threading.Event()

    def read_loop() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                answers.append(session.get(f"{base}/racing/races", params={"limit": 5}, timeout=30))

    try:
        assert writer.stdout.readline().strip() == "locked"
        readers = [threading.Thread(target=read_loop) for _ in range(4)]
        for t in readers:
            t.start()
        writer.stdin.write("go\n")
        writer.stdin.flush()
        done = writer.stdout.readline().strip()
        stop.set()
        for t in readers:
            t.join(timeout=30)
        writer.stdin.write("exit\n")
        writer.stdin.flush()
        writer.wait(timeout=60)
    finally:
        stop.set()
        writer.kill()
        writer.wait()
    assert done == "done 0", f"the writer could not open the warehouse: {done}"
    assert len(answers) >= 8 and all(r.status_code == 200 for r in answers)
    assert {r.headers.get("X-Grandstand-Source") for r in answers} == {"last-good-copy"}
    after = requests.get(f"{base}/meta", timeout=30).json()  # the run is over: back to the warehouse itself
    assert after["serving_last_good_copy"] is False


# ---- rendering (rows become JSON in DuckDB, not through a pydantic model per row) -------------------------------


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


@pytest.mark.parametrize(
    ("path", "resource_name", "table", "order"),
    [
        ("/markets/tickers/AAPL/bars-1m?limit=1000", "BAR_1M", "marts.fct_markets_bars_1m where ticker = 'AAPL'", ""),
        ("/crypto/assets/bitcoin/prices?limit=1000", "PRICE", "marts.fct_crypto_prices where asset_id = 'bitcoin'", ""),
        ("/crypto/assets", "ASSET", "marts.dim_crypto_asset", "market_cap_rank nulls last, asset_id"),
        ("/racing/meetings?limit=1000", "MEETING", "", ""),
    ],
)
def test_rows_render_as_their_response_model_would(
    base: str, api_settings: Settings, path: str, resource_name: str, table: str, order: str
) -> None:
    """What DuckDB renders is what the response model renders from the same rows, value for value."""
    from pipelines.serve.api.routers import crypto, markets, racing

    res = {"BAR_1M": markets.BAR_1M, "PRICE": crypto.PRICE, "ASSET": crypto.ASSET, "MEETING": racing.MEETING}[
        resource_name
    ]
    source = table or res.table
    keys = order or ", ".join(res.keys)
    c = duckdb.connect(str(api_settings.warehouse), read_only=True)
    try:
        cursor = c.execute(f"select {res.select_list} from {source} order by {keys} limit 1000")
        names = [d[0] for d in cursor.description or []]
        expected = [
            json.loads(res.model(**dict(zip(names, row, strict=True))).model_dump_json()) for row in cursor.fetchall()
        ]
    finally:
        c.close()
    got = json.loads(requests.get(f"{base}{path}", timeout=30).text, parse_constant=_reject_constant)["items"]
    assert got == expected and expected
    assert [list(item) for item in got[:1]] == [list(res.columns)]  # the model's column order


def test_edge_values_render_as_pydantic_does() -> None:
    """NaN and infinities become null, date-times UTC with Z (microseconds only when present, before 1970 too),
    strings escaped; CSV carries the same date-time text."""
    from datetime import UTC, datetime

    from pipelines.serve.api.rendering import csv_bytes, json_items
    from pipelines.serve.api.resources import Resource, page, rows

    res = Resource(
        "EdgeRow",
        "edge",
        {"k": int, "seen_at": datetime, "x": float, "s": str, "ok": bool},
        keys=("k",),
    )
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'Asia/Hong_Kong'")  # rendering must not depend on the session's zone
    con.execute(
        """create table edge as select * from (values
             (1, timestamptz '2024-10-03 14:30:00+00', 'nan'::double, 'say "hi" é', true),
             (2, timestamptz '2024-10-03 14:30:00.5+00', 'inf'::double, null, false),
             (3, timestamptz '1950-05-13 13:00:00+00', '-inf'::double, 'a,b', null),
             (4, null, 1e-5, '', true)) as t(k, seen_at, x, s, ok)"""
    )
    got = json.loads(json_items(rows(con, res, [])), parse_constant=_reject_constant)["items"]
    records = [
        {
            "k": 1,
            "seen_at": datetime(2024, 10, 3, 14, 30, tzinfo=UTC),
            "x": float("nan"),
            "s": 'say "hi" é',
            "ok": True,
        },
        {"k": 2, "seen_at": datetime(2024, 10, 3, 14, 30, 0, 500000, tzinfo=UTC), "x": float("inf"), "ok": False},
        {"k": 3, "seen_at": datetime(1950, 5, 13, 13, tzinfo=UTC), "x": float("-inf"), "s": "a,b"},
        {"k": 4, "x": 1e-5, "s": "", "ok": True},
    ]
    assert got == [json.loads(res.model(**r).model_dump_json()) for r in records]
    table, cursor = page(con, res, [], 3, None, "csv")
    lines = csv_bytes(table, list(res.columns)).decode().splitlines()
    assert cursor is not None and len(lines) == 4
    assert [row["seen_at"] for row in csv.DictReader(io.StringIO("\n".join(lines)))] == [
        "2024-10-03T14:30:00Z",
        "2024-10-03T14:30:00.500000Z",
        "1950-05-13T13:00:00Z",
    ]
