"""Live event drop: list the drop folder or bucket and file every event file found (new ones are new by hash)."""

from __future__ import annotations

from collections.abc import Iterator

import fsspec

from pipelines.ingest.landing import RawFile
from pipelines.ingest.sources.events import settings
from pipelines.ingest.sources.events.parse import classify
from pipelines.ingest.spec import FetchContext


def fetch(ctx: FetchContext) -> Iterator[RawFile]:
    if not settings.DROP_URL:
        raise ValueError("set GRANDSTAND_EVENTS_DROP to the drop folder or bucket (a path or s3://bucket/prefix)")
    fs, root = fsspec.core.url_to_fs(settings.DROP_URL)
    seen_paths = {e.origin for e in ctx.landed}
    paths = sorted({p for pattern in settings.DROP_PATTERNS for p in fs.glob(f"{root.rstrip('/')}/{pattern}")})
    for path in paths:
        origin = fs.unstrip_protocol(path)
        if origin in seen_paths:  # the drop is append-only: a path already filed is not read again
            continue
        data = fs.cat_file(path)
        endpoint, params = classify(path, data)
        relative = path[len(root.rstrip("/")) + 1 :] if path.startswith(root.rstrip("/")) else path
        yield RawFile(endpoint=endpoint, name=relative.replace("/", "__"), data=data, origin=origin, params=params)
