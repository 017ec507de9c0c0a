"""Packing the landing zone: one archive per source/endpoint/day, every original still read byte for byte, and
crash-safe (a SIGKILL at each step leaves the old layout or the new one, never less data)."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.config import Settings
from pipelines.ingest.extract import extract
from pipelines.ingest.landing import LandingZone, RawFile, days_to_pack, pack_day
from pipelines.ingest.registry import get_spec
from pipelines.lake.engines import relation_checksums
from pipelines.lake.maintain import maintain
from pipelines.operate.retention import Retention
from tests.e2e import LOAD_IDS, TIME_OF_FILING, cli_env, run_cli

PACK_ALL = Retention(compact_after_days=0)


def _contents(zone: LandingZone, source: str) -> dict[tuple[str, str], bytes]:
    """(endpoint, sha256) → bytes as the zone reads them now, each checked against its sha256."""
    out = {}
    for entry in zone.manifest(source):
        data = zone.read(entry)
        assert hashlib.sha256(data).hexdigest() == entry.sha256, entry.path
        out[(entry.endpoint, entry.sha256)] = data
    return out


@pytest.fixture(scope="module")
def f1_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped F1 sample (real recorded responses), filed into a landing zone once for this module."""
    root = tmp_path_factory.mktemp("f1_landing")
    settings = Settings(mode="sample", warehouse=root / "warehouse.duckdb", landing=root / "landing")
    extract(get_spec("f1"), settings, "sample")
    return root / "landing"


def test_a_packed_day_reads_every_original_unchanged(f1_landing: Path, tmp_path: Path) -> None:
    shutil.copytree(f1_landing, tmp_path / "landing")
    zone = LandingZone(tmp_path / "landing")
    before = _contents(zone, "f1")
    stale_rows = zone.manifest("f1")
    files_before = zone.files_on_disk("f1")

    packs = days_to_pack(zone, "f1")
    assert packs and all(p.loose == len(p.entries) for p in packs)
    for pack in packs:
        pack_day(zone, pack)

    fresh = LandingZone(tmp_path / "landing")
    assert _contents(fresh, "f1") == before
    assert fresh.files_on_disk("f1") == files_before - sum(len(p.entries) for p in packs) + len(packs)
    rows = fresh.manifest("f1")
    assert [(r.path, r.sha256, r.bytes) for r in rows] == [(r.path, r.sha256, r.bytes) for r in stale_rows]
    packed = {(e.endpoint, e.sha256) for p in packs for e in p.entries}
    assert all(r.archive for r in rows if (r.endpoint, r.sha256) in packed)
    # a row read before packing still finds its bytes (the reader looks it up again)
    assert fresh.read(stale_rows[0]) == before[(stale_rows[0].endpoint, stale_rows[0].sha256)]
    # filing known content again is recognised; new content lands loose and the next pass re-packs its day
    first = stale_rows[0]
    again, new = fresh.file("f1", RawFile(first.endpoint, "x", before[(first.endpoint, first.sha256)], "o"))
    assert not new and again.archive
    extra, new = fresh.file("f1", RawFile(rows[0].endpoint, "late.json", b'{"late": true}', "o"))
    assert new and extra.archive is None
    repack = days_to_pack(fresh, "f1")
    assert len(repack) == 1 and repack[0].loose == 1
    pack_day(fresh, repack[0])
    assert LandingZone(tmp_path / "landing").read(extra) == b'{"late": true}'
    assert len(list((tmp_path / "landing" / repack[0].folder).iterdir())) == 1, "the day's old archive is left"
    assert days_to_pack(fresh, "f1") == []


def test_maintain_is_a_dry_run_unless_applied(f1_landing: Path, tmp_path: Path) -> None:
    shutil.copytree(f1_landing, tmp_path / "landing")
    settings = Settings(mode="sample", warehouse=tmp_path / "warehouse.duckdb", landing=tmp_path / "landing")
    dry = maintain(settings, apply=False, policy=PACK_ALL)
    assert any("would pack" in line for line in dry.lines)
    assert dry.landing_files_after == dry.landing_files_before
    done = maintain(settings, apply=True, policy=PACK_ALL)
    assert done.landing_files_after < done.landing_files_before
    # the default policy packs only days a month old: the sample was filed today
    assert not any("pack" in line for line in maintain(settings, apply=False, policy=Retention()).lines)


@pytest.mark.parametrize(
    "fault",
    ["pack-archived:f1:1", "pack-archived:f1:2", "pack-switched:f1:1", "pack-removed:f1:1", "pack-removed:f1:30"],
)
def test_sigkill_during_compaction_leaves_a_readable_zone_with_all_data(
    f1_landing: Path, tmp_path: Path, fault: str
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(f1_landing, landing)
    before = _contents(LandingZone(landing), "f1")
    env = cli_env(tmp_path, GRANDSTAND_FAULT=fault, GRANDSTAND_COMPACT_AFTER_DAYS="0")
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.lake.maintain", "--apply"], env=env, capture_output=True, timeout=300
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]

    assert _contents(LandingZone(landing), "f1") == before  # old layout, new one, or between: all readable
    env.pop("GRANDSTAND_FAULT")
    finish = subprocess.run(
        [sys.executable, "-m", "pipelines.lake.maintain", "--apply"], env=env, capture_output=True, timeout=300
    )
    assert finish.returncode == 0, finish.stderr.decode()[-2000:]
    zone = LandingZone(landing)
    assert _contents(zone, "f1") == before
    assert days_to_pack(zone, "f1") == []
    assert not [p for p in landing.rglob("*") if p.name.endswith(".part")]
    # no original is left beside its archive, and no archive that no row names
    archives = {e.archive for e in zone.manifest("f1") if e.archive}
    on_disk = {p.relative_to(landing).as_posix() for p in (landing / "f1").rglob("*") if p.is_file()}
    assert {a for a in on_disk if "/packed-" in a} == archives
    assert not {e.path for e in zone.manifest("f1") if e.archive} & on_disk


def test_full_refresh_from_a_packed_landing_zone_builds_the_same_marts(sample_warehouse: Path, tmp_path: Path) -> None:
    root = tmp_path / "packed"
    shutil.copytree(sample_warehouse / "landing", root / "landing")
    settings = Settings(mode="sample", warehouse=root / "warehouse.duckdb", landing=root / "landing")
    report = maintain(settings, apply=True, policy=PACK_ALL)
    assert report.landing_files_after < report.landing_files_before / 10
    run_cli(root, "run", "--full-refresh")

    exclude = TIME_OF_FILING + LOAD_IDS
    plain = duckdb.connect(str(sample_warehouse / "warehouse.duckdb"), read_only=True)
    packed = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    for con in (plain, packed):
        con.execute("set TimeZone = 'UTC'")
    query = "select table_name from duckdb_tables() where schema_name = 'marts'"
    marts = [r[0] for r in plain.execute(query).fetchall()]
    assert len(marts) > 20
    differing = [
        m
        for m in marts
        if relation_checksums(plain, f"marts.{m}", exclude) != relation_checksums(packed, f"marts.{m}", exclude)
    ]
    assert differing == []
