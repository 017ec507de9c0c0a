"""Fault injection for the crash-safety tests: GRANDSTAND_FAULT=<point>:<source>:<n> makes the process kill itself
(SIGKILL, no cleanup) the n-th time it passes <point> for <source>. Unset, it does nothing."""

from __future__ import annotations

import os
import signal
from collections import Counter

from pipelines.config import fault_spec

_passed: Counter[str] = Counter()


def checkpoint(point: str, source: str) -> None:
    spec = fault_spec()
    if not spec:
        return
    want_point, want_source, count = spec.split(":")
    if (point, source) != (want_point, want_source):
        return
    _passed[f"{point}:{source}"] += 1
    if _passed[f"{point}:{source}"] >= int(count):
        os.kill(os.getpid(), signal.SIGKILL)
