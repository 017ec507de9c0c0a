"""What a source declares: its raw tables, its pure parser, its sample and its live fetch.

Every source module builds one `SourceSpec`; the loader, the CLI and the tests work from it alone, so that load and
transform never know which mode filled the landing zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, Literal, TypeVar

import pyarrow as pa

from pipelines.ingest.cursor import Cursor, WindowOf
from pipelines.ingest.http import HttpClient
from pipelines.ingest.landing import LandedFile, RawFile

WriteDisposition = Literal["merge", "append", "replace"]


class ParseError(ValueError):
    """Raised by a parser for input it cannot read. The loader adds the file's name and quarantines it."""


class UnknownFormat(ValueError):
    """Raised by `classify` when a file given to `load --from` is not something this source understands."""


@dataclass(frozen=True)
class TableSpec:
    name: str
    write_disposition: WriteDisposition
    primary_key: tuple[str, ...] = ()
    # the column that says when a row happened: its range is recorded per run in audit.load_runs
    time_column: str | None = None
    # the natural key whose repeats count as duplicates (the merge keeps one; append tables dedupe in staging)
    dedupe_key: tuple[str, ...] | None = None

    @property
    def natural_key(self) -> tuple[str, ...]:
        return self.dedupe_key if self.dedupe_key is not None else self.primary_key


S = TypeVar("S")


@dataclass(frozen=True)
class FetchContext(Generic[S]):
    """What a live fetch gets: the shared client, the source's settings (its frozen dataclass, built by
    `pipelines.config.source_settings` unless the caller passes one), the dates asked for, and the cursor: which
    windows the landing zone already holds (`pipelines.ingest.cursor`)."""

    client: HttpClient
    settings: S
    start: date | None
    end: date | None
    cursor: Cursor = field(default_factory=Cursor)
    landed: list[LandedFile] = field(default_factory=list)


# parse(endpoint, body, params) -> {raw table name: Arrow table}; pure, so it can be tested on recorded bodies.
Parser = Callable[[str, bytes, Mapping[str, Any]], Mapping[str, pa.Table]]
# classify(file name, body) -> (endpoint, params), for `grandstand load SOURCE --from FILE`.
Classifier = Callable[[str, bytes], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class SourceSpec:
    name: str
    description: str
    tables: Mapping[str, TableSpec]
    parse: Parser
    classify: Classifier
    sample: Callable[[], Iterator[RawFile]]
    fetch: Callable[[FetchContext[Any]], Iterator[RawFile]]
    http_policy_min_interval_s: float = 0.0
    # the live fetch's settings: a frozen dataclass whose `configurable` fields the config layer fills
    settings_type: type | None = None
    # what one landed file covers, for the cursor (None: the source keeps no cursor)
    window_of: WindowOf | None = None
