"""One measured operation, run in its own process so its peak RSS is its own. Prints one JSON line."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


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


if __name__ == "__main__":
    name, *rest = sys.argv[1:]
    outcome = {"load": op_load, "duckdb": op_duckdb, "cli": op_cli}[name](*rest)
    outcome["peak_rss_mb"] = _rss_mb()
    print("BENCH " + json.dumps(outcome), flush=True)
    sys.stdout.flush()
