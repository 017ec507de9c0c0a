"""One source's extract and load, recorded in audit.load_runs: what `grandstand run` and `backfill` do before dbt,
and what each Dagster source asset does. One code path, whoever calls it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pipelines.config import Settings
from pipelines.ingest.extract import extract
from pipelines.ingest.load import LoadResult, Progress, load_source
from pipelines.ingest.registry import get_spec
from pipelines.operate.audit import RunRecord, latest_data_to, record_run


@dataclass
class SourceRun:
    source: str
    filed: int = 0
    skipped_windows: int = 0
    result: LoadResult = field(default_factory=lambda: LoadResult(source=""))
    error: str | None = None

    @property
    def status(self) -> str:
        return "failed" if self.error else ("quarantined" if self.result.files_quarantined else "ok")

    def summary(self) -> list[str]:
        """The run's lines for a person: what was filed, loaded and quarantined."""
        result = self.result
        rows = ", ".join(f"{t}={n}" for t, n in sorted(result.rows.items())) or "no new rows"
        dupes = sum(result.duplicates.values())
        line = (
            f"{self.source}: {self.filed} new file(s) filed"
            + (f" ({self.skipped_windows} window(s) already landed, not asked for)" if self.skipped_windows else "")
            + f", {result.files_loaded} loaded, {result.files_quarantined} quarantined; rows: {rows}"
            + (f"; {dupes} duplicate key(s) removed" if dupes else "")
            + (f"; data {result.data_from} .. {result.data_to}" if result.data_from else "")
        )
        return [line, *(f"  quarantined {message}" for message in result.errors)]


def extract_and_load(
    source: str,
    settings: Settings,
    *,
    run_id: str,
    start: date | None = None,
    end: date | None = None,
    full_refresh: bool = False,
    progress: Progress | None = None,
    stage: Callable[[str], None] | None = None,
) -> SourceRun:
    """Extract then load one source and record the run. A failure is recorded and returned, never raised, so the
    caller decides: the CLI goes on to the next source, Dagster fails (and retries) the asset."""
    spec = get_spec(source)
    run = SourceRun(source=source, result=LoadResult(source=source))
    started = datetime.now(UTC)
    # a full refresh reloads everything: nothing in it is late
    late_before = None if full_refresh else latest_data_to(settings, source)
    try:
        if stage:
            stage(f"extract {source} ({settings.mode})" + (f" {start} .. {end}" if start else ""))
        extracted = extract(spec, settings, settings.mode, start, end)
        run.filed, run.skipped_windows = extracted.new_files, extracted.skipped_windows
        if stage:
            stage(f"load {source}: {run.filed} new file(s) filed")
        run.result = load_source(
            spec, settings, full_refresh=full_refresh, run_id=run_id, progress=progress, late_before=late_before
        )
    except Exception as exc:  # recorded in audit.load_runs; the caller reports it
        run.error = f"{exc.__class__.__name__}: {exc}"
    result = run.result
    record_run(
        settings,
        RunRecord(
            run_id=run_id,
            source=source,
            mode=settings.mode,
            started_at=started,
            ended_at=datetime.now(UTC),
            status=run.status,
            files_filed=run.filed,
            files_loaded=result.files_loaded,
            files_quarantined=result.files_quarantined,
            rows_loaded=result.rows,
            error=run.error,
            duplicates_removed=result.duplicates,
            data_from=result.data_from,
            data_to=result.data_to,
            late_rows=None if full_refresh else result.late_rows,
        ),
    )
    return run
