"""`grandstand`: the one entry point. extract → landing zone, load → raw_<source>, transform → dbt."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipelines import __version__
from pipelines.config import MODES, Settings, disable_telemetry, load_settings
from pipelines.ingest.extract import extract, file_paths
from pipelines.ingest.http import FetchError
from pipelines.ingest.load import LoadResult, load_source
from pipelines.ingest.load import Progress as LoadProgress
from pipelines.ingest.registry import SOURCE_NAMES, get_spec
from pipelines.ingest.spec import UnknownFormat
from pipelines.operate.lock import WarehouseBusy, writer_lock
from pipelines.operate.reader import save_last_good_copy
from pipelines.operate.selection import run_selection, scheduled_run_excludes
from pipelines.operate.source_run import extract_and_load

console = Console(stderr=True)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _source(text: str) -> str:
    if text not in SOURCE_NAMES:
        raise argparse.ArgumentTypeError(f"unknown source {text!r}; choose from {', '.join(SOURCE_NAMES)}")
    return text


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@contextmanager
def _progress_bar(label: str) -> Iterator[tuple[LoadProgress, Callable[[str], None]]]:
    """A transient progress bar, and the two callbacks that drive it: per landing file loaded, and per stage."""
    with _progress() as progress:
        task = progress.add_task(label, total=None)

        def tick(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total, description=f"load {Path(path).name[:40]}")

        def stage(text: str) -> None:
            progress.update(task, description=text)

        yield tick, stage


def _load_with_progress(source: str, settings: Settings, full_refresh: bool, run_id: str) -> LoadResult:
    with _progress_bar(f"load {source}") as (tick, _):
        return load_source(get_spec(source), settings, full_refresh=full_refresh, run_id=run_id, progress=tick)


def _extract_and_load(
    sources: Sequence[str],
    settings: Settings,
    *,
    full_refresh: bool,
    start: date | None = None,
    end: date | None = None,
    run_id: str | None = None,
) -> tuple[bool, list[str]]:
    """Extract then load each source; one source's failure does not stop the others. Returns (ok, lines)."""
    ok, lines = True, []
    run_id = run_id or uuid.uuid4().hex[:12]
    for source in sources:
        with _progress_bar(f"extract {source}") as (tick, stage):
            run = extract_and_load(
                source, settings, run_id=run_id, start=start, end=end, full_refresh=full_refresh, progress=tick,
                stage=stage,
            )  # fmt: skip
        if run.error:
            ok = False
            console.print(f"✗ {source}: {run.error}", style="red", soft_wrap=True, markup=False)
        lines += run.summary() + ([f"  ✗ {source}: {run.error}"] if run.error else [])
    return ok, lines


def _failed(counts: Counter[str]) -> int:
    return sum(n for k, n in counts.items() if k.endswith((":fail", ":error")))


def _count_line(counts: Counter[str]) -> str:
    built = sum(
        n for k, n in counts.items() if k.split(":")[0] in ("model", "seed", "snapshot") and k.endswith("success")
    )
    passed = counts.get("test:pass", 0) + counts.get("unit_test:pass", 0)
    warned = counts.get("test:warn", 0)
    return f"{built} models/seeds/snapshots built, {passed} tests passed, {warned} warned, {_failed(counts)} failed"


def _caught_up(select: list[str] | None) -> list[str] | None:
    """The sources a build of `select` brings up to date (None: all of them, a build of the whole project)."""
    if select is None:
        return None
    return [item[len("tag:") : -1] for item in select if item.startswith("tag:") and item.endswith("+")]


