"""The dashboards in a real browser: headless Chromium (Debian's package, installed by `make test-ui`) loads each
page from a Streamlit server on 127.0.0.1, checks that it shows no error and that charts and tables hold data, and
saves a screenshot per page to artifacts/screenshots/ (`SCREENSHOTS=docs/screenshots` retakes the README's).

The charts render as SVG with ARIA labels (pipelines/serve/dashboard/charts.py), so what a reader sees is in the
page: the y axis's range, and every line segment, candle and point with its data. The chart tests read those and
compare them with the sample warehouse."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.config import Settings
from pipelines.serve.dashboard import explore
from pipelines.serve.dashboard import queries as q
from pipelines.serve.dashboard.app import PAGES, TRADING_DAYS_GAP, favourite_table
from pipelines.serve.metrics import MANIFEST_FILE, SemanticLayer, load_manifest
from tests.e2e import cli_env

pytestmark = pytest.mark.ui
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).parents[1]
SHOTS = ROOT / os.environ.get("SCREENSHOTS", "artifacts/screenshots")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,1600",
    "--virtual-time-budget=25000",
    "--timeout=20000",  # real time as well: a page whose figures come from the semantic layer can outlast the budget
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: run `make test-ui`, which installs Debian's chromium")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "dashboard", "--port", str(port)],
        env=cli_env(sample_warehouse),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the dashboard server did not start")
    # the first page a fresh server draws imports MetricFlow and fills the figure cache: draw each once, unjudged
    for page in PAGES:
        _dump_dom(f"{url}/?page={page}", tmp_path_factory.mktemp(f"warm-{page}"))
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _dump_dom(url: str, profile: Path) -> str:
    dom = ""
    for _ in range(6):  # the first render of a page can outlast one virtual-time budget while the server warms up
        dom = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=180,
        ).stdout
        if 'data-testid="stVegaLiteChart"' in dom or 'data-testid="stDataFrame"' in dom:
            break
    return dom


@pytest.fixture(scope="module")
def page_dom(server: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """Each page's DOM as Chromium rendered it, dumped once per module."""
    doms: dict[str, str] = {}

    def dom(page: str) -> str:
        if page not in doms:
            doms[page] = _dump_dom(f"{server}/?page={page}", tmp_path_factory.mktemp(f"profile-{page}"))
        return doms[page]

    return dom


