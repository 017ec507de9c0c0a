"""`grandstand status`: the landing zone (its manifest rows and the files on disk, fewer once days are packed), the
retention policy, what is loaded, the last runs, and quarantined files. Read-only."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipelines.config import Settings
from pipelines.ingest.landing import LandingZone
from pipelines.ingest.load import FILES_TABLE, raw_dataset
from pipelines.ingest.registry import SOURCE_NAMES
from pipelines.operate.audit import SCHEMA, query
from pipelines.operate.reader import open_reader
from pipelines.operate.retention import retention


def print_status(settings: Settings, console: Console) -> None:
    landing = LandingZone(settings.landing)
    con, is_copy = open_reader(settings)
    if is_copy:
        console.print("a run is writing the warehouse: showing the last good copy")
    files = Table(title=f"landing zone {settings.landing}")
    for col in ("source", "files", "on disk", "bytes", "loaded", "quarantined", "not loaded"):
        files.add_column(col, justify="right" if col != "source" else "left")
    quarantined: list[tuple[str, str]] = []
    for source in SOURCE_NAMES:
        manifest = landing.manifest(source)
        loaded: dict[str, str] = {}
        if con is not None:
            rows = query(con, f'select sha256, status, error from "{raw_dataset(source)}"."{FILES_TABLE}"')
            loaded = {sha: status for sha, status, _ in rows}
            quarantined += [(source, err) for _, status, err in rows if status == "quarantined"]
        n_loaded = sum(1 for e in manifest if loaded.get(e.sha256) == "loaded")
        n_quar = sum(1 for e in manifest if loaded.get(e.sha256) == "quarantined")
        files.add_row(
            source,
            str(len(manifest)),
            str(landing.files_on_disk(source)),
            f"{sum(e.bytes for e in manifest):,}",
            str(n_loaded),
            str(n_quar),
            str(len(manifest) - n_loaded - n_quar),
        )
    console.print(files)
    console.print(f"landing files on disk: {landing.files_on_disk()} (packed per day by `grandstand maintain --apply`)")
    for line in retention().lines():
        console.print(f"retention: {line}")
    if con is None:
        console.print(f"no warehouse at {settings.warehouse} yet: run `make run`")
        return
    runs = Table(title="last runs (audit.load_runs)")
    for col in (
        "run",
        "source",
        "mode",
        "started",
        "seconds",
        "status",
        "filed",
        "loaded",
        "quarantined",
        "error",
    ):
        runs.add_column(col)
    for row in query(
        con,
        f"""select run_id, source, mode, strftime(started_at, '%Y-%m-%d %H:%M:%S'),
                  round(epoch(ended_at) - epoch(started_at), 1), status,
                  files_filed, files_loaded, files_quarantined, coalesce(error, '')
           from {SCHEMA}.load_runs order by started_at desc limit 15""",
    ):
        runs.add_row(*(str(v) for v in row))
    console.print(runs)
    if quarantined:
        console.print("[yellow]quarantined files:")
        for source, err in quarantined:
            console.print(f"  {source}: {err}", markup=False)
    con.close()