def _transform(
    settings: Settings,
    select: list[str] | None,
    full_refresh: bool,
    run_id: str | None = None,
    *,
    caught_up: Sequence[str] | None = (),
    exclude_resource_types: Sequence[str] = (),
) -> tuple[bool, list[str]]:
    """dbt build, source freshness and the quality report; then the run's transform is recorded against its loads
    (`run_id`, for audit.run_slas) and the alerts it raises are sent: failed error-severity tests, stale sources,
    missed SLAs."""
    from datetime import UTC, datetime

    from pipelines.operate.alerts import Alert, missed_sla_alerts, send_alerts, summary_line
    from pipelines.operate.audit import record_transform
    from pipelines.transform.runner import build

    with console.status("dbt build"):
        result = build(
            settings, select=select, full_refresh=full_refresh, exclude_resource_types=exclude_resource_types
        )
    failed = _failed(result.counts)
    lines = [f"dbt: {_count_line(result.counts)}"]
    lines += [f"  ✗ {f}" for f in result.failures[:20]]
    from pipelines.transform.quality_report import write_quality_report
    from pipelines.transform.runner import source_freshness_results

    with console.status("dbt source freshness"):
        freshness, stale = source_freshness_results(settings)
    lines.append("freshness: " + (", ".join(f"{n} {s}" for s, n in sorted(freshness.items())) or "no sources"))

    lines.append(f"quality report: {write_quality_report(settings)}")
    label = run_id or f"transform-{uuid.uuid4().hex[:12]}"  # `run_id`: the run (or transform) being reported
    alerts = [Alert("test-failure", label, c.unique_id, c.failing_rows, c.message) for c in result.failed_checks]
    alerts += [
        Alert("stale-source", label, s.unique_id, None, f"newest row loaded at {s.max_loaded_at} ({s.age_hours} h "
              "ago): past the source's error_after freshness")
        for s in stale
    ]  # fmt: skip
    # a model, seed or snapshot that failed to build: the loads have not reached the marts, and the next run's
    # selection (pipelines/operate/selection.py) takes their sources again
    built = result.counts["error"] == sum(c.status == "error" for c in result.failed_checks)
    if run_id and built:
        record_transform(settings, run_id, datetime.now(UTC), len(result.failed_checks), caught_up=caught_up)
        alerts += missed_sla_alerts(settings, run_id)
    alert_line = summary_line(alerts, send_alerts(settings, alerts))
    if alert_line:
        lines.append(alert_line)
    return result.ok and failed == 0, lines


def _finish(ok: bool, lines: list[str], started: float, *, alert: tuple[Settings, str, str] | None = None) -> int:
    """Print the summary; a failed `run`, `transform` or `backfill` (`alert`: settings, run id, command) sends the
    failed-run alert, naming the run, the command and the failures the summary lists."""
    if not ok and alert is not None:
        from pipelines.operate.alerts import Alert, send_alerts, summary_line

        settings, run_id, command = alert
        failed_lines = "\n".join(line.strip() for line in lines if "✗" in line)
        failure = Alert("failed-run", run_id, command, None, failed_lines or "see the run's summary")
        alert_line = summary_line([failure], send_alerts(settings, [failure]))
        if alert_line:
            lines = [*lines, alert_line]
    console.rule("summary")
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    console.print(f"{'OK' if ok else 'FAILED'} in {time.monotonic() - started:.1f}s")
    return 0 if ok else 1


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    started = time.monotonic()
    sources = args.sources or list(SOURCE_NAMES)
    run_id = uuid.uuid4().hex[:12]
    with writer_lock(settings.lock_path):
        ok, lines = _extract_and_load(sources, settings, full_refresh=args.full_refresh, run_id=run_id)
        # downstream of the sources whose loaded rows have not reached the marts yet (and the SLA view the
        # missed-SLA alerts read): a daily run costs what its new data costs
        select = run_selection(settings, full_refresh=args.full_refresh)
        t_ok, t_lines = _transform(
            settings,
            select,
            args.full_refresh,
            run_id,
            caught_up=_caught_up(select),
            exclude_resource_types=scheduled_run_excludes(full_refresh=args.full_refresh),
        )
        if ok and t_ok:
            save_last_good_copy(settings)
    command = " ".join(["grandstand run", *args.sources])
    return _finish(ok and t_ok, lines + t_lines, started, alert=(settings, run_id, command))


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    """Extract only the windows missing between --start and --end, then load and transform that source.

    What is missing is worked out by the one cursor (`pipelines.ingest.cursor`) from the landing manifest, the same
    way for every source: a backfill run twice asks for nothing the second time, and the summary says how many
    windows were already landed."""
    if args.end < args.start:
        raise ValueError(f"--end {args.end} is before --start {args.start}")
    started = time.monotonic()
    run_id = uuid.uuid4().hex[:12]
    with writer_lock(settings.lock_path):
        ok, lines = _extract_and_load(
            [args.source], settings, full_refresh=False, start=args.start, end=args.end, run_id=run_id
        )
        select = [f"tag:{args.source}+", "resource_type:seed", "+run_slas"]
        t_ok, t_lines = _transform(
            settings,
            select,
            False,
            run_id,
            caught_up=[args.source],
            exclude_resource_types=scheduled_run_excludes(full_refresh=False),
        )
    command = f"grandstand backfill {args.source}"
    return _finish(ok and t_ok, lines + t_lines, started, alert=(settings, run_id, command))


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    started = time.monotonic()
    spec = get_spec(args.source)
    result = extract(spec, settings, settings.mode, args.start, args.end, on_file=lambda p: console.print(f"  {p}"))
    line = f"{spec.name}: {result.new_files} new, {result.known_files} already filed"
    if result.skipped_windows:
        line += f", {result.skipped_windows} window(s) already landed, not asked for"
    return _finish(True, [line], started)


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    started = time.monotonic()
    spec = get_spec(args.source)
    lines = []
    with writer_lock(settings.lock_path):
        if args.from_paths:
            filed = file_paths(spec, settings, [Path(p) for p in args.from_paths])
            lines.append(f"filed {filed.new_files} new file(s) ({filed.known_files} already in the landing zone)")
        result = _load_with_progress(spec.name, settings, False, uuid.uuid4().hex[:12])
    rows = ", ".join(f"{t}={n}" for t, n in sorted(result.rows.items())) or "no new rows"
    lines.append(f"{spec.name}: {result.files_loaded} loaded, {result.files_quarantined} quarantined; rows: {rows}")
    lines += [f"  quarantined {m}" for m in result.errors]
    return _finish(True, lines, started)


