"""Every incremental model, found in dbt's manifest, ends a backfill equal to a full refresh.

For each model with `materialized='incremental'`, as a user would run it, in subprocesses:
1. the warehouse is built from the shipped sample, less an *older window* of the model's source;
2. that window is brought in with `grandstand load SOURCE --from FILE…`;
3. the plain `grandstand transform` (incremental) runs;
4. the model is compared, by row checksums, with `grandstand transform --full-refresh` of the same raw data.
The window must reach the model in partitions older than the newest one built before it, so a model that decided
what to rebuild by event time (a lookback from its latest partition) fails here.

A new incremental model is covered without anyone remembering it; one whose source has no older window below
fails until one is added to `OLDER_WINDOWS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.landing import MANIFEST
from pipelines.lake.engines import relation_checksums
from pipelines.transform.manifest import models, parse_manifest
from tests.e2e import run_cli
from tests.generators.yahoo_chart import ChartConfig, bodies

pytestmark = pytest.mark.slow

SOURCES = ("coincap", "yahoo", "hkjc", "events", "f1")


def _withhold(landing: Path, source: str, wanted: Callable[[dict], bool], out: Path) -> list[Path]:
    """Take the landing entries `wanted` picks out of the manifest (as if they had never been filed), and return
    copies of their bytes under their original names, for `load --from`."""
    manifest = landing / source / MANIFEST
    entries = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    kept = [e for e in entries if not wanted(e)]
    manifest.write_text("".join(json.dumps(e, sort_keys=True) + "\n" for e in kept))
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for entry in entries:
        if wanted(entry):
            copy = out / entry["path"].rsplit("/", 1)[1].split("__", 1)[1]
            copy.write_bytes((landing / entry["path"]).read_bytes())
            files.append(copy)
    return files


def _f1_older_seasons(landing: Path, out: Path) -> list[Path]:
    """Real Jolpica laps of 2018 and 2020: seasons far behind the sample's latest (2026)."""
    return _withhold(
        landing, "f1", lambda e: e["endpoint"] == "jolpica" and e["path"].endswith(("2018_4_laps_1.json",
                                                                                     "2020_7_laps_1.json")), out
    )  # fmt: skip


def _events_older_days(landing: Path, out: Path) -> list[Path]:
    """The first two days of the clickstream drop (2026-11-01/02), a week before its last."""
    return _withhold(
        landing,
        "events",
        lambda e: "__dt=2026-11-01__" in e["path"] or "__dt=2026-11-02__" in e["path"],
        out,
    )


def _yahoo_older_sessions(landing: Path, out: Path) -> list[Path]:
    """GENERATED 1-minute bars (ticker GEN000, meta `generated: true`) for three sessions a month before the
    sample's only 1-minute session (2024-10-01): the sample holds no older real 1-minute window to withhold."""
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, body, _ in bodies(ChartConfig(tickers=1, first_day=date(2024, 9, 3), days=3)):
        (out / name).write_bytes(body)
        files.append(out / name)
    return files


# loader source -> how to take an older window out of (or, failing that, beside) its sample
OLDER_WINDOWS: dict[str, Callable[[Path, Path], list[Path]]] = {
    "f1": _f1_older_seasons,
    "events": _events_older_days,
    "yahoo": _yahoo_older_sessions,
}


def _incremental_models() -> list[tuple[str, str, str]]:
    """(model, partition column, loader source) for every incremental model, from dbt's manifest."""
    manifest = parse_manifest(Path(__file__).parents[1] / "target" / "late-data-parse")
    found = []
    for node in models(manifest):
        if node["config"]["materialized"] != "incremental":
            continue
        loaders = {
            manifest["sources"][parent]["schema"].removeprefix("raw_")
            for parent in _ancestors(manifest, node["unique_id"])
            if parent.startswith("source.")
        }
        loaders.discard("audit")
        assert len(loaders) == 1, f"{node['name']} reads several loaders {loaders}: give the test one window each"
        found.append((node["name"], node["config"]["unique_key"], loaders.pop()))
    assert found, "no incremental model found: the manifest lookup is broken"
    return sorted(found)


def _ancestors(manifest: dict, unique_id: str) -> set[str]:
    seen: set[str] = set()
    todo = [unique_id]
    while todo:
        for parent in manifest["parent_map"].get(todo.pop(), []):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _model_state(root: Path, model: str, partition: str) -> tuple[tuple[int, int], dict]:
    """(rows, checksum) of the model, and its row count per partition."""
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        found = con.execute("select table_schema from information_schema.tables where table_name = ?", [model])
        relation = f'{found.fetchone()[0]}."{model}"'  # a mart, or an incremental intermediate model
        rows, _, digest = relation_checksums(con, relation)
        sql = f"select {partition}, count(*) from {relation} group by 1"
        return (rows, digest), dict(con.execute(sql).fetchall())
    finally:
        con.close()


@pytest.mark.parametrize(("model", "partition", "loader"), _incremental_models())
def test_backfilled_window_reaches_the_model_as_a_full_refresh_would(
    tmp_path: Path, model: str, partition: str, loader: str
) -> None:
    assert loader in OLDER_WINDOWS, f"{model} reads raw_{loader}: add an older window for {loader} to this test"
    for source in SOURCES:
        run_cli(tmp_path, "extract", source)
    late = OLDER_WINDOWS[loader](tmp_path / "landing", tmp_path / "late")
    assert late, f"no older window for {loader}"
    for source in SOURCES:
        run_cli(tmp_path, "load", source)
    run_cli(tmp_path, "transform", "--full-refresh", "--select", f"+{model}")
    before, partitions_before = _model_state(tmp_path, model, partition)

    run_cli(tmp_path, "load", loader, "--from", *map(str, late))
    run_cli(tmp_path, "transform", "--select", f"+{model}")
    incremental, partitions_after = _model_state(tmp_path, model, partition)

    grown = {p for p, n in partitions_after.items() if n > partitions_before.get(p, 0)}
    assert grown, f"the older window never reached {model}"
    if not isinstance(min(grown), str):  # a time partition (a ticker-keyed model gets the window's new ticker)
        assert min(grown) < max(partitions_before), f"the window {sorted(grown)} is not older than what {model} held"
    assert incremental != before

    run_cli(tmp_path, "transform", "--full-refresh", "--select", f"+{model}")
    full_refresh, _ = _model_state(tmp_path, model, partition)
    assert incremental == full_refresh
