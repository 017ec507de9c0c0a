"""Run every benchmark case and write bench/results.json. See docs/performance.md.

Cases (each a ratio or a rate measured in the same run, so a noisy machine cancels out):
  a. load      landing → raw time / DuckDB's own reader (read_json / read_csv into a table) on the same files
  b. events    ingest rate at 5M generated events (landing → raw)
  c. incremental  the daily run (one new session of 200 tickers of 1-minute bars) at 120 v 30 sessions of
                  history, and / the full refresh at 120; each step of the daily run timed (profile_120);
                  BENCH_TICKERS overrides the ticker count (5 when --quick, else 200)
  d. memory    peak RSS loading 10x the input / peak RSS loading 1x
  e. build     dbt build time by layer, and `make run` wall time on the shipped sample
  f. api       p95 of every dashboard query and API endpoint; BENCH_API_WAREHOUSE points it at a given warehouse
  g. scaling   how cost grows: the events and Yahoo loads at 1x, 3x and 10x input, and the daily run's dbt build
               at 1x, 3x and 10x sessions of history; seconds and peak RSS of each, drawn as
               docs/performance-scaling.png (needs matplotlib)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import chart
from pipelines.config import PROJECT_ROOT
from pipelines.ingest.landing import LandingZone, RawFile

if TYPE_CHECKING:
    from tests.generators.yahoo_chart import ChartConfig

WORK = Path(os.environ.get("BENCH_WORK", PROJECT_ROOT / "bench" / "data"))
RESULTS = PROJECT_ROOT / "bench" / "results.json"
CHART = PROJECT_ROOT / "docs" / "performance-scaling.png"
REPEATS = 3
CASES = ("a", "b", "c", "d", "e", "f", "g")


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


def yahoo_input(
    root: Path, config: ChartConfig | int, days: tuple[int, int] | None = None, zone_root: Path | None = None
) -> Path:
    """GENERATED 1-minute chart bodies (GEN000…, seed 42) filed into a landing zone, and the same files on disk."""
    from tests.generators.yahoo_chart import ChartConfig, bodies

    drop = root / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    zone = LandingZone((zone_root or root) / "landing")
    for name, body, params in bodies(config if isinstance(config, ChartConfig) else ChartConfig(tickers=config), days):
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


# calendar days of history per case-c size: about 30 and 120 XNYS sessions, ending on the same day, so the one new
# session (the last calendar day of the period) is the same at both sizes
HISTORY_DAYS = {30: 43, 120: 171}
HISTORY_END = date(2026, 11, 12)


def _daily_run(root: Path, snapshot: Path) -> dict[str, Any]:
    """The warehouse as the full refresh left it, then `grandstand run yahoo` over the one new landed session."""
    shutil.copyfile(snapshot, root / "warehouse.duckdb")
    return _measure(_env(root), "cli-profile", "run", "yahoo")


def _history_then_daily(root: Path, config: ChartConfig, repeats: int) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The full refresh over all but the last calendar day of the period, then the daily run over that day, repeated
    from a copy of the warehouse the full refresh left."""
    _fresh(root)
    yahoo_input(root / "first", config, (0, config.days - 1), zone_root=root)
    full = _measure(_env(root), "cli", "run", "yahoo", "--full-refresh")
    snapshot = root / "after_full_refresh.duckdb"
    shutil.copyfile(root / "warehouse.duckdb", snapshot)
    yahoo_input(root / "next", config, (config.days - 1, config.days), zone_root=root)
    return full, [_daily_run(root, snapshot) for _ in range(repeats)]