@pytest.fixture(scope="module")
def con(sample_warehouse: Path):
    connection = duckdb.connect(str(sample_warehouse / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def layer(sample_warehouse: Path):
    settings = Settings(
        mode="sample", warehouse=sample_warehouse / "warehouse.duckdb", landing=sample_warehouse / "landing"
    )
    with SemanticLayer(settings, load_manifest(sample_warehouse / "target" / MANIFEST_FILE)) as semantic:
        yield semantic


@pytest.mark.parametrize("page", PAGES)
def test_page_in_chromium(server: str, page_dom: Callable[[str], str], page: str, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = f"{server}/?page={page}"
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = page_dom(page)
    assert 'data-testid="stApp"' in dom, "the page did not render"
    assert "stException" not in dom and "Traceback" not in dom, "the page shows an error"
    charts = dom.count('data-testid="stVegaLiteChart"')
    tables = dom.count('data-testid="stDataFrame"')
    assert charts + tables > 0, "no chart or table on the page"
    if page != "pipeline":
        assert (charts > 0 and "<canvas" in dom) or "<svg" in dom, "charts hold no drawing"
    shot = SHOTS / f"{page}.png"
    for _ in range(6):  # like the DOM above: a first capture can come before the page has drawn
        subprocess.run([CHROMIUM, *FLAGS, *profile, f"--screenshot={shot}", url], capture_output=True, timeout=180)
        if _drawn_share(shot) > 0.01:
            break
    assert _drawn_share(shot) > 0.01, "the screenshot shows no chart or table (the page had not drawn)"


def _drawn_share(shot: Path) -> float:
    """The share of the main area (below the title, right of the sidebar) that is not blank: a page caught before
    its charts and tables drew is white there."""
    from PIL import Image

    if not shot.exists():
        return 0.0
    with Image.open(shot) as image:
        main = image.convert("L").crop((380, 250, image.width, image.height - 100))
        return sum(main.histogram()[:235]) / (main.width * main.height)


# ---- what the charts show, read from the rendered SVG -----------------------------------------------------------

AXIS = re.compile(r"Y-axis(?: titled '[^']*')? for a linear scale with values from (-?[\d.,]+) to (-?[\d.,]+)")
MARK = re.compile(r'<g class="mark-(\w+) role-mark[^"]*"|<(?:path|line)\b[^>]*aria-label="([^"]*)"')


def _chart(dom: str, key: str) -> str:
    """The SVG of the chart in the `st.container(key=...)` named `key`."""
    start = dom.find(f"st-key-{key}")
    assert start >= 0, f"no chart {key!r} on the page"
    end = dom.find("st-key-", start + 10)
    return dom[start : end if end > 0 else len(dom)]


def _y_axis(svg: str) -> tuple[float, float]:
    found = AXIS.search(svg)
    assert found, "the chart has no linear y axis"
    low, high = (float(v.replace(",", "")) for v in found.groups())
    return low, high


def _marks(svg: str) -> dict[str, list[dict[str, str]]]:
    """Each drawn item's data by mark type (line, rect, rule, symbol), from the ARIA labels Vega gives them."""
    marks: dict[str, list[dict[str, str]]] = {}
    kind = ""
    for found in MARK.finditer(svg):
        if found.group(1):
            kind = found.group(1)
            continue
        fields = (pair.split(": ", 1) for pair in found.group(2).split("; ") if ": " in pair)
        marks.setdefault(kind, []).append({k.strip(): v for k, v in fields})
    return marks


def _runs(dates: pd.Series, max_gap: pd.Timedelta, by: pd.Series | None = None) -> int:
    """How many contiguous runs the data has: one more than the gaps wider than `max_gap` (or changes of `by`)."""
    starts = pd.to_datetime(dates).diff() > max_gap
    if by is not None:
        starts = starts | (by != by.shift())
    return int(starts.iloc[1:].sum()) + 1


def _assert_fitted(low: float, high: float, values: pd.Series) -> None:
    lo, hi = float(values.min()), float(values.max())
    assert low <= lo and high >= hi, f"the axis {low}..{high} cuts the data {lo}..{hi}"
    assert lo - low <= hi - lo, f"the axis starts at {low}, far below the data ({lo}..{hi}): it is not fitted"


def test_minute_bars_axis_fits_the_session(page_dom: Callable[[str], str], con) -> None:
    first = q.minute_sessions(con).iloc[0]  # the session the page shows first
    bars = q.minute_bars(con, first["ticker"], str(first["session_date"])[:10])
    low, high = _y_axis(_chart(page_dom("markets"), "minute-bars"))
    assert low > 0, f"the 1-minute chart's y axis starts at {low}: a session would be a flat line"
    _assert_fitted(low, high, pd.concat([bars["close_price"], bars["session_vwap"]]))


def test_daily_lines_break_at_gaps(page_dom: Callable[[str], str], con) -> None:
    tickers = q.daily_tickers(con)
    daily = q.daily_bars(con, "AAPL" if "AAPL" in tickers else tickers[0])
    expected = _runs(daily["session_date"], TRADING_DAYS_GAP)
    assert expected >= 2, "the sample's daily bars have no gap to break at"
    marks = _marks(_chart(page_dom("markets"), "daily-bars"))
    drawn = {m["segment"] for kind in ("line", "symbol") for m in marks.get(kind, []) if m.get("series") == "adj_close"}
    assert len(drawn) == expected, f"adj_close drawn as {len(drawn)} runs; the data has {expected} (gaps not broken)"
    _assert_fitted(*_y_axis(_chart(page_dom("markets"), "daily-bars")), daily["adj_close"])


def test_favourites_break_between_the_history_and_the_pages(page_dom: Callable[[str], str], con, layer) -> None:
    course = q.racecourses(con)[0]  # the racecourse the page shows first
    fav = favourite_table(layer, course)
    expected = _runs(fav["race_year"], pd.Timedelta(days=366), fav["data_source"])
    assert expected >= 2, "the sample's favourites have no gap between the history and the pages"
    lines = _marks(_chart(page_dom("racing"), "favourites")).get("line", [])
    rate_lines = [m for m in lines if m.get("series") == "favourite_win_rate"]
    assert len(rate_lines) == expected, f"{len(rate_lines)} lines for {expected} runs of years: gaps are joined"


def test_crypto_candles_carry_the_daily_bar(page_dom: Callable[[str], str], con) -> None:
    assets = q.crypto_assets(con)
    first = assets.iloc[0]  # the asset and source the page shows first
    daily = q.crypto_daily(con, first["asset_id"], first["price_source"])
    svg = _chart(page_dom("crypto"), "crypto-daily")
    bodies = _marks(svg).get("rect", [])
    assert len(bodies) == len(daily), f"{len(bodies)} candles for {len(daily)} days"
    ohlc = [tuple(float(m[c]) for c in ("open_usd", "high_usd", "low_usd", "close_usd")) for m in bodies]
    flat = sum(1 for o, h, lo, c in ohlc if o == h == lo == c)
    assert flat < len(ohlc) / 20, f"{flat} of {len(ohlc)} candles have open = high = low = close"
    assert all(lo <= min(o, c) and h >= max(o, c) for o, h, lo, c in ohlc), "a candle's body lies outside its wick"
    _assert_fitted(*_y_axis(svg), pd.concat([daily["low_usd"], daily["high_usd"]]))


def test_racing_shows_no_raw_history_ids(page_dom: Callable[[str], str]) -> None:
    dom = page_dom("racing")
    assert "History dataset jockey #" in dom and "History dataset trainer #" in dom, "unnamed ids are not labelled"
    raw = re.findall(r"kaggle-\d+", dom)
    assert not raw, f"raw history ids shown as names: {raw[:5]}"


def test_self_service_page_draws_the_metric(page_dom: Callable[[str], str], layer) -> None:
    """The explore page's default slice (F1 wins by year) drawn in Chromium: one point per year MetricFlow returns."""
    frame = layer.query(explore.build_query(["f1_wins"], "year", [], None, None))
    svg = _chart(page_dom("explore"), "explore-chart")
    points = [m for m in _marks(svg).get("symbol", []) if m.get("metric") == "f1_wins"]
    assert len(frame) > 10 and len(points) == len(frame), f"{len(points)} points for {len(frame)} seasons"
    drawn = sorted(float(m["value"].replace(",", "")) for m in points)
    assert drawn == pytest.approx(sorted(frame["f1_wins"].astype(float)))
    assert "download CSV" in page_dom("explore"), "no CSV download"
