"""Transform: `dbt build` (and `dbt docs generate`) on our profile, in-process, with a summary of the results."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.config import PROJECT_ROOT, Settings, disable_telemetry


@dataclass(frozen=True)
class FailedCheck:
    """A data or unit test that failed at error severity (dbt status `fail`), or could not run (`error`)."""

    unique_id: str
    status: str
    failing_rows: int | None  # dbt's count of failing rows; None when the test errored before counting
    message: str


@dataclass
class TransformResult:
    ok: bool
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    failed_checks: list[FailedCheck] = field(default_factory=list)


@dataclass(frozen=True)
class StaleSource:
    """A source table past its `error_after` freshness (dbt status `error`)."""

    unique_id: str
    age_hours: float | None
    max_loaded_at: str | None


def _dbt_env(settings: Settings) -> None:
    disable_telemetry()
    os.environ["GRANDSTAND_WAREHOUSE"] = str(settings.warehouse)
    os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_ROOT))


def dbt_invoke(settings: Settings, args: list[str]) -> object:
    """Run one dbt command in-process; returns dbt's result object."""
    from dbt.cli.main import dbtRunner

    _dbt_env(settings)
    common = ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    result = dbtRunner().invoke([*args, *common])
    if result.exception is not None:
        raise RuntimeError(f"dbt {' '.join(args)} failed: {result.exception}")
    return result


def _mode_vars(settings: Settings) -> list[str]:
    return ["--vars", json.dumps({"grandstand_mode": settings.mode})]


def missing_sources(settings: Settings) -> list[str]:
    """Sources whose raw schema does not exist yet (never loaded): their models cannot build."""
    from pipelines.ingest.registry import SOURCE_NAMES

    if not settings.warehouse.exists():
        return list(SOURCE_NAMES)
    import duckdb

    con = duckdb.connect(str(settings.warehouse))
    try:
        schemas = {r[0] for r in con.execute("select schema_name from information_schema.schemata").fetchall()}
    finally:
        con.close()
    return [name for name in SOURCE_NAMES if f"raw_{name}" not in schemas]


def exclude_resource_type_args(resource_types: Sequence[str]) -> list[str]:
    """dbt's flags leaving `resource_types` out of a build (the CLI's and Dagster's daily builds)."""
    return [arg for resource_type in resource_types for arg in ("--exclude-resource-type", resource_type)]


def build(
    settings: Settings,
    select: list[str] | None = None,
    full_refresh: bool = False,
    *,
    target: str = "duckdb",
    target_path: Path | None = None,
    missing: list[str] | None = None,
    exclude_resource_types: Sequence[str] = (),
) -> TransformResult:
    """`dbt build` on the DuckDB warehouse, or on another target (pipelines.lake.spark prepares Spark's): models of
    `missing` sources (default: those with no raw schema in the warehouse) are left out, and so are the
    `exclude_resource_types` (a scheduled run's unit tests, see pipelines.operate.selection)."""
    args = ["build", *_mode_vars(settings), *exclude_resource_type_args(exclude_resource_types)]
    if select:
        # tests are only picked when all their parents are selected, so a one-source run skips other sources' tests
        args += ["--select", *select, "--indirect-selection", "cautious"]
    if target != "duckdb":
        args += ["--target", target]
    if target_path is not None:
        args += ["--target-path", str(target_path)]
    missing = missing_sources(settings) if missing is None else missing
    if missing:
        args += ["--exclude", *(f"tag:{name}+" for name in missing)]
    if full_refresh:
        args.append("--full-refresh")
    result = dbt_invoke(settings, args)
    summary = TransformResult(ok=bool(getattr(result, "success", False)))
    for node_result in getattr(result, "result", None) or []:
        node = node_result.node
        status = str(node_result.status)
        kind = node.resource_type.value if hasattr(node.resource_type, "value") else str(node.resource_type)
        summary.counts[f"{kind}:{status}"] += 1
        if status in ("error", "fail"):
            summary.failures.append(f"{node.unique_id}: {node_result.message or status}")
            if kind in ("test", "unit_test"):
                rows = getattr(node_result, "failures", None)
                summary.failed_checks.append(
                    FailedCheck(
                        node.unique_id, status, int(rows) if rows is not None else None, node_result.message or ""
                    )
                )
    return summary


def generate_docs(settings: Settings) -> Path:
    dbt_invoke(settings, ["docs", "generate"])
    return PROJECT_ROOT / "target"


def source_freshness(settings: Settings) -> Counter[str]:
    """`dbt source freshness` for every source: counts of pass / warn / error (a warning never fails a run)."""
    return source_freshness_results(settings)[0]


def source_freshness_results(settings: Settings) -> tuple[Counter[str], list[StaleSource]]:
    """`dbt source freshness`: the counts of pass / warn / error, and the source tables past `error_after`."""
    # the same --vars as the build, so dbt's partial parsing carries over instead of parsing the project again
    args = ["source", "freshness", *_mode_vars(settings)]  # writes sources.json into the target path
    missing = missing_sources(settings)
    if missing:
        args += ["--exclude", *(f"tag:{name}" for name in missing)]
    from dbt.cli.main import dbtRunner

    _dbt_env(settings)
    result = dbtRunner().invoke([*args, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)])
    counts: Counter[str] = Counter()
    stale: list[StaleSource] = []
    for node_result in getattr(result, "result", None) or []:
        if getattr(node_result.node, "resource_type", None) == "source":  # not the on-run-start hook
            counts[str(node_result.status)] += 1
            if str(node_result.status) == "error":
                age = getattr(node_result, "age", None)
                loaded = getattr(node_result, "max_loaded_at", None)
                stale.append(
                    StaleSource(
                        node_result.node.unique_id,
                        round(float(age) / 3600, 1) if age is not None else None,
                        str(loaded) if loaded is not None else None,
                    )
                )
    return counts, stale
