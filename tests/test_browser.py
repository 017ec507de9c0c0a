"""The dashboards in a real browser: headless Chromium (Debian's package, installed by `make test-ui`) loads each
page from a Streamlit server on 127.0.0.1, checks that it shows no error and that charts and tables hold data, and
saves a screenshot per page to artifacts/screenshots/."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.serve.dashboard.app import PAGES
from tests.e2e import cli_env

pytestmark = pytest.mark.ui
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).parents[1] / "artifacts" / "screenshots"
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
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.parametrize("page", PAGES)
def test_page_in_chromium(server: str, page: str, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = f"{server}/?page={page}"
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = ""
    for _ in range(4):  # the first render of a page can outlast one virtual-time budget while the server warms up
        dom = subprocess.run(
            [CHROMIUM, *FLAGS, *profile, "--dump-dom", url], capture_output=True, text=True, timeout=180
        ).stdout
        if 'data-testid="stVegaLiteChart"' in dom or 'data-testid="stDataFrame"' in dom:
            break
    assert 'data-testid="stApp"' in dom, "the page did not render"
    assert "stException" not in dom and "Traceback" not in dom, "the page shows an error"
    charts = dom.count('data-testid="stVegaLiteChart"')
    tables = dom.count('data-testid="stDataFrame"')
    assert charts + tables > 0, "no chart or table on the page"
    if page != "pipeline":
        assert (charts > 0 and "<canvas" in dom) or "<svg" in dom, "charts hold no drawing"
    shot = SHOTS / f"{page}.png"
    for _ in range(4):  # like the DOM above: a first capture can come before the page has drawn
        subprocess.run([CHROMIUM, *FLAGS, *profile, f"--screenshot={shot}", url], capture_output=True, timeout=180)
        if shot.exists() and shot.stat().st_size > 20_000:
            break
    assert shot.exists() and shot.stat().st_size > 20_000, "the screenshot is empty"