def cmd_transform(args: argparse.Namespace, settings: Settings) -> int:
    started = time.monotonic()
    if args.target == "spark":
        return _finish(*_transform_on_spark(settings, args.select, args.full_refresh), started)
    if args.target == "iceberg":
        from pipelines.lake.iceberg_read import build_on_iceberg

        with console.status("dbt build from the Iceberg lake"):
            result = build_on_iceberg(settings, args.select, args.full_refresh)
        lines = [f"iceberg: {_count_line(result.counts)}"] + [f"  ✗ {f}" for f in result.failures[:20]]
        return _finish(result.ok and not result.failures, lines, started)
    run_id = f"transform-{uuid.uuid4().hex[:12]}"
    with writer_lock(settings.lock_path):
        caught_up = None if args.select is None else ()  # the whole project brings every source up to date
        ok, lines = _transform(settings, args.select, args.full_refresh, run_id, caught_up=caught_up)
    return _finish(ok, lines, started, alert=(settings, run_id, "grandstand transform"))


def _transform_on_spark(settings: Settings, select: list[str] | None, full_refresh: bool) -> tuple[bool, list[str]]:
    """dbt build on the local SparkSession, from the lake. The DuckDB warehouse is not touched: no lock."""
    from pipelines.lake.spark import build_on_spark

    with console.status("dbt build on Spark"):
        result = build_on_spark(settings, select, full_refresh)
    lines = [f"spark: {_count_line(result.counts)}"] + [f"  ✗ {f}" for f in result.failures[:20]]
    return result.ok and not result.failures, lines


