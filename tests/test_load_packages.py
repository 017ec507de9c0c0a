"""A merge source's pending files loaded as several dlt packages: the same raw rows as one package, one row per key,
and a later file's bars replacing an earlier file's (partition-wise delete+insert, which keeps a load's memory flat).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from pipelines.config import Settings
from pipelines.ingest import load
from pipelines.ingest.landing import LandingZone, RawFile
from pipelines.ingest.load import load_packages, load_source
from pipelines.ingest.sources.events import SPEC as EVENTS
from pipelines.ingest.sources.yahoo import SPEC
from pipelines.ingest.sources.yahoo import settings as yahoo_settings

BARS = "select ticker, interval, ts, open, high, low, close, volume from raw_yahoo.bars"


def _file_sample_and_a_redelivery(settings: Settings) -> tuple[str, float]:
    """The recorded Yahoo sample, then the first 1-minute chart body again an hour later with its first close
    changed (as a later fetch of the same range would bring it). Returns the ticker and the changed close."""
    zone = LandingZone(settings.landing)
    fetched = datetime(2026, 11, 30, 12, tzinfo=UTC)
    chart = None
    for name, endpoint, params, origin in yahoo_settings.sample_files():
        data = (yahoo_settings.SAMPLE_DIR / name).read_bytes()
        zone.file("yahoo", RawFile(endpoint, name, data, origin, params), fetched)
        if chart is None and endpoint == "chart" and params.get("interval") == "1m":
            chart = (name, data, params, origin)
    assert chart is not None, "the Yahoo sample holds a 1-minute chart body"
    name, data, params, origin = chart
    body = json.loads(data)
    result = body["chart"]["result"][0]
    closes = result["indicators"]["quote"][0]["close"]
    first = next(i for i, v in enumerate(closes) if v is not None)
    closes[first] = closes[first] + 1234.5
    refetched = RawFile("chart", f"refetch-{name}", json.dumps(body).encode(), origin, params)
    zone.file("yahoo", refetched, fetched + timedelta(hours=1))
    return result["meta"]["symbol"], closes[first]


def _rows(settings: Settings) -> list[tuple[object, ...]]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return sorted(con.execute(BARS).fetchall())


def test_packages_cut_merge_sources_by_bytes_and_keep_appends_whole(settings, monkeypatch) -> None:
    _file_sample_and_a_redelivery(settings)
    entries = LandingZone(settings.landing).manifest("yahoo")
    monkeypatch.setattr(load, "MERGE_PACKAGE_BYTES", max(e.bytes for e in entries))
    packages = load_packages(SPEC, entries)
    assert len(packages) > 1
    assert [e for p in packages for e in p] == entries  # every file once, in the order filed
    assert all(sum(e.bytes for e in p) <= load.MERGE_PACKAGE_BYTES for p in packages)
    assert load_packages(EVENTS, entries) == [entries]  # append-only: one package


def test_many_packages_load_what_one_package_loads_and_the_later_fetch_wins(settings, monkeypatch, tmp_path) -> None:
    ticker, changed_close = _file_sample_and_a_redelivery(settings)
    one = load_source(SPEC, settings, full_refresh=True, run_id="one")

    split = replace(settings, warehouse=tmp_path / "split" / "warehouse.duckdb")
    monkeypatch.setattr(load, "MERGE_PACKAGE_BYTES", 1)  # one file per package
    many = load_source(SPEC, split, full_refresh=True, run_id="many")

    assert many.files_loaded == one.files_loaded == len(LandingZone(settings.landing).manifest("yahoo"))
    with duckdb.connect(str(split.warehouse), read_only=True) as con:
        keys, distinct = con.execute(
            "select count(*), count(distinct (ticker, interval, ts)) from raw_yahoo.bars"
        ).fetchone() or (0, 0)
        landed = con.execute("select count(*) from raw_yahoo._landing_files").fetchone()
        loads = con.execute("select count(distinct _dlt_load_id) from raw_yahoo.bars").fetchone()
        closes = con.execute(
            "select close, _landing_path from raw_yahoo.bars where ticker = ? and close = ?", [ticker, changed_close]
        ).fetchall()
    assert keys == distinct > 0
    assert landed == (many.files_loaded,)
    assert loads is not None and loads[0] > 1
    # the re-fetched body was filed last: its package deleted and re-inserted the bars it shares with the first
    assert len(closes) == 1 and "refetch-" in closes[0][1]
    assert many.rows["bars"] >= one.rows["bars"]  # rows handed to dlt; each package's merge keeps one per key
    one_rows = {row[:3]: row for row in _rows(settings)}
    many_rows = {row[:3]: row for row in _rows(split)}
    assert one_rows.keys() == many_rows.keys()


@pytest.mark.parametrize("budget", [1, 1 << 30])
def test_a_second_load_finds_nothing_new_whatever_the_packages(settings, monkeypatch, budget: int) -> None:
    _file_sample_and_a_redelivery(settings)
    monkeypatch.setattr(load, "MERGE_PACKAGE_BYTES", budget)
    first = load_source(SPEC, settings, run_id="first")
    again = load_source(SPEC, settings, run_id="again")
    assert first.files_loaded > 0 and again.files_loaded == 0 and again.rows == {}


KILLED_LOAD = """
import sys
from pipelines.config import load_settings
from pipelines.ingest import load
from pipelines.ingest.sources.yahoo import SPEC
load.MERGE_PACKAGE_BYTES = 1
load.load_source(SPEC, load_settings(), full_refresh=sys.argv[1] == "full", run_id="killed")
"""


def test_a_load_killed_between_packages_loses_nothing(settings, tmp_path) -> None:
    """SIGKILL after the second package is normalised (the first already in DuckDB), then a plain load: the same
    rows and `_landing_files` as an uninterrupted load of the same landing zone."""
    _file_sample_and_a_redelivery(settings)
    env = {**os.environ, "GRANDSTAND_FAULT": "normalized:yahoo:2"}
    killed = subprocess.run([sys.executable, "-c", KILLED_LOAD, "full"], env=env, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        partial = con.execute("select count(*) from raw_yahoo._landing_files").fetchone()
    assert partial is not None and 0 < partial[0] < len(LandingZone(settings.landing).manifest("yahoo"))

    resumed = subprocess.run([sys.executable, "-c", KILLED_LOAD, "incremental"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    whole = replace(settings, warehouse=tmp_path / "whole" / "warehouse.duckdb")
    load_source(SPEC, whole, full_refresh=True, run_id="whole")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        files = con.execute("select count(*) from raw_yahoo._landing_files").fetchone()
    assert files == (len(LandingZone(settings.landing).manifest("yahoo")),)
    assert {r[:3] for r in _rows(settings)} == {r[:3] for r in _rows(whole)}
