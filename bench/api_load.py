"""API load: 20 concurrent clients against each endpoint of `grandstand api`, served by uvicorn in its own process
over a given warehouse; p50/p95/p99 latency per endpoint. The target (issue 19) is p95 < 200 ms.

`measure_api(warehouse)` returns one row per endpoint in the shape of bench/results.json's cases; run it alone with
`python -m bench.api_load <warehouse.duckdb>`.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

from pipelines.config import PROJECT_ROOT

CLIENTS = 20
REQUESTS_PER_CLIENT = 10
TARGET_P95_MS = 200.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(warehouse: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRANDSTAND_")}
    env.update(GRANDSTAND_WAREHOUSE=str(warehouse), GRANDSTAND_LANDING=str(warehouse.parent / "landing"))
    env["GRANDSTAND_MODE"] = "sample"  # no keys, no rate limit: the load is the API's own
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "pipelines.serve.api.app:create_default_app"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            err = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise RuntimeError(f"the API server exited ({server.returncode}): {err[-2000:]}")
        try:
            if requests.get(f"{base}/meta", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the API server at {base} did not answer /meta within {timeout:.0f}s")


def endpoints(base: str) -> list[str]:
    """One concrete path per endpoint, with real ids taken from the API's own collections."""
    get = lambda path: requests.get(f"{base}{path}", timeout=30).json()["items"]  # noqa: E731
    season = max(s["season"] for s in get("/f1/seasons") if s["races_with_results"])
    race = get(f"/f1/seasons/{season}/races")[0]["race_key"]
    racing_race = get("/racing/races?limit=1")[0]
    horse = get(f"/racing/races/{racing_race['race_key']}/runners")[0]["horse_key"]
    jockey = get("/racing/jockeys?limit=1")[0]["jockey_key"]
    trainer = get("/racing/trainers?limit=1")[0]["trainer_key"]
    ticker = get("/markets/tickers")[0]["ticker"]
    asset = get("/crypto/assets")[0]["asset_id"]
    return [
        "/meta",
        "/racing/meetings?limit=100",
        "/racing/races?limit=100&racecourse=ST",
        f"/racing/races/{racing_race['race_key']}",
        f"/racing/races/{racing_race['race_key']}/runners",
        "/racing/horses?limit=100",
        f"/racing/horses/{horse}",
        f"/racing/horses/{horse}/form",
        f"/racing/horses/{horse}/runs",
        "/racing/jockeys?limit=100&min_rides=50",
        f"/racing/jockeys/{jockey}",
        "/racing/trainers?limit=100",
        f"/racing/trainers/{trainer}",
        "/f1/seasons",
        f"/f1/seasons/{season}/races",
        f"/f1/seasons/{season}/driver-standings",
        f"/f1/seasons/{season}/constructor-standings",
        f"/f1/races/{race}",
        f"/f1/races/{race}/results",
        f"/f1/races/{race}/laps?limit=1000",
        f"/f1/races/{race}/pit-stops",
        f"/f1/races/{race}/predictions",
        "/markets/tickers",
        f"/markets/tickers/{ticker}",
        f"/markets/tickers/{ticker}/bars-1m?limit=1000",
        f"/markets/tickers/{ticker}/daily-bars?limit=1000",
        f"/markets/tickers/{ticker}/daily-bars?limit=1000&format=csv",
        "/crypto/assets",
        f"/crypto/assets/{asset}",
        f"/crypto/assets/{asset}/prices?limit=1000",
        f"/crypto/assets/{asset}/daily-summaries?limit=1000",
        "/product/active-users",
        "/product/funnel-steps",
        "/product/channels",
    ]


def _load(base: str, path: str, clients: int, per_client: int) -> tuple[list[float], list[int]]:
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        with requests.Session() as session:
            session.get(f"{base}/meta", timeout=30)  # connect before the clock starts
            start.wait()
            for _ in range(per_client):
                t0 = time.perf_counter()
                response = session.get(f"{base}{path}", timeout=60)
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses.append(response.status_code)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses


def measure_api(
    warehouse: Path, clients: int = CLIENTS, requests_per_client: int = REQUESTS_PER_CLIENT
) -> list[dict[str, Any]]:
    """Latency percentiles for each endpoint under `clients` concurrent clients (each sends its requests one after
    another), against a uvicorn server over `warehouse`."""
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: build one first (grandstand run)")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start_server(warehouse, port)
    try:
        _wait_ready(base, server)
        rows = []
        for path in endpoints(base):
            latencies, statuses = _load(base, path, clients, requests_per_client)
            cuts = statistics.quantiles(latencies, n=100, method="inclusive")
            p95 = cuts[94]
            rows.append(
                {
                    "case": "f. api",
                    "endpoint": path,
                    "clients": clients,
                    "requests": len(latencies),
                    "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
                    "p50_ms": round(cuts[49], 1),
                    "p95_ms": round(p95, 1),
                    "p99_ms": round(cuts[98], 1),
                    "target": f"p95 < {TARGET_P95_MS:.0f} ms",
                    "met": p95 < TARGET_P95_MS,
                }
            )
        return rows
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m bench.api_load <warehouse.duckdb>")
    for row in measure_api(Path(sys.argv[1])):
        print(json.dumps(row))