def cmd_export_raw(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.lake.export import export_raw, lake_location

    started = time.monotonic()
    location = args.lake or lake_location(settings)
    if args.as_of:
        from pipelines.lake.iceberg_read import counts_as_of, parse_as_of

        return _finish(True, counts_as_of(settings, location, parse_as_of(args.as_of)), started)
    if args.format == "iceberg":
        from pipelines.lake.iceberg import export_iceberg, export_lines

        return _finish(True, export_lines(export_iceberg(settings, location), location), started)
    tables = export_raw(settings, location)
    lines = [f"{len(tables)} raw tables written as Parquet under {location}"]
    lines += [
        f"  {t.schema}.{t.table}: {t.rows} rows{' (partitioned by _fetched_on)' if t.partitioned else ''}"
        for t in tables
    ]
    return _finish(True, lines, started)


def cmd_compare_engines(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.lake.engines import compare_engines, write_comparison

    started = time.monotonic()
    results = compare_engines(settings, args.target)
    lines = []
    for r in results:
        if r.equal:
            verdict = "equal"
        else:
            detail = f"rows {r.duckdb_rows} v {r.spark_rows}"
            if r.differing_columns:
                detail += "; columns " + ", ".join(r.differing_columns)
            verdict = f"DIFFERENT ({detail})" + (f" — listed: {r.listed_reason}" if r.listed_reason else "")
        lines.append(f"{r.mart}: {verdict}")
    unlisted = [r.mart for r in results if not r.ok]
    other = "Spark" if args.target == "spark" else "the Iceberg build"
    lines.append(f"{sum(r.equal for r in results)} of {len(results)} marts equal on DuckDB and {other}")
    if unlisted:
        lines.append("not listed in docs/portability.md: " + ", ".join(unlisted))
    lines.append(f"comparison: {write_comparison(settings, results)}")
    return _finish(not unlisted and bool(results), lines, started)


def cmd_predict(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.serve.predict.commands import latest_race, run_backtest

    started = time.monotonic()
    if args.backtest:
        run = run_backtest(settings, first_season=args.first_season)
        overall = run.backtest.overall.iloc[0]
        lines = [
            f"backtest {run.first_season}–{run.last_season}, {run.backtest.races} races: "
            f"top-1 {overall.model_top1:.1%}, top-3 {overall.model_top3:.1%}, log loss {overall.model_log_loss:.3f}",
            f"baselines: pole sitter {overall.pole_top1:.1%}, championship leader {overall.leader_top1:.1%}",
            f"model card: {run.card}",
        ]
        return _finish(True, lines, started)
    race = latest_race(settings)
    first = race.iloc[0]
    lines = [f"{first.season} round {first.round_number} ({first.race_date}), trained through {first.trained_through}:"]
    for r in race.head(args.top).itertuples():
        lines.append(f"{r.predicted_rank:>2}. {r.driver_id:<20} {r.win_probability:6.1%}")
    return _finish(True, lines, started)


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.serve.docs import generate, serve

    site = generate(settings)
    console.print(f"docs site: {site}/index.html")
    if args.serve:
        serve(site, args.port)
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.serve.report.daily import run as run_daily_report

    return run_daily_report(settings, args.date, pdf=not args.no_pdf, send=not args.no_send)


def cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the Streamlit dashboards on localhost (read-only; falls back to the last good copy)."""
    import subprocess

    app = Path(__file__).parent / "serve" / "dashboard" / "app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(args.port),
        "--browser.gatherUsageStats",
        "false",
    ]
    console.print(f"dashboards on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
    return subprocess.call(command)


def cmd_api(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the read-only data API on localhost (falls back to the last good copy while a run writes)."""
    import uvicorn

    from pipelines.serve.api.app import create_app

    console.print(f"API on http://{args.host}:{args.port}/ (docs at /docs; Ctrl-C to stop)")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_orchestrate(args: argparse.Namespace, settings: Settings) -> int:
    """Start Dagster (webserver + daemon) on the definitions in pipelines/orchestrate/, DAGSTER_HOME under data/;
    Ctrl-C (or a SIGINT/SIGTERM to this process) stops it and everything it started."""
    try:
        from pipelines.orchestrate.dev import serve
    except ImportError as exc:  # the CLI runs without Dagster; only this command needs it
        console.print(f"error: Dagster is not installed ({exc}); run `make setup`", style="red", markup=False)
        return 2
    return serve(settings, args.host, args.port, say=lambda line: console.print(line, markup=False))


def cmd_maintain(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.lake.maintain import maintain

    started = time.monotonic()
    return _finish(True, maintain(settings, apply=args.apply, location=args.lake).summary(), started)


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.operate.status import print_status

    print_status(settings, console)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grandstand",
        description="Grandstand ELT: extract raw responses into the landing zone, load them into DuckDB with dlt, "
        "and build the dbt models.",
        epilog="Environment: GRANDSTAND_MODE (sample|live), GRANDSTAND_WAREHOUSE, GRANDSTAND_LANDING.",
    )
    parser.add_argument("--version", action="version", version=f"grandstand {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def mode_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--mode", choices=MODES, help="sample (recorded responses, offline; default) or live")

    p = sub.add_parser("run", help="extract + load + transform (all sources by default)")
    p.add_argument("sources", nargs="*", type=_source, metavar="SOURCE", help=f"any of: {', '.join(SOURCE_NAMES)}")
    mode_arg(p)
    p.add_argument(
        "--full-refresh", action="store_true", help="rebuild raw tables and every model from the landing zone"
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("extract", help="fill the landing zone only")
    p.add_argument("source", type=_source, metavar="SOURCE")
    mode_arg(p)
    p.add_argument("--start", type=_date, help="first date to fetch (live mode)")
    p.add_argument("--end", type=_date, help="last date to fetch (live mode)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("backfill", help="extract the missing windows of a date range, then load and transform")
    p.add_argument("source", type=_source, metavar="SOURCE")
    mode_arg(p)
    p.add_argument("--start", type=_date, required=True, help="first date (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, required=True, help="last date (YYYY-MM-DD)")
    p.set_defaults(func=cmd_backfill)

    p = sub.add_parser("load", help="load landing files not yet loaded into raw_<source>")
    p.add_argument("source", type=_source, metavar="SOURCE")
    p.add_argument(
        "--from",
        dest="from_paths",
        nargs="+",
        metavar="PATH",
        help="first file these raw files (a page, a JSON body, a dump CSV) into the landing zone",
    )
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("transform", help="dbt build with our profile")
    p.add_argument("--select", nargs="+", metavar="SELECTOR", help="dbt selectors, passed through")
    p.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    p.add_argument(
        "--target",
        choices=("duckdb", "spark", "iceberg"),
        default="duckdb",
        help="duckdb (the warehouse; default), spark (a local SparkSession over the lake; `make setup-spark`) or "
        "iceberg (DuckDB over the Iceberg lake, in iceberg.duckdb beside the warehouse)",
    )
    p.set_defaults(func=cmd_transform)

    p = sub.add_parser("export-raw", help="write every raw_<source> table to the lake: Parquet, or Iceberg tables")
    p.add_argument("--lake", metavar="PATH", help="a folder or s3://bucket/prefix (default GRANDSTAND_LAKE, data/lake)")
    p.add_argument(
        "--format",
        choices=("parquet", "iceberg"),
        default="parquet",
        help="parquet (a full copy, what Spark reads; default) or iceberg (incremental, with snapshots)",
    )
    p.add_argument("--as-of", metavar="TIME", help="with iceberg: write nothing, show each table as of TIME")
    p.set_defaults(func=cmd_export_raw)

    p = sub.add_parser("compare-engines", help="row counts and content checksums of every mart, DuckDB v Spark")
    p.add_argument("--target", choices=("spark", "iceberg"), default="spark", help="the build to compare with")
    p.set_defaults(func=cmd_compare_engines)

    p = sub.add_parser("predict", help="F1 race-winner model: the latest race's win probabilities, or --backtest")
    p.add_argument("--backtest", action="store_true", help="rolling-origin backtest; writes docs/models/race_winner.md")
    p.add_argument("--first-season", type=int, default=2000, help="first season the backtest predicts (default 2000)")
    p.add_argument("--top", type=int, default=10, help="drivers to list for the latest race (default 10)")
    p.set_defaults(func=cmd_predict)
    p = sub.add_parser("docs", help="generate (and serve) the dbt docs site: the data dictionary")
    p.add_argument("--serve", action="store_true", help="serve the site on localhost")
    p.add_argument("--port", type=int, default=8080, help="port for --serve (default 8080)")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("report", help="write the daily KPI report (HTML + PDF) from the semantic layer, and send it")
    p.add_argument("kind", choices=["daily"])
    p.add_argument("--date", type=_date, default=None, help="the report's date in its file name (default: today, UTC)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF (headless Chromium)")
    p.add_argument("--no-send", action="store_true", help="do not send it through the alert channel")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("dashboard", help="serve the dashboards on localhost")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser("api", help="serve the read-only data API on localhost (OpenAPI docs at /docs)")
    p.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=cmd_api)

    p = sub.add_parser(
        "maintain", help="upkeep by the retention policy: pack landing days, compact and expire the Iceberg lake"
    )
    p.add_argument("--apply", action="store_true", help="act; without it, a dry run that says what it would do")
    p.add_argument("--lake", metavar="PATH", help="the lake's folder or s3://bucket/prefix (default GRANDSTAND_LAKE)")
    p.set_defaults(func=cmd_maintain)

    p = sub.add_parser("status", help="landing zone, loaded files, last runs, quarantined files")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("orchestrate", help="start the Dagster UI and daemon: assets, schedules, sensor, backfills")
    mode_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to serve the UI on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    p.set_defaults(func=cmd_orchestrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    disable_telemetry()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    # urllib3 logs every retry; the one line that matters is the FetchError naming the URL once retries are spent
    logging.getLogger("urllib3").setLevel(logging.DEBUG if args.verbose else logging.ERROR)
    try:
        settings = load_settings(getattr(args, "mode", None))
        return int(args.func(args, settings))
    except WarehouseBusy as exc:
        console.print(str(exc), style="red", soft_wrap=True, markup=False)
        return 75
    except FetchError as exc:  # the service could not be reached, after retries: one line naming the URL
        console.print(f"error: {exc}", style="red", soft_wrap=True, markup=False)
        return 1
    except (UnknownFormat, FileNotFoundError, KeyError, ValueError) as exc:
        console.print(f"error: {exc}", style="red", soft_wrap=True, markup=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())
