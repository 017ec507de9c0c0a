"""End to end, in subprocesses, as a user runs it: idempotency, crash safety (SIGKILL at several points, then a
rerun), locking, readers during a write, and secrets kept out of every output.

Mart content is compared with a checksum of every row of every mart. Columns that record *when* Grandstand filed a
response (ingested_at) are left out of the comparison for runs whose landing zone was filed at another time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow
GS = [sys.executable, "-m", "pipelines.cli"]
SALT = "salt-e2e-4f1b9a77c0de"
TIME_OF_FILING = ("ingested_at",)


def _env(root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRANDSTAND_", "DBT_"))}
    env.update(
        GRANDSTAND_WAREHOUSE=str(root / "warehouse.duckdb"),
        GRANDSTAND_LANDING=str(root / "landing"),
        GRANDSTAND_PII_SALT=SALT,
        DBT_TARGET_PATH=str(root / "target"),
        DBT_LOG_PATH=str(root / "logs"),
        **extra,
    )
    return env


def _run(root: Path, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*GS, *args], env=_env(root, **extra), capture_output=True, text=True, timeout=600)
    (root / "outputs.log").open("a").write(proc.stdout + proc.stderr)
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def _run_killed_at_line(root: Path, marker: str, *args: str) -> None:
    """Start a run and SIGKILL it as soon as its output shows `marker`."""
    proc = subprocess.Popen([*GS, *args], env=_env(root), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, f"the run ended before {marker!r} was seen"


def mart_checksums(warehouse: Path, exclude: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
        for (table,) in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            parts = [
                f"printf('%.10g', \"{name}\")" if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
                for name, kind in columns
                if name not in exclude
            ]
            count, digest = con.execute(
                f'select count(*), coalesce(sum(hash({", ".join(parts)})::hugeint), 0) from marts."{table}"'
            ).fetchone()
            out[table] = (int(count), int(digest))
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted `make run` (grandstand run --full-refresh) from the shipped sample."""
    root = tmp_path_factory.mktemp("reference")
    _run(root, "run", "--full-refresh")
    return root


def test_two_consecutive_full_runs_give_identical_marts(reference: Path) -> None:
    before = mart_checksums(reference / "warehouse.duckdb")
    marts = {p.stem for p in (Path(__file__).parents[1] / "models" / "marts").rglob("*.sql")}
    assert set(before) == marts and all(count > 0 for count, _ in before.values())
    _run(reference, "run", "--full-refresh")
    assert mart_checksums(reference / "warehouse.duckdb") == before


def test_daily_run_after_full_run_files_nothing_and_changes_nothing(reference: Path) -> None:
    before = mart_checksums(reference / "warehouse.duckdb")
    proc = _run(reference, "run", "coincap")
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
    proc = _run(tmp_path, "run", check=False, GRANDSTAND_FAULT=fault)
    assert proc.returncode == -signal.SIGKILL
    _run(tmp_path, "run")
    exclude = () if same_landing else TIME_OF_FILING
    assert mart_checksums(tmp_path / "warehouse.duckdb", exclude) == mart_checksums(
        reference / "warehouse.duckdb", exclude
    )


def test_killed_during_dbt_then_rerun_equals_uninterrupted(reference: Path, tmp_path: Path) -> None:
    shutil.copytree(reference / "landing", tmp_path / "landing")
    _run_killed_at_line(tmp_path, "START sql table model marts.", "run")
    _run(tmp_path, "run")
    assert mart_checksums(tmp_path / "warehouse.duckdb") == mart_checksums(reference / "warehouse.duckdb")


def test_second_writer_stops_at_once_and_readers_still_read(reference: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipelines.lock import writer_lock\n"
         "with writer_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(30)",
         str(reference / "warehouse.duckdb.lock")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        proc = _run(reference, "load", "coincap", check=False)
        assert time.monotonic() - started < 10  # interpreter start-up included; the lock itself is not waited for
        assert proc.returncode == 75 and f"pid {holder.pid}" in proc.stderr
        status = _run(reference, "status")
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
        hashed = con.execute("select count(*) from staging.stg_events__clickstream where email_hash like '%@%'")
        assert emails and emails[0] > 0 and hashed.fetchone() == (0,)
    finally:
        con.close()
