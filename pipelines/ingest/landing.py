"""The landing zone: raw bytes exactly as received, written once, content-addressed, with a manifest.

Layout: <landing>/<source>/<endpoint>/dt=YYYY-MM-DD/<sha256[:16]>__<name>
Manifest: <landing>/<source>/_manifest.jsonl, one JSON object per filed file.

A day's small files may later be packed into one archive (`pack_day`, run by `grandstand maintain`): the manifest
row then names the archive as well (`archive`; the member is the file's own name), and `read` reads through it. The
bytes, their sha256 and the row's `path` do not change, so loads and replays read a packed day unchanged.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "_manifest.jsonl"
MANIFEST_LOCK = "_manifest.lock"
_SAFE = re.compile(r"[^A-Za-z0-9._=-]+")


@dataclass(frozen=True)
class RawFile:
    """One response or file, exactly as the service sent it, before it is filed."""

    endpoint: str
    name: str
    data: bytes
    origin: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LandedFile:
    source: str
    endpoint: str
    path: str  # relative to the landing root
    origin: str
    fetched_at: str
    sha256: str
    bytes: int
    params: dict[str, Any] = field(default_factory=dict)
    # the archive holding the bytes once its day is packed (relative to the landing root); the member is path's name
    archive: str | None = None

    def row(self) -> str:
        """The manifest line: a row for a loose file has no `archive` key, as before packing existed."""
        values = asdict(self)
        if values["archive"] is None:
            del values["archive"]
        return json.dumps(values, sort_keys=True)


def safe_name(name: str) -> str:
    cleaned = _SAFE.sub("_", Path(name).name).strip("._")
    return cleaned[:120] or "body"


class LandingZone:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, dict[tuple[str, str], LandedFile]] = {}

    def _index(self, source: str) -> dict[tuple[str, str], LandedFile]:
        if source not in self._known:
            self._known[source] = {(e.endpoint, e.sha256): e for e in self.manifest(source)}
        return self._known[source]

    def _manifest_path(self, source: str) -> Path:
        return self.root / source / MANIFEST

    @contextmanager
    def manifest_lock(self, source: str) -> Iterator[None]:
        """Held while the manifest is appended to or replaced, so packing never drops a row being filed."""
        path = self.root / source / MANIFEST_LOCK
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def manifest(self, source: str) -> list[LandedFile]:
        path = self._manifest_path(source)
        if not path.exists():
            return []
        rows: list[LandedFile] = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line:  # a torn last line from a crash is skipped; the file is re-filed by hash
                    try:
                        rows.append(LandedFile(**json.loads(line)))
                    except (json.JSONDecodeError, TypeError):
                        continue
        return rows

    def sources(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / MANIFEST).exists())

    def file(self, source: str, raw: RawFile, fetched_at: datetime | None = None) -> tuple[LandedFile, bool]:
        """File one raw body. Returns (entry, is_new); content already filed is recognised by its hash."""
        digest = hashlib.sha256(raw.data).hexdigest()
        known = self._index(source).get((raw.endpoint, digest))
        if known is not None:
            return known, False
        when = (fetched_at or datetime.now(UTC)).astimezone(UTC)
        rel = Path(source) / raw.endpoint / f"dt={when:%Y-%m-%d}" / f"{digest[:16]}__{safe_name(raw.name)}"
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            tmp = target.with_name(target.name + ".part")
            with tmp.open("wb") as fh:
                fh.write(raw.data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            target.chmod(0o444)
        entry = LandedFile(
            source=source,
            endpoint=raw.endpoint,
            path=rel.as_posix(),
            origin=raw.origin,
            fetched_at=when.isoformat(),
            sha256=digest,
            bytes=len(raw.data),
            params=dict(raw.params),
        )
        manifest = self._manifest_path(source)
        with self.manifest_lock(source):
            torn = False
            if manifest.exists() and manifest.stat().st_size > 0:
                with manifest.open("rb") as tail:
                    tail.seek(-1, os.SEEK_END)
                    torn = tail.read(1) != b"\n"
            with manifest.open("a", encoding="utf-8") as fh:
                # a crash mid-append leaves a torn last line: start on a fresh line so the torn one stays alone
                fh.write(("\n" if torn else "") + entry.row() + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        self._index(source)[(raw.endpoint, digest)] = entry
        return entry, True

    def read(self, entry: LandedFile) -> bytes:
        """The file's bytes, from its archive if its day is packed. An entry read before its day was packed is
        looked up again in the manifest, so a reader holding an older row still finds the bytes."""
        if entry.archive is None:
            try:
                return (self.root / entry.path).read_bytes()
            except FileNotFoundError:
                self._known.pop(entry.source, None)
                current = self._index(entry.source).get((entry.endpoint, entry.sha256))
                if current is None or current.archive is None:
                    raise
                entry = current
        return self._read_member(entry)

    def _read_member(self, entry: LandedFile) -> bytes:
        archive = self.root / str(entry.archive)
        with zipfile.ZipFile(archive) as packed:
            data = packed.read(Path(entry.path).name)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise ValueError(f"{archive}: member {Path(entry.path).name} does not match its sha256 in the manifest")
        return data

    def files_on_disk(self, source: str | None = None) -> int:
        """Files stored under the landing root (or one source's folder), the manifest and its lock left out."""
        base = self.root / source if source else self.root
        if not base.exists():
            return 0
        return sum(1 for p in base.rglob("*") if p.is_file() and p.name not in (MANIFEST, MANIFEST_LOCK))


# --- packing a day's files into one archive -------------------------------------------------------------------

PACKED_PREFIX = "packed-"


@dataclass(frozen=True)
class DayPack:
    """One source/endpoint/day to pack: its entries (loose, or in an earlier archive of that day)."""

    source: str
    endpoint: str
    day: str  # the dt=YYYY-MM-DD folder
    entries: tuple[LandedFile, ...]

    @property
    def loose(self) -> int:
        return sum(1 for e in self.entries if e.archive is None)

    @property
    def folder(self) -> str:
        return f"{self.source}/{self.endpoint}/{self.day}"

    @property
    def archive(self) -> str:
        digest = hashlib.sha256("".join(sorted(e.sha256 for e in self.entries)).encode()).hexdigest()
        return f"{self.folder}/{PACKED_PREFIX}{digest[:16]}.zip"


def days_to_pack(zone: LandingZone, source: str, before: str | None = None) -> list[DayPack]:
    """Days with loose files to pack (two files or more, or new files beside an earlier archive), oldest first;
    `before` (YYYY-MM-DD) leaves that day and later ones alone."""
    groups: dict[tuple[str, str], list[LandedFile]] = {}
    for entry in zone.manifest(source):
        day = Path(entry.path).parent.name
        groups.setdefault((entry.endpoint, day), []).append(entry)
    packs = []
    for (endpoint, day), entries in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if before is not None and day.removeprefix("dt=") >= before:
            continue
        pack = DayPack(source, endpoint, day, tuple(entries))
        if pack.loose and (len(entries) > 1 or pack.loose < len(entries)):
            packs.append(pack)
    return packs


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pack_day(zone: LandingZone, pack: DayPack, checkpoint: Callable[[str], None] = lambda _: None) -> int:
    """Pack one day's files into one archive; returns the number of files removed. Crash-safe in three steps:
    1. the archive is written beside, fsynced and renamed into place (a crash leaves an unreferenced archive);
    2. the manifest is rewritten the same way, each packed row naming the archive (the switch, one rename);
    3. the originals (and the day's earlier archive) are deleted; a crash leaves files the next pass removes.
    Every member's bytes are checked against the manifest's sha256 before the switch."""
    root = zone.root
    target = root / pack.archive
    part = target.with_name(target.name + ".part")
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_STORED) as packed:
        for entry in pack.entries:
            data = zone.read(entry)
            if hashlib.sha256(data).hexdigest() != entry.sha256:
                raise ValueError(f"{root / entry.path}: bytes do not match their sha256 in the manifest")
            packed.writestr(zipfile.ZipInfo(Path(entry.path).name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    with part.open("rb+") as fh:
        os.fsync(fh.fileno())
    with zipfile.ZipFile(part) as check:
        if check.testzip() is not None:
            raise ValueError(f"{part}: the archive just written does not read back")
    os.replace(part, target)
    _fsync_dir(target.parent)
    checkpoint("pack-archived")

    members = {(e.endpoint, e.sha256) for e in pack.entries}
    with zone.manifest_lock(pack.source):
        current = zone.manifest(pack.source)
        manifest = zone._manifest_path(pack.source)
        tmp = manifest.with_name(manifest.name + ".part")
        with tmp.open("w", encoding="utf-8") as fh:
            for entry in current:
                if (entry.endpoint, entry.sha256) in members:
                    entry = LandedFile(**{**asdict(entry), "archive": pack.archive})
                fh.write(entry.row() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, manifest)
        _fsync_dir(manifest.parent)
        zone._known.pop(pack.source, None)
    checkpoint("pack-switched")
    return remove_packed(zone, pack.source, checkpoint)


def remove_packed(zone: LandingZone, source: str, checkpoint: Callable[[str], None] = lambda _: None) -> int:
    """Delete what the manifest no longer points at: originals now read from an archive, archives no row names,
    and `.part` files a crash left. Returns the number of files removed."""
    entries = zone.manifest(source)
    referenced = {e.archive for e in entries if e.archive} | {e.path for e in entries if e.archive is None}
    packed_paths = {e.path for e in entries if e.archive}
    removed = 0
    base = zone.root / source
    if not base.exists():
        return 0
    for path in sorted(base.rglob("*")):
        if not path.is_file() or path.parent == base:
            continue
        rel = path.relative_to(zone.root).as_posix()
        stray_archive = path.name.startswith(PACKED_PREFIX) and rel not in referenced
        if rel in packed_paths or stray_archive or path.name.endswith(".zip.part"):
            path.unlink()
            removed += 1
            checkpoint("pack-removed")
    return removed
