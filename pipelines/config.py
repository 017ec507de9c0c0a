"""Paths, mode and environment: the one place that reads GRANDSTAND_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Mode = Literal["sample", "live"]
MODES: tuple[Mode, ...] = ("sample", "live")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ROOT = PROJECT_ROOT / "data" / "sample"


def disable_telemetry() -> None:
    """Turn off dbt's and dlt's anonymous usage tracking for this process and its children."""
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    # dlt warns at every arrow/dlt nullability difference on primary keys; errors still show.
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")


@dataclass(frozen=True)
class Settings:
    mode: Mode
    warehouse: Path
    landing: Path

    @property
    def data_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def dlt_dir(self) -> Path:
        """dlt's pipeline working folders (load packages, state) live beside the warehouse."""
        return self.data_dir / ".dlt"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def lock_path(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")


def _path_from_env(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    path = Path(raw) if raw else default
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def load_settings(mode: str | None = None) -> Settings:
    chosen = (mode or os.environ.get("GRANDSTAND_MODE") or "sample").lower()
    if chosen not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {chosen!r}")
    warehouse = _path_from_env("GRANDSTAND_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse.duckdb")
    landing = _path_from_env("GRANDSTAND_LANDING", PROJECT_ROOT / "data" / "landing")
    return Settings(mode=chosen, warehouse=warehouse, landing=landing)  # type: ignore[arg-type]


def dbt_target_dir() -> Path:
    """Where dbt writes its artifacts: DBT_TARGET_PATH if set, else target/ in the project."""
    raw = os.environ.get("DBT_TARGET_PATH")
    return Path(raw) if raw else PROJECT_ROOT / "target"
