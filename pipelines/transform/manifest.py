"""Read dbt's manifest (after `dbt parse`) for the checks and generators that work from the project's artifacts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pipelines.config import PROJECT_ROOT, disable_telemetry


def parse_manifest(target_dir: Path) -> dict[str, Any]:
    """Run `dbt parse` into target_dir (no warehouse needed) and return manifest.json."""
    from dbt.cli.main import dbtRunner

    disable_telemetry()
    os.environ.setdefault("GRANDSTAND_WAREHOUSE", str(target_dir / "unused.duckdb"))
    args = ["parse", "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    result = dbtRunner().invoke([*args, "--target-path", str(target_dir), "--quiet"])
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return json.loads((target_dir / "manifest.json").read_text())


def models(manifest: dict[str, Any], layer: str | None = None) -> list[dict[str, Any]]:
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    return [n for n in nodes if layer is None or n["original_file_path"].startswith(f"models/{layer}/")]


def attached_tests(manifest: dict[str, Any], model_id: str) -> list[dict[str, Any]]:
    return [
        n for n in manifest["nodes"].values() if n["resource_type"] == "test" and n.get("attached_node") == model_id
    ]
