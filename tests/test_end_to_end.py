"""End to end, in subprocesses, as a user runs it: idempotency, crash safety (SIGKILL at several points, then a
rerun), locking, readers during a write, and secrets kept out of every output.

Mart content is compared with a checksum of every row of every mart. Columns that record *when* Grandstand filed a
response (ingested_at) are left out of the comparison for runs whose landing zone was filed at another time.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.lake.engines import relation_checksums
from tests.e2e import LOAD_IDS, SALT, TIME_OF_FILING, cli_env, run_cli, run_cli_killed_at_line

pytestmark = pytest.mark.slow


def mart_checksums(warehouse: Path, exclude: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """(rows, checksum of whole rows) of every mart, less the columns in `exclude` and the load ids: warehouses
    compared here were loaded by different dlt loads."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
        out = {}
        for (table,) in tables:
            rows, _, digest = relation_checksums(con, f'marts."{table}"', (*exclude, *LOAD_IDS))
            out[table] = (rows, digest)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(sample_warehouse: Path) -> Path:
    """An uninterrupted `make run` (grandstand run --full-refresh) from the shipped sample: every mart has rows, so
    no comparison below can pass on two empty warehouses."""
    sums = mart_checksums(sample_warehouse / "warehouse.duckdb")
    assert sums and all(rows > 0 for rows, _ in sums.values()), sums
    return sample_warehouse


def test_two_consecutive_full_runs_give_identical_marts(reference: Path) -> None:
    before = mart_checksums(reference / "warehouse.duckdb")
    marts = {p.stem for p in (Path(__file__).parents[1] / "models" / "marts").rglob("*.sql")}
    assert set(before) == marts and all(count > 0 for count, _ in before.values())
    run_cli(reference, "run", "--full-refresh")
    assert mart_checksums(reference / "warehouse.duckdb") == before


def test_daily_run_after_full_run_files_nothing_and_changes_nothing(reference: Path) -> None:
    before = mart_checksums(reference / "warehouse.duckdb")
    proc = run_cli(reference, "run", "coincap")
    assert "coincap: 0 new file(s) filed" in proc.stderr
    assert mart_checksums(reference / "warehouse.duckdb") == before


@pytest.mark.parametrize(
    ("fault", "same_landing"),
    [
        ("filed:events:200", False),  # during extract: half the event drop filed
        ("parse:events:300", True),  # during the dlt extract of a load
        ("normalized:f1:1", True),  # after dlt normalised, before the load package reached DuckDB
    ],
)
def test_killed_run_then_rerun_equals_uninterrupted(
    reference: Path, tmp_path: Path, fault: str, same_landing: bool
) -> None:
    if same_landing:
        shutil.copytree(reference / "landing", tmp_path / "landing")
    proc = run_cli(tmp_path, "run", check=False, GRANDSTAND_FAULT=fault)
    assert proc.returncode == -signal.SIGKILL
    run_cli(tmp_path, "run")
    exclude = () if same_landing else TIME_OF_FILING
    assert mart_checksums(tmp_path / "warehouse.duckdb", exclude) == mart_checksums(
        reference / "warehouse.duckdb", exclude
    )


def test_killed_during_dbt_then_rerun_equals_uninterrupted(reference: Path, tmp_path: Path) -> None:
    shutil.copytree(reference / "landing", tmp_path / "landing")
    run_cli_killed_at_line(tmp_path, "START sql table model marts.", "run")
    run_cli(tmp_path, "run")
    assert mart_checksums(tmp_path / "warehouse.duckdb") == mart_checksums(reference / "warehouse.duckdb")


def test_second_writer_stops_at_once_and_readers_still_read(reference: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path\n"
         "from pipelines.operate.lock import writer_lock\n"
         "with writer_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(30)",
         str(reference / "warehouse.duckdb.lock")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        proc = run_cli(reference, "load", "coincap", check=False)
        assert time.monotonic() - started < 10  # interpreter start-up included; the lock itself is not waited for
        assert proc.returncode == 75 and f"pid {holder.pid}" in proc.stderr
        status = run_cli(reference, "status")
        assert "coincap" in status.stdout + status.stderr
    finally:
        holder.kill()
        holder.wait()


def test_secrets_never_reach_outputs_logs_or_artifacts(reference: Path) -> None:
    texts = [(reference / "outputs.log").read_text()]
    for folder in ("logs", "target"):
        for path in (reference / folder).rglob("*"):
            if path.is_file() and path.suffix in (".log", ".json", ".sql", ".html"):
                texts.append(path.read_text(errors="replace"))
    assert all(SALT not in text for text in texts)
    con = duckdb.connect(str(reference / "warehouse.duckdb"), read_only=True)
    try:
        emails = con.execute("select count(*) from raw_events.clickstream where email like '%@example.com'").fetchone()
        # the mart holds the salted hash of every clear email (staging is a view whose hash needs the session salt)
        hashed = con.execute(
            "select count(*) from marts.fct_product_events as e join raw_events.clickstream as r using (event_id) "
            f"where e.email_hash = sha256('{SALT}' || lower(trim(r.email)))"
        ).fetchone()
        assert emails and emails[0] > 0 and hashed and hashed[0] == emails[0]
    finally:
        con.close()


def test_docs_site_is_generated_read_only_and_served(reference: Path) -> None:
    import socket
    import urllib.request

    run_cli(reference, "docs")
    site = reference / "target"
    catalog = (site / "catalog.json").read_text()
    assert (site / "index.html").exists() and "fct_racing_runs" in catalog
    assert (site / "quality.html").exists(), "the quality report is served beside the docs"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "docs", "--serve", "--port", str(port)],
        env=cli_env(reference),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the docs site was not served")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/quality.html", timeout=5) as response:
            assert b"Data quality" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_broken_mart_data_fails_the_run_and_the_report_shows_the_rows(reference: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(reference, broken, ignore=shutil.ignore_patterns("*.lock", "logs", "target"))
    con = duckdb.connect(str(broken / "warehouse.duckdb"))
    try:
        con.execute("update raw_hkjc.runners set draw = 99 where horse_code = 'J452'")
    finally:
        con.close()
    proc = run_cli(broken, "transform", "--select", "tag:hkjc+", check=False)
    assert proc.returncode == 1
    assert "accepted_range_fct_racing_runs_draw" in proc.stderr
    report = (broken / "reports" / "quality.html").read_text()
    assert "accepted_range_fct_racing_runs_draw" in report and "<td>99</td>" in report
