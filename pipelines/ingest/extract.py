"""Extract: fill the landing zone from the recorded sample or from the live service. Nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.config import Mode, Settings, source_settings
from pipelines.ingest.cursor import Cursor
from pipelines.ingest.faults import checkpoint
from pipelines.ingest.http import HttpClient, HttpPolicy
from pipelines.ingest.landing import LandedFile, LandingZone, RawFile
from pipelines.ingest.spec import FetchContext, SourceSpec, UnknownFormat


@dataclass
class ExtractResult:
    source: str
    new_files: int = 0
    known_files: int = 0
    skipped_windows: int = 0  # windows not asked for: the cursor found them already landed
    filed: list[LandedFile] = field(default_factory=list)


def file_all(
    spec: SourceSpec,
    landing: LandingZone,
    raws: Iterable[RawFile],
    on_file: Callable[[str], None] | None = None,
) -> ExtractResult:
    result = ExtractResult(source=spec.name)
    for raw in raws:
        entry, is_new = landing.file(spec.name, raw)
        checkpoint("filed", spec.name)
        result.filed.append(entry)
        if is_new:
            result.new_files += 1
        else:
            result.known_files += 1
        if on_file:
            on_file(entry.path)
    return result


def extract(
    spec: SourceSpec,
    settings: Settings,
    mode: Mode,
    start: date | None = None,
    end: date | None = None,
    on_file: Callable[[str], None] | None = None,
    source_config: Any = None,
) -> ExtractResult:
    """Fill the landing zone. Live, the fetch gets `source_config` (the source's settings dataclass; by default built
    by `pipelines.config.source_settings`) and the cursor of what is already landed, so it asks only for the rest."""
    landing = LandingZone(settings.landing)
    if mode == "sample":
        return file_all(spec, landing, spec.sample(), on_file)
    if source_config is None and spec.settings_type is not None:
        source_config = source_settings(spec.name, spec.settings_type)
    landed = landing.manifest(spec.name)
    cursor = Cursor.of(landed, spec.window_of)
    client = HttpClient(HttpPolicy(min_interval_s=spec.http_policy_min_interval_s))
    try:
        ctx = FetchContext(client=client, settings=source_config, start=start, end=end, cursor=cursor, landed=landed)
        result = file_all(spec, landing, spec.fetch(ctx), on_file)
    finally:
        client.close()
    result.skipped_windows = cursor.skipped
    return result


def file_paths(spec: SourceSpec, settings: Settings, paths: Iterable[Path]) -> ExtractResult:
    """`load --from`: file given raw files (exactly as the service returns them) into the landing zone."""
    raws = []
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        data = path.read_bytes()
        try:
            endpoint, params = spec.classify(path.name, data)
        except Exception as exc:  # whatever the classifier says, the message names the file
            message = str(exc) if path.name in str(exc) else f"{path}: {exc}"
            raise UnknownFormat(message) from exc
        raws.append(
            RawFile(endpoint=endpoint, name=path.name, data=data, origin=f"file://{path.resolve()}", params=params)
        )
    return file_all(spec, LandingZone(settings.landing), raws)
