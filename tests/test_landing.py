from __future__ import annotations

import stat
from pathlib import Path

from pipelines.ingest.landing import LandingZone, RawFile


def test_same_content_filed_twice_is_stored_once(tmp_path: Path) -> None:
    zone = LandingZone(tmp_path)
    raw = RawFile(endpoint="assets", name="page.json", data=b'{"data": []}', origin="https://example/assets")
    first, new1 = zone.file("coincap", raw)
    second, new2 = LandingZone(tmp_path).file("coincap", raw)  # a fresh instance reads the manifest from disk
    assert (new1, new2) == (True, False)
    assert first == second
    assert len(zone.manifest("coincap")) == 1
    stored = tmp_path / first.path
    assert stored.read_bytes() == raw.data
    assert not stored.stat().st_mode & stat.S_IWUSR, "landing files are made read-only"


def test_manifest_row_has_provenance(tmp_path: Path) -> None:
    zone = LandingZone(tmp_path)
    entry, _ = zone.file("coincap", RawFile("rates", "r.json", b'{"data":{}}', "https://x/rates", {"k": "v"}))
    assert entry.source == "coincap" and entry.endpoint == "rates" and entry.origin == "https://x/rates"
    assert entry.bytes == len(b'{"data":{}}') and len(entry.sha256) == 64
    assert entry.path.startswith("coincap/rates/dt=") and entry.params == {"k": "v"}


def test_torn_manifest_line_is_ignored(tmp_path: Path) -> None:
    zone = LandingZone(tmp_path)
    zone.file("coincap", RawFile("rates", "a.json", b"1", "o"))
    with (tmp_path / "coincap" / "_manifest.jsonl").open("a") as fh:
        fh.write('{"source": "coincap", "endp')  # a crash mid-write
    assert len(LandingZone(tmp_path).manifest("coincap")) == 1


def test_a_loose_files_row_keeps_the_old_manifest_shape(tmp_path: Path) -> None:
    import json

    zone = LandingZone(tmp_path)
    entry, _ = zone.file("coincap", RawFile("rates", "a.json", b'{"a": 1}', "o"))
    row = json.loads((tmp_path / "coincap" / "_manifest.jsonl").read_text().splitlines()[0])
    assert "archive" not in row and entry.archive is None  # rows written before packing existed read the same
    assert zone.read(entry) == b'{"a": 1}'
