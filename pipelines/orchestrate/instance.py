"""The Dagster instance `grandstand orchestrate` starts: DAGSTER_HOME (default data/dagster), its dagster.yaml, and
the `dagster dev` command (the webserver on 127.0.0.1:3000, and the daemon that runs schedules, the sensor and the
run queue)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pipelines.config import Settings

CODE_LOCATION = "pipelines.orchestrate.definitions"
DAGSTER_YAML = """\
# Written by `grandstand orchestrate` when missing (your edits are kept). Dagster reads it from DAGSTER_HOME.
# Every Grandstand run writes one DuckDB file, and DuckDB has one writer at a time:
concurrency:
  runs:
    # runs queue (the daemon starts them in order): one at a time, whatever launched them
    max_concurrent_runs: 1
  pools:
    # the `grandstand_warehouse` pool holds every step that writes the warehouse: one at a time across runs,
    # should the run limit above ever be raised
    default_limit: 1
# The file lock beside the warehouse (pipelines/operate/lock.py) stays the last guard: a `grandstand run` typed
# while a Dagster run writes fails at once, and so does the step in the other direction, with the holder's pid in
# the run log.
telemetry:
  enabled: false
"""


def dagster_home(settings: Settings) -> Path:
    """DAGSTER_HOME when set, else `dagster/` beside the warehouse (data/dagster by default)."""
    raw = os.environ.get("DAGSTER_HOME")
    return Path(raw).resolve() if raw else settings.data_dir / "dagster"


def write_instance_config(home: Path) -> Path:
    """dagster.yaml under `home`, from the template, unless one is already there."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "dagster.yaml"
    if not path.exists():
        path.write_text(DAGSTER_YAML)
    return path


def dev_command(host: str, port: int) -> list[str]:
    """`dagster dev` on the code location, from the same environment as this Python."""
    dagster = Path(sys.executable).parent / "dagster"
    return [str(dagster), "dev", "-m", CODE_LOCATION, "--host", host, "--port", str(port)]
