"""The Dagster UI in a real browser: the webserver over the sample warehouse (DAGSTER_HOME in a tmp dir), a real run
of a small asset selection launched with `dagster asset materialize`, then headless Chromium (Debian's package,
installed by `make test-ui`) shows the lineage source → raw → staging → mart on the asset graph page and the run as
succeeded on its run page. Screenshots go to artifacts/screenshots/dagster-*.png."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.orchestrate.instance import CODE_LOCATION, write_instance_config
from tests.e2e import cli_env

pytestmark = pytest.mark.ui
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).parents[1] / "artifacts" / "screenshots"
BIN = Path(sys.executable).parent
MART = "fct_crypto_prices"
STAGING = "stg_coincap__asset_history"
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
    "--window-size=1600,1200",
    "--virtual-time-budget=30000",
]


@dataclass
class Dagster:
    url: str
    run_id: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql", json.dumps({"query": query}).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


@pytest.fixture(scope="module")
def dagster(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dagster]:
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: run `make test-ui`, which installs Debian's chromium")
    home = tmp_path_factory.mktemp("dagster_home")
    write_instance_config(home)
    env = {**cli_env(sample_warehouse), "DAGSTER_HOME": str(home)}
    # a real run of a small selection, recorded in the instance the webserver reads: CoinCap's load and its staging
    materialize = subprocess.run(
        [
            str(BIN / "dagster"),
            "asset",
            "materialize",
            "-m",
            CODE_LOCATION,
            "--select",
            f"raw/coincap,staging/{STAGING}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert materialize.returncode == 0, materialize.stderr[-3000:]
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "dagster-webserver"), "-m", CODE_LOCATION, "-h", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/server_info", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the Dagster webserver did not start")
        runs = _graphql(url, "{ runsOrError { ... on Runs { results { runId status } } } }")["runsOrError"]["results"]
        assert [run["status"] for run in runs] == ["SUCCESS"], runs
        yield Dagster(url, runs[0]["runId"])
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _dom(url: str, profile: Path, wanted: str) -> str:
    dom = ""
    for _ in range(4):  # the first render can outlast one virtual-time budget while the server warms up
        dom = subprocess.run(
            [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=180,
        ).stdout
        if wanted in dom:
            break
    return dom


def _screenshot(url: str, profile: Path, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"dagster-{name}.png"
    subprocess.run(
        [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=180,
    )
    assert shot.exists() and shot.stat().st_size > 20_000, "the screenshot is empty"


def test_the_asset_graph_shows_source_raw_staging_mart_lineage(dagster: Dagster, tmp_path: Path) -> None:
    url = f"{dagster.url}/assets/marts/{MART}?view=lineage&lineageScope=upstream&lineageDepth=4"
    dom = _dom(url, tmp_path / "profile", f'data-tooltip="{STAGING}"')
    assert "Traceback" not in dom and "Something went wrong" not in dom
    # the mart's upstream graph holds, as nodes: the mart, the staging model it reads, and the source's extract and
    # raw load (the asset raw/coincap), each linking to its own page
    for node, page in ((MART, f"marts/{MART}"), (STAGING, f"staging/{STAGING}"), ("coincap", "raw/coincap")):
        assert f'data-tooltip="{node}"' in dom, f"{node} is not a node of the lineage graph"
        assert f'href="/assets/{page}?' in dom, f"no link to {page}"
    assert f"/runs/{dagster.run_id}" in dom, "the raw load's node does not show its latest run"
    _screenshot(url, tmp_path / "profile", "lineage")


def test_the_run_page_shows_the_run_succeeded(dagster: Dagster, tmp_path: Path) -> None:
    url = f"{dagster.url}/runs/{dagster.run_id}"
    dom = _dom(url, tmp_path / "profile", "RUN_SUCCESS")
    assert dagster.run_id in dom, "the run page did not render"
    assert "run_success" in dom and ">Success<" in dom.replace(" ", ""), "the run's status is not Success"
    assert "RUN_SUCCESS" in dom and "RUN_FAILURE" not in dom and "STEP_FAILURE" not in dom
    assert STAGING in dom, "the run's steps or assets are not shown"
    _screenshot(url, tmp_path / "profile", "run")
