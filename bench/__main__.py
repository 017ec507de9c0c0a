"""Run every benchmark case and write bench/results.json. See docs/performance.md.

Cases (each a ratio or a rate measured in the same run, so a noisy machine cancels out):
  a. load      landing → raw time / DuckDB's own reader (read_json / read_csv into a table) on the same files
  b. events    ingest rate at 5M generated events (landing → raw)
  c. incremental  a run with one new day after 30 days of 200 tickers of 1-minute bars / the full refresh
  d. memory    peak RSS loading 10x the input / peak RSS loading 1x
  e. build     dbt build time by layer, and `make run` wall time on the shipped sample
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pipelines.config import PROJECT_ROOT
from pipelines.ingest.landing import LandingZone, RawFile

WORK = PROJECT_ROOT / "bench" / "data"
RESULTS = PROJECT_ROOT / "bench" / "results.json"
REPEATS = 3


def _measure(env: dict[str, str], *args: str) -> dict[str, float]:
    full_env = {**os.environ, **env, "RUNTIME__LOG_LEVEL": "ERROR"}
    proc = subprocess.run([sys.executable, "-m", "bench.worker", *args], env=full_env, capture_output=True, text=True)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"bench worker {args} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return json.loads(line[6:])


def _median(runs: list[dict[str, float]], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def _env(root: Path) -> dict[str, str]:
    return {
        "GRANDSTAND_WAREHOUSE": str(root / "warehouse.duckdb"),
        "GRANDSTAND_LANDING": str(root / "landing"),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }


def _fresh(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)


# ---- inputs -------------------------------------------------------------------------------------------------


def events_input(root: Path, events: int) -> Path:
    """GENERATED clickstream drop (seed 42) filed into a landing zone, and the same files for DuckDB's reader."""
    from pipelines.ingest.sources.events.generator import GeneratorConfig, partitions

    drop = root / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    zone = LandingZone(root / "landing")
    config = GeneratorConfig(events=events, users=max(1_000, events // 20), days=2, seed=42)
    for part in partitions(config):
        path = drop / part.path.replace("/", "__")
        path.write_bytes(part.data)
        zone.file("events", RawFile("clickstream", path.name, part.data, f"generated:{part.path}"))
    return drop


def yahoo_input(root: Path, tickers: int, days: tuple[int, int] | None = None, zone_root: Path | None = None) -> Path:
    """GENERATED 1-minute chart bodies (GEN000…, seed 42) filed into a landing zone, and the same files on disk."""
    from tests.generators.yahoo_chart import ChartConfig, bodies

    drop = root / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    zone = LandingZone((zone_root or root) / "landing")
    for name, body, params in bodies(ChartConfig(tickers=tickers), days):
        (drop / name).write_bytes(body)
        zone.file("yahoo", RawFile("chart", name, body, f"generated:{name}", params))
    return drop


def sample_input(root: Path, source: str) -> Path:
    """The shipped sample of a source, filed into a landing zone; readable files copied for DuckDB."""
    from pipelines.ingest.registry import get_spec

    drop = root / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    zone = LandingZone(root / "landing")
    for raw in get_spec(source).sample():
        zone.file(source, raw)
        data = gzip.decompress(raw.data) if raw.name.endswith(".gz") else raw.data
        if raw.name.endswith(".zip"):
            import io
            import zipfile

            with zipfile.ZipFile(io.BytesIO(raw.data)) as archive:
                data = archive.read(archive.namelist()[0])
        (drop / Path(raw.name).name.removesuffix(".gz").removesuffix(".zip")).write_bytes(data)
    return drop


# ---- cases --------------------------------------------------------------------------------------------------


def case_load(quick: bool) -> list[dict[str, Any]]:
    rows = []
    plans: list[tuple[str, str, str, str, Any]] = [
        ("events", "read_json", "*.jsonl.gz", "glob", lambda r: events_input(r, 200_000 if quick else 1_000_000)),
        ("yahoo", "read_json", "*.json", "glob", lambda r: yahoo_input(r, 20 if quick else 100)),
        ("coincap", "read_json", "*.json", "each", lambda r: sample_input(r, "coincap")),
        ("hkjc", "read_csv", "*.csv", "each", lambda r: sample_input(r, "hkjc")),
        ("f1", "read_csv", "*.csv", "each", lambda r: sample_input(r, "f1")),
    ]
    for source, reader, glob, how, make in plans:
        root = WORK / f"load_{source}"
        _fresh(root)
        drop = make(root)
        ours = [_measure(_env(root), "load", source, "full") for _ in range(REPEATS)]
        theirs = [
            _measure({}, "duckdb", reader, str(drop / glob), str(root / "baseline.duckdb"), how) for _ in range(REPEATS)
        ]
        rows.append(
            {
                "case": "a. load",
                "source": source,
                "input": f"{ours[0]['files']:.0f} files, {ours[0]['rows']:.0f} rows",
                "grandstand_s": _median(ours),
                "duckdb_reader_s": _median(theirs),
                "ratio": _median(ours) / _median(theirs),
                "target": "<= 1.5",
                "met": _median(ours) / _median(theirs) <= 1.5,
            }
        )
    return rows


def case_events_rate(quick: bool) -> dict[str, Any]:
    events = 500_000 if quick else 5_000_000
    root = WORK / "events_rate"
    _fresh(root)
    events_input(root, events)
    runs = [_measure(_env(root), "load", "events", "full") for _ in range(REPEATS)]
    rate = runs[0]["rows"] / _median(runs)
    return {
        "case": "b. events",
        "input": f"{events:,} events (+ duplicates) in {runs[0]['files']:.0f} files",
        "rows": runs[0]["rows"],
        "seconds": _median(runs),
        "events_per_s": rate,
        "target": ">= 500,000",
        "met": rate >= 500_000,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }


def case_incremental(quick: bool) -> dict[str, Any]:
    from tests.generators.yahoo_chart import ChartConfig

    tickers = 20 if quick else 200
    days = ChartConfig().days
    root = WORK / "incremental"
    fulls, incrementals = [], []
    for _ in range(REPEATS):
        _fresh(root)
        yahoo_input(root / "first", tickers, (0, days - 1), zone_root=root)
        fulls.append(_measure(_env(root), "cli", "run", "yahoo", "--full-refresh"))
        yahoo_input(root / "next", tickers, (days - 1, days), zone_root=root)
        incrementals.append(_measure(_env(root), "cli", "run", "yahoo"))
    ratio = _median(incrementals) / _median(fulls)
    return {
        "case": "c. incremental",
        "input": f"{tickers} tickers x {days - 1} days of 1m bars, then 1 more day",
        "full_refresh_s": _median(fulls),
        "one_new_day_s": _median(incrementals),
        "ratio": ratio,
        "target": "<= 0.10",
        "met": ratio <= 0.10,
    }


def case_memory(quick: bool) -> list[dict[str, Any]]:
    out = []
    scale = 10
    for source, make in (
        ("events", lambda r, k: events_input(r, (50_000 if quick else 300_000) * k)),
        ("yahoo", lambda r, k: yahoo_input(r, (2 if quick else 10) * k)),
    ):
        peaks = {}
        for factor in (1, scale):
            root = WORK / f"memory_{source}_{factor}"
            _fresh(root)
            make(root, factor)
            peaks[factor] = max(_measure(_env(root), "load", source, "full")["peak_rss_mb"] for _ in range(REPEATS))
        ratio = peaks[scale] / peaks[1]
        out.append(
            {
                "case": "d. memory",
                "source": source,
                "peak_rss_1x_mb": peaks[1],
                "peak_rss_10x_mb": peaks[scale],
                "ratio": ratio,
                "target": "<= 1.3",
                "met": ratio <= 1.3,
            }
        )
    return out


def case_build() -> dict[str, Any]:
    root = WORK / "build"
    walls, layers = [], []
    for _ in range(REPEATS):
        _fresh(root)
        started = time.perf_counter()
        _measure(_env(root), "cli", "run", "--full-refresh")
        walls.append(time.perf_counter() - started)
        results = json.loads((root / "target" / "run_results.json").read_text())
        by_layer: dict[str, float] = {}
        for r in results["results"]:
            kind = r["unique_id"].split(".")[0]
            relation = (r.get("relation_name") or "").split(".")
            schema = relation[1].strip('"') if kind == "model" and len(relation) == 3 else ""
            layer = f"{kind}:{schema}" if schema else kind
            by_layer[layer] = by_layer.get(layer, 0.0) + float(r["execution_time"])
        layers.append(by_layer)
    layer_medians = {k: statistics.median(d.get(k, 0.0) for d in layers) for k in layers[0]}
    wall = statistics.median(walls)
    return {
        "case": "e. build",
        "input": "the shipped sample, all five sources",
        "make_run_wall_s": wall,
        "dbt_seconds_by_layer": layer_medians,
        "target": "< 120 s",
        "met": wall < 120,
    }


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "versions": {p: version(p) for p in ("dlt", "duckdb", "dbt-core", "dbt-duckdb", "pyarrow")},
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke test of the harness")
    args = parser.parse_args()
    started = time.perf_counter()
    report: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "repeats": REPEATS,
        "cases": [],
    }
    for name, case in (
        ("a. load", lambda: case_load(args.quick)),
        ("b. events", lambda: [case_events_rate(args.quick)]),
        ("c. incremental", lambda: [case_incremental(args.quick)]),
        ("d. memory", lambda: case_memory(args.quick)),
        ("e. build", lambda: [case_build()]),
    ):
        print(f"bench: {name} ...", flush=True)
        results = case()
        report["cases"] += results
        for result in results:
            print("  " + json.dumps(result, default=str), flush=True)
    report["total_seconds"] = time.perf_counter() - started
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    return 0


def print_table(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"make bench ({report['machine']['cpus']} cores, medians of {report['repeats']})")
    for column in ("case", "input", "measured", "target", "met"):
        table.add_column(column)
    for c in report["cases"]:
        if c["case"] == "a. load":
            measured = (
                f"{c['source']}: {c['grandstand_s']:.2f}s vs DuckDB {c['duckdb_reader_s']:.2f}s = {c['ratio']:.2f}x"
            )
        elif c["case"] == "b. events":
            measured = f"{c['events_per_s']:,.0f} events/s ({c['seconds']:.1f}s, peak {c['peak_rss_mb']:.0f} MB)"
        elif c["case"] == "c. incremental":
            measured = f"{c['one_new_day_s']:.1f}s / {c['full_refresh_s']:.1f}s = {c['ratio']:.2f}"
        elif c["case"] == "d. memory":
            measured = (
                f"{c['source']}: {c['peak_rss_10x_mb']:.0f} MB / {c['peak_rss_1x_mb']:.0f} MB = {c['ratio']:.2f}x"
            )
        else:
            measured = f"make run {c['make_run_wall_s']:.1f}s; " + ", ".join(
                f"{k} {v:.1f}s" for k, v in sorted(c["dbt_seconds_by_layer"].items())
            )
        table.add_row(c["case"], c.get("input", ""), measured, c["target"], "yes" if c["met"] else "NO")
    Console().print(table)
    print(f"total {report['total_seconds']:.0f}s; written to {RESULTS}")


if __name__ == "__main__":
    raise SystemExit(main())
