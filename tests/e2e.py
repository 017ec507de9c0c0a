"""Helpers for tests that run `grandstand` in subprocesses against an isolated warehouse, as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

GS = [sys.executable, "-m", "pipelines.cli"]
SALT = "salt-e2e-4f1b9a77c0de"
TIME_OF_FILING = ("ingested_at",)
# which dlt load wrote a mart's raw rows (the incremental watermark): it differs between warehouses loaded apart,
# while the content does not
LOAD_IDS = ("source_load_id",)


def cli_env(root: Path, **extra: str) -> dict[str, str]:
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


def run_cli(root: Path, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*GS, *args], env=cli_env(root, **extra), capture_output=True, text=True, timeout=600)
    (root / "outputs.log").open("a").write(proc.stdout + proc.stderr)
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def run_cli_killed_at_line(root: Path, marker: str, *args: str) -> None:
    """Start a run and SIGKILL it as soon as its output shows `marker`."""
    proc = subprocess.Popen(
        [*GS, *args], env=cli_env(root), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, f"the run ended before {marker!r} was seen"
