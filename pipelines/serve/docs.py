"""The data dictionary: `dbt docs generate` against a read-only connection, served from target/."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socketserver
from pathlib import Path

from pipelines.config import Settings, dbt_target_dir
from pipelines.serve.metrics import MANIFEST_FILE, catalogue, load_manifest, metrics_page_html
from pipelines.transform.runner import dbt_invoke


def generate(settings: Settings) -> Path:
    """Generate the docs site. Uses the read-only target, so it never needs the writer lock."""
    if not settings.warehouse.exists():
        raise FileNotFoundError(f"{settings.warehouse}: no warehouse yet; run `make run` first")
    os.environ["GRANDSTAND_DBT_TARGET"] = "duckdb_readonly"
    try:
        result = dbt_invoke(settings, ["docs", "generate"])
    finally:
        os.environ.pop("GRANDSTAND_DBT_TARGET", None)
    if not getattr(result, "success", False):
        raise RuntimeError("dbt docs generate failed; see logs/dbt.log")
    site = dbt_target_dir()
    semantic_manifest = site / MANIFEST_FILE
    if semantic_manifest.exists():  # every metric, from the manifest this generate wrote: the overview links here
        (site / "metrics.html").write_text(metrics_page_html(catalogue(load_manifest(semantic_manifest))))
    report = settings.reports_dir / "quality.html"
    if report.exists():  # the quality report is served beside the docs
        shutil.copyfile(report, site / "quality.html")
    return site


def serve(site: Path, port: int) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.TCPServer(("127.0.0.1", port), handler) as httpd:
        print(f"serving the data dictionary on http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