def case_incremental(quick: bool) -> dict[str, Any]:
    """The daily run after one new session of generated bars, at 30 and 120 sessions of history, against the full
    refresh at 120 sessions. The full refresh runs once per size; the daily run is repeated (once when quick) from a
    copy of the warehouse the full refresh left."""
    from tests.generators.yahoo_chart import ChartConfig

    tickers = int(os.environ.get("BENCH_TICKERS", 5 if quick else 200))
    sizes: dict[int, dict[str, Any]] = {}
    for sessions, days in HISTORY_DAYS.items():
        config = ChartConfig(tickers=tickers, first_day=HISTORY_END - timedelta(days=days - 1), days=days)
        full, daily = _history_then_daily(WORK / f"incremental_{sessions}", config, 1 if quick else REPEATS)
        sizes[sessions] = {"full_refresh_s": full["seconds"], "daily_s": _median(daily), "runs": daily}
    flat = sizes[120]["daily_s"] / sizes[30]["daily_s"]
    share = sizes[120]["daily_s"] / sizes[120]["full_refresh_s"]
    median_run = sorted(sizes[120]["runs"], key=lambda r: r["seconds"])[len(sizes[120]["runs"]) // 2]
    return {
        "case": "c. incremental",
        "input": f"{tickers} tickers x 30 / 120 sessions of 1m bars, then 1 more session",
        "daily_30_s": sizes[30]["daily_s"],
        "daily_120_s": sizes[120]["daily_s"],
        "full_refresh_120_s": sizes[120]["full_refresh_s"],
        "full_refresh_30_s": sizes[30]["full_refresh_s"],
        "flat_ratio": flat,
        "share_of_full": share,
        "profile_120": {k: v for k, v in median_run.items() if k not in ("seconds", "peak_rss_mb")},
        "target": "<= 1.2 and <= 0.10",
        "met": flat <= 1.2 and share <= 0.10,
    }


# the loads of cases d and g: generated input at 1x, full / --quick (10x must stay affordable in a full `make bench`)
SCALE_EVENTS = {False: 300_000, True: 50_000}  # events (+ 15% re-deliveries)
SCALE_YAHOO_TICKERS = {False: 10, True: 2}  # tickers x 42 calendar days (about 30 sessions) of 1-minute bars
# case g: the factors, and the daily run's input, which is its history
FACTORS = (1, 3, 10)
SCALE_DAILY_SESSIONS = 12  # sessions of history at 1x before the daily run's one new session
SCALE_DAILY_TICKERS = {False: 20, True: 5}  # BENCH_SCALE_TICKERS overrides
# one daily run per size: the slope spans 10x, and case c repeats and profiles the daily run (keeps make bench < 30 min)
SCALE_DAILY_REPEATS = 1


@functools.cache
def _load_point(source: str, factor: int, quick: bool, repeats: int) -> dict[str, Any]:
    """Landing -> raw of `factor` x the 1x input, each repeat in its own worker: median seconds, highest peak RSS.
    Cached, so a run of cases d and g measures each size once."""
    root = WORK / f"scale_{source}_{factor}"
    _fresh(root)
    if source == "events":
        events_input(root, SCALE_EVENTS[quick] * factor)
    else:
        yahoo_input(root, SCALE_YAHOO_TICKERS[quick] * factor)
    runs = [_measure(_env(root), "load", source, "full") for _ in range(repeats)]
    return {
        "factor": factor,
        "input": f"{runs[0]['rows']:,.0f} rows in {runs[0]['files']:.0f} files",
        "seconds": _median(runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }


def case_memory(quick: bool) -> list[dict[str, Any]]:
    out = []
    scale = 10
    for source in ("events", "yahoo"):
        peaks = {factor: _load_point(source, factor, quick, REPEATS)["peak_rss_mb"] for factor in (1, scale)}
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


def _days_for_sessions(sessions: int) -> int:
    """Calendar days ending on HISTORY_END that hold `sessions` XNYS sessions and then the one new session."""
    import exchange_calendars as xcals

    start = HISTORY_END - timedelta(days=2 * sessions + 30)
    calendar = xcals.get_calendar("XNYS", start=start.isoformat(), end=HISTORY_END.isoformat())
    first = calendar.sessions_window(HISTORY_END.isoformat(), -(sessions + 1))[0].date()
    return (HISTORY_END - first).days + 1


def _daily_point(factor: int, tickers: int, repeats: int) -> dict[str, Any]:
    """The daily run (`grandstand run yahoo`, one new session) at `factor` x the 1x history; its dbt build timed."""
    from tests.generators.yahoo_chart import ChartConfig

    sessions = SCALE_DAILY_SESSIONS * factor
    days = _days_for_sessions(sessions)
    config = ChartConfig(tickers=tickers, first_day=HISTORY_END - timedelta(days=days - 1), days=days)
    full, runs = _history_then_daily(WORK / f"scale_daily_{factor}", config, repeats)
    return {
        "factor": factor,
        "input": f"{tickers} tickers x {sessions} sessions, then 1 more",
        "seconds": statistics.median(r["steps"]["dbt build"] for r in runs),
        "run_seconds": _median(runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "full_refresh_s": full["seconds"],
    }


def _slope(points: list[dict[str, Any]], key: str) -> float:
    """The log-log slope from the smallest to the largest factor: 1 grows as the input does, 0 is flat."""
    first, last = points[0], points[-1]
    return math.log(last[key] / first[key]) / math.log(last["factor"] / first["factor"])


def case_scaling(quick: bool) -> list[dict[str, Any]]:
    """How cost grows: each series at 1x, 3x and 10x its input, every run in its own worker process."""
    repeats = 1 if quick else REPEATS
    events, tickers = SCALE_EVENTS[quick], SCALE_YAHOO_TICKERS[quick]
    daily_tickers = int(os.environ.get("BENCH_SCALE_TICKERS", SCALE_DAILY_TICKERS[quick]))
    plans: list[tuple[str, str, Any]] = [
        (
            "events load",
            f"{events:,} generated events (+ re-deliveries) at 1x, landing -> raw",
            lambda k: _load_point("events", k, quick, repeats),
        ),
        (
            "yahoo load",
            f"{tickers} generated tickers x about 30 sessions of 1m bars at 1x, landing -> raw",
            lambda k: _load_point("yahoo", k, quick, repeats),
        ),
        (
            "daily run: dbt build (x = history)",
            f"{daily_tickers} tickers x {SCALE_DAILY_SESSIONS} sessions of history at 1x; x = history",
            lambda k: _daily_point(k, daily_tickers, SCALE_DAILY_REPEATS),
        ),
    ]
    rows = []
    for name, what, measure in plans:
        points = [measure(factor) for factor in FACTORS]
        rows.append(
            {
                "case": "g. scaling",
                "series": name,
                "input": what,
                "points": points,
                "time_slope": _slope(points, "seconds"),
                "memory_slope": _slope(points, "peak_rss_mb"),
                "target": "shown (log-log slope: 1 linear, 0 flat)",
                "met": None,
            }
        )
    return rows


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


def case_api(quick: bool) -> list[dict[str, Any]]:
    """p50/p95 of every dashboard query, and p50/p95/p99 of every API endpoint under 20 concurrent clients
    (bench/api_load.py), over BENCH_API_WAREHOUSE (its dbt target/ beside it, or BENCH_API_TARGET) when given,
    else over the warehouse case e built from the sample (built here when case e did not run)."""
    from bench.api_load import measure_api, measure_dashboard

    given = os.environ.get("BENCH_API_WAREHOUSE")
    if given:
        warehouse = Path(given)
        if not warehouse.exists():
            raise SystemExit(f"BENCH_API_WAREHOUSE={given}: no warehouse there")
    else:
        root = WORK / "build"
        if not (root / "warehouse.duckdb").exists():
            _fresh(root)
            _measure(_env(root), "cli", "run", "--full-refresh")
        warehouse = root / "warehouse.duckdb"
    target = Path(os.environ.get("BENCH_API_TARGET", warehouse.parent / "target"))
    dashboard = measure_dashboard(warehouse, target, repeats=5 if quick else 20)
    return dashboard + measure_api(warehouse, requests_per_client=3 if quick else 10)


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "versions": {p: version(p) for p in ("dlt", "duckdb", "dbt-core", "dbt-duckdb", "pyarrow")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke test of the harness")
    parser.add_argument("--case", action="append", choices=CASES, help="run only this case (repeatable)")
    args = parser.parse_args(argv)
    wants_chart = not args.case or "g" in args.case
    if wants_chart and (missing := chart.missing_dependency()):
        print(missing, file=sys.stderr)
        return 2
    started = time.perf_counter()
    report: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "repeats": REPEATS,
        "cases": [],
        "seconds_by_case": {},
    }
    for name, case in (
        ("a. load", lambda: case_load(args.quick)),
        ("b. events", lambda: [case_events_rate(args.quick)]),
        ("c. incremental", lambda: [case_incremental(args.quick)]),
        ("d. memory", lambda: case_memory(args.quick)),
        ("e. build", lambda: [case_build()]),
        ("f. api", lambda: case_api(args.quick)),
        ("g. scaling", lambda: case_scaling(args.quick)),
    ):
        if args.case and name.split(".")[0] not in args.case:
            continue
        print(f"bench: {name} ...", flush=True)
        case_started = time.perf_counter()
        results = case()
        report["seconds_by_case"][name] = time.perf_counter() - case_started
        report["cases"] += results
        for result in results:
            print("  " + json.dumps(result, default=str), flush=True)
    # only a full run of every case is the benchmark's record; a partial or quick run is written beside its data
    partial = args.quick or bool(args.case)
    scaling = [c for c in report["cases"] if c["case"] == "g. scaling"]
    if scaling:
        picture = WORK / "performance-scaling.png" if partial else CHART
        title = f"How cost grows: python -m bench{' --quick' if args.quick else ''}, {report['generated_at'][:10]}"
        report["chart"] = str(chart.draw(scaling, picture, title))
    report["total_seconds"] = time.perf_counter() - started
    out = WORK / "results-partial.json" if partial else RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report, out)
    return 0


def print_table(report: dict[str, Any], out: Path) -> None:
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
            measured = (
                f"daily run at 120 / 30 sessions: {c['daily_120_s']:.1f}s / {c['daily_30_s']:.1f}s = "
                f"{c['flat_ratio']:.2f}x; / full refresh {c['full_refresh_120_s']:.1f}s = {c['share_of_full']:.2f}"
            )
        elif c["case"] == "d. memory":
            measured = (
                f"{c['source']}: {c['peak_rss_10x_mb']:.0f} MB / {c['peak_rss_1x_mb']:.0f} MB = {c['ratio']:.2f}x"
            )
        elif c["case"] == "g. scaling":
            points = c["points"]
            measured = (
                f"{c['series']}: "
                + " / ".join(f"{p['seconds']:.1f}" for p in points)
                + " s, peak "
                + " / ".join(f"{p['peak_rss_mb']:.0f}" for p in points)
                + f" MB at {' / '.join(str(p['factor']) + 'x' for p in points)}; "
                + f"slope: time {c['time_slope']:.2f}, memory {c['memory_slope']:.2f}"
            )
        elif c["case"] == "f. api":
            measured = f"{c['endpoint']}: p50 {c['p50_ms']:.0f} / p95 {c['p95_ms']:.0f} / p99 {c['p99_ms']:.0f} ms"
        else:
            measured = f"make run {c['make_run_wall_s']:.1f}s; " + ", ".join(
                f"{k} {v:.1f}s" for k, v in sorted(c["dbt_seconds_by_layer"].items())
            )
        met = "-" if c["met"] is None else "yes" if c["met"] else "NO"
        table.add_row(c["case"], c.get("input", ""), measured, c["target"], met)
    Console().print(table)
    print(
        f"total {report['total_seconds']:.0f}s; written to {out}"
        + (f" and {report['chart']}" if "chart" in report else "")
    )


if __name__ == "__main__":
    raise SystemExit(main())
