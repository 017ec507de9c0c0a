"""Live event drop: list the drop folder or bucket and file every event file not filed before (the cursor: one
window per dropped file, by its URL; the drop is append-only)."""

from __future__ import annotations

from collections.abc import Iterator

import fsspec

from pipelines.ingest.cursor import Window
from pipelines.ingest.landing import LandedFile, RawFile
from pipelines.ingest.sources.events import settings
from pipelines.ingest.sources.events.parse import classify
from pipelines.ingest.sources.events.settings import EventsSettings
from pipelines.ingest.spec import FetchContext


def file_window(origin: str) -> Window:
    return Window(("file", origin))


def window_of(entry: LandedFile) -> Window | None:
    return file_window(entry.origin)


def drop_files(drop_url: str) -> list[tuple[str, str]]:
    """Every event file in the drop: (its path in the file system, its full URL), sorted."""
    fs, root = fsspec.core.url_to_fs(drop_url)
    paths = sorted({p for pattern in settings.DROP_PATTERNS for p in fs.glob(f"{root.rstrip('/')}/{pattern}")})
    return [(path, fs.unstrip_protocol(path)) for path in paths]


def fetch(ctx: FetchContext[EventsSettings]) -> Iterator[RawFile]:
    drop_url = ctx.settings.drop_url
    if not drop_url:
        raise ValueError("set GRANDSTAND_EVENTS_DROP to the drop folder or bucket (a path or s3://bucket/prefix)")
    fs, root = fsspec.core.url_to_fs(drop_url)
    for path, origin in drop_files(drop_url):
        if ctx.cursor.skip(file_window(origin)):  # a path already filed is not read again
            continue
        data = fs.cat_file(path)
        endpoint, params = classify(path, data)
        relative = path[len(root.rstrip("/")) + 1 :] if path.startswith(root.rstrip("/")) else path
        yield RawFile(endpoint=endpoint, name=relative.replace("/", "__"), data=data, origin=origin, params=params)
