"""The landing zone: raw bytes exactly as received, written once, content-addressed, with a manifest.

Layout: <landing>/<source>/<endpoint>/dt=YYYY-MM-DD/<sha256[:16]>__<name>
Manifest: <landing>/<source>/_manifest.jsonl, one JSON object per filed file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "_manifest.jsonl"
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
        torn = False
        if manifest.exists() and manifest.stat().st_size > 0:
            with manifest.open("rb") as tail:
                tail.seek(-1, os.SEEK_END)
                torn = tail.read(1) != b"\n"
        with manifest.open("a", encoding="utf-8") as fh:
            # a crash mid-append leaves a torn last line: start on a fresh line so the torn one stays alone
            fh.write(("\n" if torn else "") + json.dumps(asdict(entry), sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._index(source)[(raw.endpoint, digest)] = entry
        return entry, True

    def read(self, entry: LandedFile) -> bytes:
        return (self.root / entry.path).read_bytes()
