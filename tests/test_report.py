"""The daily report on the sample: every domain's KPIs from the semantic layer (the figures equal the marts'), the
change on the previous period, inline SVG charts fitted to the data, a PDF printed by headless Chromium, and the
report sent, with its files attached, to a webhook on 127.0.0.1 through the alert channel."""

from __future__ import annotations

import base64
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.config import Settings
from pipelines.serve.metrics import MANIFEST_FILE
from pipelines.serve.report.charts import line_chart
from pipelines.serve.report.daily import report_paths, run, write_daily_report
from pipelines.serve.report.pdf import find_chromium
from pipelines.serve.report.sections import SPECS

DAY = date(2026, 12, 3)


@pytest.fixture()
def report_settings(sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A copy of the sample warehouse (the report is written beside it), with the sample's semantic manifest."""
    shutil.copyfile(sample_warehouse / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("DBT_TARGET_PATH", str(sample_warehouse / "target"))
    monkeypatch.delenv("GRANDSTAND_ALERT_URLS", raising=False)
    assert (sample_warehouse / "target" / MANIFEST_FILE).exists()
    return Settings(mode="sample", warehouse=tmp_path / "warehouse.duckdb", landing=tmp_path / "landing")


def _kpi_cells(html: str, domain: str) -> dict[str, list[str]]:
    section = re.search(rf'<section id="{domain}".*?</section>', html, re.S)
    assert section, f"no {domain} section"
    rows = re.findall(
        r'<tr data-metric="([a-z0-9_]+)"><td>[^<]*</td><td>([^<]*)</td>\s*<td>([^<]*)</td>', section.group(0)
    )
    return {metric: [latest, previous] for metric, latest, previous in rows}


def test_report_renders_every_domain_with_figures_from_the_marts(report_settings: Settings) -> None:
    report = write_daily_report(report_settings, DAY, pdf=False, send=False)
    assert report.html == report_paths(report_settings, DAY)[0] == report_settings.reports_dir / "daily-2026-12-03.html"
    html = report.html.read_text()
    for spec in SPECS:
        cells = _kpi_cells(html, spec.domain)
        assert set(cells) == {k.metric for k in spec.kpis}, spec.domain
        assert any(latest != "–" for latest, _ in cells.values()), f"{spec.domain}: every KPI is empty"
        assert f'data-domain="{spec.domain}"' in html
    assert html.count("<svg") == len(SPECS)
    con = duckdb.connect(str(report_settings.warehouse), read_only=True)
    try:
        last_two = con.execute(
            """select activity_date, daily_active_users from marts.product_active_users
               order by activity_date desc limit 2"""
        ).fetchall()
        season, entries = con.execute(
            """select season, count(*) from marts.fct_f1_results where session_type = 'race'
               group by season order by season desc limit 1"""
        ).fetchone()
    finally:
        con.close()
    product = next(d for d in report.domains if d.spec.domain == "product")
    assert (product.latest, product.previous) == (last_two[0][0], last_two[1][0])
    dau = next(k for k in product.kpis if k.metric == "product_dau")
    assert (dau.value, dau.previous) == (last_two[0][1], last_two[1][1])
    assert _kpi_cells(html, "product")["product_dau"] == [f"{last_two[0][1]:,}", f"{last_two[1][1]:,}"]
    f1 = next(d for d in report.domains if d.spec.domain == "f1")
    assert f1.latest == date(season, 1, 1)
    assert _kpi_cells(html, "f1")["f1_race_starts"][0] == f"{entries:,}"


def test_chart_fits_the_axis_to_the_data_and_breaks_at_gaps() -> None:
    periods = [date(2020, 1, 1), date(2020, 1, 2), date(2024, 1, 1), date(2024, 1, 2)]
    svg = line_chart("close", periods, [101.0, 103.0, 180.0, 182.0], [True, True, False, True])
    assert 'data-y-min="101.0"' in svg and 'data-y-max="182.0"' in svg
    assert 'data-segments="2"' in svg and svg.count("<polyline") == 2


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium on PATH")
def test_pdf_is_printed_by_headless_chromium(report_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(report_settings, DAY, pdf=True, send=True) == 0
    pdf = report_paths(report_settings, DAY)[1]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000
    out = capsys.readouterr().out
    assert f"report: {pdf}" in out and "delivery off" in out


@pytest.fixture()
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    posts: list[dict[str, Any]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            posts.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0))))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"json://127.0.0.1:{httpd.server_address[1]}/reports", posts
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_report_is_sent_with_its_files_through_the_alert_channel(
    report_settings: Settings, receiver: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, posts = receiver
    monkeypatch.setenv("GRANDSTAND_ALERT_URLS", url)
    report = write_daily_report(report_settings, DAY, pdf=find_chromium() is not None, send=True)
    assert report.delivery == "sent"
    assert len(posts) == 1
    post = posts[0]
    assert post["title"] == "Grandstand daily report 2026-12-03"
    assert "Product (2026-" in post["message"] and "Formula 1 (" in post["message"]
    attached = {a["filename"]: base64.b64decode(a["base64"]) for a in post["attachments"]}
    assert attached["daily-2026-12-03.html"] == report.html.read_bytes()
    if report.pdf is not None:
        assert attached["daily-2026-12-03.pdf"][:5] == b"%PDF-"


def test_report_with_no_manifest_says_which_file(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "empty-target"))
    assert run(settings, DAY, pdf=False, send=False) == 1
    out = capsys.readouterr().out.strip()
    manifest = tmp_path / "empty-target" / MANIFEST_FILE
    assert out == f"report: {manifest}: no semantic manifest; run `dbt parse` or `grandstand transform` first"
