"""The dashboards' door to the semantic layer: metric queries cached per build, the layer opened only on a miss.

A result is keyed by the query and by the build it reads (the warehouse file, or the last good copy, and the semantic
manifest, with their modification times), so a new build is read at once and a page drawn again costs no query.
No connection outlives a page run: a cached figure never holds the warehouse open against a writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from pipelines.config import Settings
from pipelines.operate.reader import snapshot_path
from pipelines.serve.metrics import MetricQuery, SemanticLayer

if TYPE_CHECKING:
    from metricflow_semantic_interfaces.protocols.semantic_manifest import SemanticManifest


class Figures:
    """Cached `query`; `manifest`, `dimensions`, `dimension_values` and `explain` go to the layer itself."""

    def __init__(self, settings: Settings, manifest: SemanticManifest, manifest_file: Path, *, is_copy: bool) -> None:
        self._settings = settings
        self.manifest = manifest
        read = snapshot_path(settings) if is_copy else settings.warehouse
        self._stamp = (str(read), read.stat().st_mtime, str(manifest_file), manifest_file.stat().st_mtime)
        self._layer: SemanticLayer | None = None

    @property
    def layer(self) -> SemanticLayer:
        if self._layer is None:
            self._layer = SemanticLayer(self._settings, self.manifest)
        return self._layer

    def query(self, query: MetricQuery) -> pd.DataFrame:
        return _query(query, self._stamp, self).copy()

    def dimensions(self, metrics: list[str], kind: str | None = None) -> list[str]:
        return self.layer.dimensions(metrics, kind)

    def dimension_values(self, metrics: list[str], dimension: str) -> list[str]:
        return self.layer.dimension_values(metrics, dimension)

    def explain(self, query: MetricQuery) -> str:
        return self.layer.explain(query)

    def close(self) -> None:
        if self._layer is not None:
            self._layer.close()
            self._layer = None


@st.cache_data(max_entries=512, show_spinner=False)
def _query(query: MetricQuery, stamp: tuple[str, float, str, float], _figures: Figures) -> pd.DataFrame:
    return _figures.layer.query(query)
