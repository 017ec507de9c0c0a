"""The one cursor: which windows of a source are already in the landing zone, worked out from its manifest alone.

A source says what one landed file covers with its `window_of` (a key function of the file's endpoint and request
params: a ticker's interval between two times, an asset's history, an F1 round, a race meeting's race, a dropped
file). `Cursor.of` applies it to the manifest; the live fetch then asks `skip(window)` before each request and
`latest_end(series)` to start an incremental run where the last one ended. So a backfill run twice asks for nothing
the second time, the same way for every source, and `grandstand backfill` reports how many windows it skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pipelines.ingest.landing import LandedFile


class Window(NamedTuple):
    """What one landed file covers. `series` names the run of windows it belongs to (for example a ticker and an
    interval); `start` and `end` bound it, in whatever comparable unit the source uses, or are None when the window
    is a single unit (a round, a race, a file)."""

    series: tuple[Hashable, ...]
    start: Any = None
    end: Any = None


WindowOf = Callable[[LandedFile], Window | None]


@dataclass
class Cursor:
    """The windows already landed for one source, and how many a fetch skipped because of them."""

    landed: frozenset[Window] = frozenset()
    skipped: int = 0
    _by_series: dict[tuple[Hashable, ...], list[Window]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, entries: Iterable[LandedFile], window_of: WindowOf | None) -> Cursor:
        """The cursor of a manifest: `window_of` of every entry, entries it maps to None left out."""
        if window_of is None:
            return cls()
        windows = frozenset(w for w in map(window_of, entries) if w is not None)
        by_series: dict[tuple[Hashable, ...], list[Window]] = {}
        for window in windows:
            by_series.setdefault(window.series, []).append(window)
        return cls(landed=windows, _by_series=by_series)

    def __contains__(self, window: object) -> bool:
        return window in self.landed

    def __len__(self) -> int:
        return len(self.landed)

    def skip(self, window: Window) -> bool:
        """True, and counted, when this window is already landed: the fetch does not ask for it again."""
        if window in self.landed:
            self.skipped += 1
            return True
        return False

    def in_series(self, series: tuple[Hashable, ...]) -> list[Window]:
        """Every landed window of one series."""
        return list(self._by_series.get(series, ()))

    def latest_end(self, series: tuple[Hashable, ...]) -> Any:
        """The latest end landed for one series (None if nothing of it is landed): where an incremental run starts."""
        ends = [w.end for w in self._by_series.get(series, ()) if w.end is not None]
        return max(ends) if ends else None


def landed_windows(entries: Iterable[LandedFile], window_of: WindowOf) -> frozenset[Window]:
    """The set of windows landed, from the manifest entries and the source's key function."""
    return Cursor.of(entries, window_of).landed
