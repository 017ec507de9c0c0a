"""One measured operation, run in its own process so its peak RSS is its own. Prints one JSON line."""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _rss_mb() -> float:
    """Peak resident memory of this process image. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a
    worker started from a big parent would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def op_load(source: str, full_refresh: str) -> dict[str, float]:
    from pipelines.config import load_settings
    from pipelines.ingest.load import load_source
    from pipelines.ingest.registry import get_spec

    settings = load_settings()
    started = time.perf_counter()
    result = load_source(get_spec(source), settings, full_refresh=full_refresh == "full", run_id="bench")
    return {"seconds": time.perf_counter() - started, "rows": sum(result.rows.values()), "files": result.files_loaded}


def op_duckdb(reader: str, pattern: str, warehouse: str, how: str) -> dict[str, float]:
    """DuckDB's own reader into a table: one statement over the glob (same-shaped files), or a table per file."""
    import glob

    import duckdb

    if reader not in ("read_json", "read_csv"):
        raise ValueError(reader)
    con = duckdb.connect(warehouse)
    groups = [[pattern]] if how == "glob" else [[path] for path in sorted(glob.glob(pattern))]
    rows = 0
    started = time.perf_counter()
    for n, paths in enumerate(groups):
        con.execute(f"create or replace table baseline_{n} as select * from {reader}(?)", paths)
        counted = con.execute(f"select count(*) from baseline_{n}").fetchone()
        rows += counted[0] if counted else 0
    seconds = time.perf_counter() - started
    con.close()
    return {"seconds": seconds, "rows": float(rows)}


def op_cli(*args: str) -> dict[str, float]:
    from pipelines.cli import main

    started = time.perf_counter()
    code = main(list(args))
    if code != 0:
        raise SystemExit(f"grandstand {' '.join(args)} exited {code}")
    return {"seconds": time.perf_counter() - started}


# the steps of a `grandstand run`, timed where the CLI looks them up (module attributes, so the wrapper is seen)
RUN_STEPS = (
    ("pipelines.cli", "extract_and_load", "extract + load"),
    ("pipelines.transform.runner", "build", "dbt build"),
    ("pipelines.transform.runner", "source_freshness_results", "dbt source freshness"),
    ("pipelines.transform.quality_report", "write_quality_report", "quality report"),
    ("pipelines.operate.audit", "record_transform", "audit: record transform"),
    ("pipelines.operate.alerts", "missed_sla_alerts", "audit: missed SLAs"),
    ("pipelines.cli", "save_last_good_copy", "last good copy"),
)


def _timed(spent: dict[str, float], label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

    return wrapper


def _dbt_node_seconds() -> dict[str, float]:
    """dbt's own timing per node of the last invocation that wrote run_results.json (the build), grouped by kind."""
    target = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    results = json.loads((target / "run_results.json").read_text())["results"]
    by_node = {r["unique_id"]: float(r["execution_time"]) for r in results}
    return dict(sorted(by_node.items(), key=lambda kv: -kv[1]))


def op_cli_profile(*args: str) -> dict[str, Any]:
    """`grandstand <args>` with each step of the run timed, and dbt's seconds per node of its build."""
    import importlib

    spent: dict[str, float] = {}
    for module_name, attr, label in RUN_STEPS:
        module = importlib.import_module(module_name)
        if hasattr(module, attr):
            setattr(module, attr, _timed(spent, label, getattr(module, attr)))
    from pipelines.cli import main

    started = time.perf_counter()
    code = main(list(args))
    if code != 0:
        raise SystemExit(f"grandstand {' '.join(args)} exited {code}")
    seconds = time.perf_counter() - started
    nodes = _dbt_node_seconds()
    return {
        "seconds": seconds,
        "steps": spent,
        "dbt_nodes": dict(list(nodes.items())[:12]),
        "dbt_nodes_total": sum(nodes.values()),
        "dbt_node_count": len(nodes),
    }


if __name__ == "__main__":
    name, *rest = sys.argv[1:]
    ops: dict[str, Callable[..., dict[str, Any]]] = {
        "load": op_load,
        "duckdb": op_duckdb,
        "cli": op_cli,
        "cli-profile": op_cli_profile,
    }
    outcome = ops[name](*rest)
    outcome["peak_rss_mb"] = _rss_mb()
    print("BENCH " + json.dumps(outcome), flush=True)
    sys.stdout.flush()
