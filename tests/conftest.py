"""Shared fixtures: an isolated warehouse and landing zone per test, and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipelines.config import Settings, load_settings


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GRANDSTAND_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("GRANDSTAND_LANDING", str(tmp_path / "landing"))
    monkeypatch.delenv("GRANDSTAND_MODE", raising=False)
    return load_settings()


@dataclass
class Route:
    """A scripted endpoint: each request pops the next (status, headers, body); the last one repeats."""

    responses: list[tuple[int, dict[str, str], bytes]]
    hits: int = 0


@dataclass
class LocalServer:
    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)

    def route(self, path: str, *responses: tuple[int, dict[str, str], bytes]) -> Route:
        self.routes[path] = Route(list(responses))
        return self.routes[path]


@pytest.fixture()
def local_server() -> Iterator[LocalServer]:
    server_ref: dict[str, LocalServer] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            route = server_ref["s"].routes.get(path)
            if route is None:
                self.send_response(404)
                self.end_headers()
                return
            index = min(route.hits, len(route.responses) - 1)
            route.hits += 1
            status, headers, body = route.responses[index]
            if headers.get("X-Sleep"):
                import time

                time.sleep(float(headers["X-Sleep"]))
            self.send_response(status)
            for key, value in headers.items():
                if key != "X-Sleep":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_ref["s"] = LocalServer(base_url=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_ref["s"]
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def raw_count(settings: Settings) -> Callable[[str], int]:
    import duckdb

    def count(table: str) -> int:
        con = duckdb.connect(str(settings.warehouse), read_only=True)
        try:
            row = con.execute(f"select count(*) from {table}").fetchone()
            return int(row[0]) if row else 0
        finally:
            con.close()

    return count


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built once per test session by `grandstand run --full-refresh` from the shipped sample."""
    from tests.e2e import run_cli

    root = tmp_path_factory.mktemp("sample_warehouse")
    run_cli(root, "run", "--full-refresh")
    return root


@pytest.fixture()
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real S3 API on 127.0.0.1 (moto's server) with a bucket `lake`, and the AWS_* variables pointing at it."""
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint,
        }.items():
            monkeypatch.setenv(key, value)
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="lake")
        yield endpoint
    finally:
        server.stop()
