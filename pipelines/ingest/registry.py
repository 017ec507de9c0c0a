"""The sources the CLI knows, by name. Sources never import each other; only this module names them all."""

from __future__ import annotations

import importlib

from pipelines.ingest.spec import SourceSpec

SOURCE_NAMES: tuple[str, ...] = ("coincap", "yahoo", "hkjc", "events", "f1")


def get_spec(name: str) -> SourceSpec:
    if name not in SOURCE_NAMES:
        raise KeyError(f"unknown source {name!r}; known sources: {', '.join(SOURCE_NAMES)}")
    module = importlib.import_module(f"pipelines.ingest.sources.{name}")
    spec: SourceSpec = module.SPEC
    return spec
