"""A daily run's data tests look only at what the run loaded, and still fail on bad new data.

As a user would run it, in subprocesses: the Yahoo sample is built (a full refresh tests every row); then one
GENERATED session of 1-minute bars, a day after the sample's, with one bar whose high is below its low, is filed in
the landing zone; the plain `grandstand run yahoo` that loads it must fail on it, with the tests narrowed to the days
that run loaded (macros/incremental/tests_on_new_partitions.sql).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipelines.ingest.landing import LandingZone, RawFile
from tests.e2e import run_cli
from tests.generators.yahoo_chart import ChartConfig, bodies

pytestmark = pytest.mark.slow

NEW_SESSION = date(2024, 10, 2)  # the sample's only 1-minute session is 2024-10-01
TEST = "stg_yahoo__bars_prices_in_order"


def _file_bad_session(landing: Path) -> None:
    """One generated session of GEN000 (meta `generated: true`), its 31st bar's high put 1.0 below its low, filed
    into the landing zone as the next scheduled fetch would be."""
    name, body, params = next(bodies(ChartConfig(tickers=1, first_day=NEW_SESSION, days=1)))
    chart = json.loads(body)
    quote = chart["chart"]["result"][0]["indicators"]["quote"][0]
    quote["high"][30] = quote["low"][30] - 1.0
    bad = json.dumps(chart).encode()
    LandingZone(landing).file("yahoo", RawFile("chart", name, bad, f"generated:{name}", params))


def _compiled_test(root: Path, name: str) -> str:
    compiled = root / "target" / "compiled" / "grandstand" / "models" / "staging" / "yahoo" / "_yahoo__models.yml"
    return (compiled / f"{name}.sql").read_text()


def test_daily_run_tests_only_new_days_and_fails_on_a_bad_bar(tmp_path: Path) -> None:
    run_cli(tmp_path, "run", "yahoo", "--full-refresh")
    whole = _compiled_test(tmp_path, TEST)
    assert "ts_utc >=" not in whole, "a full refresh must test the whole table"

    _file_bad_session(tmp_path / "landing")
    proc = run_cli(tmp_path, "run", "yahoo", check=False)
    output = proc.stdout + proc.stderr

    assert proc.returncode != 0, output[-3000:]
    assert TEST in output, output[-3000:]
    scoped = _compiled_test(tmp_path, TEST)
    assert f"ts_utc >= cast('{NEW_SESSION.isoformat()}' as date)" in scoped, scoped
