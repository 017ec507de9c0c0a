"""The semantic layer for readers: the metric catalogue and metric queries, through MetricFlow's Python API.

Every KPI is defined once, in models/semantic/_semantic__models.yml. `dbt parse` (and every dbt build) writes the
semantic manifest (`semantic_manifest.json` in dbt's target folder); MetricFlow plans a query from it and renders
DuckDB SQL, which runs here on a read-only connection (the last good copy while a run writes). Dashboards and the
daily report take their figures from `query_metrics`, so a figure on a page is the figure `mf query` gives.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from pipelines.config import PROJECT_ROOT, Settings, dbt_target_dir, load_settings
from pipelines.operate.reader import snapshot_path

if TYPE_CHECKING:
    import pandas as pd
    from metricflow.data_table.mf_table import MetricFlowDataTable
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
    from metricflow_semantic_interfaces.protocols.semantic_manifest import SemanticManifest
    from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

MANIFEST_FILE = "semantic_manifest.json"
PAGE_PATH = PROJECT_ROOT / "docs" / "metrics.md"


def manifest_path() -> Path:
    return dbt_target_dir() / MANIFEST_FILE


def load_manifest(path: Path | None = None) -> SemanticManifest:
    """The semantic manifest dbt wrote; one clear line when it is missing."""
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest

    path = path or manifest_path()
    if not path.exists():
        raise FileNotFoundError(f"{path}: no semantic manifest; run `dbt parse` or `grandstand transform` first")
    return parse_manifest_from_dbt_generated_manifest(manifest_json_string=path.read_text())


# --- the catalogue ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricEntry:
    name: str
    label: str
    type: str
    description: str
    owner: str
    grain: str
    dimensions: str
    definition: str  # the measure, ratio or expression it is computed from


def _definition(metric: Any, measures: dict[str, Any]) -> str:
    params = metric.type_params
    kind = metric.type.value
    if kind == "simple" and params.measure is not None:
        measure = measures[params.measure.name]
        return f"{measure.agg.value}({measure.expr or measure.name}) over {measure.model}"
    if kind == "ratio" and params.numerator is not None and params.denominator is not None:
        return f"{params.numerator.name} / {params.denominator.name}"
    if kind == "derived":
        return str(params.expr)
    if kind == "cumulative":
        window = params.cumulative_type_params.window if params.cumulative_type_params else params.window
        measure = measures[params.measure.name] if params.measure is not None else None
        base = f"{measure.agg.value}({measure.expr or measure.name})" if measure else "?"
        return f"{base} over a trailing window of {window.count} {window.granularity}s" if window else base
    if kind == "conversion" and params.conversion_type_params is not None:
        conv = params.conversion_type_params
        base_filter = conv.base_measure.filter
        where = f" where {base_filter.where_filters[0].where_sql_template}" if base_filter else ""
        return (
            f"users in {conv.conversion_measure.name} after an event in {conv.base_measure.name}{where}, "
            f"/ users in the base (per {conv.entity})"
        )
    return kind


def catalogue(manifest: SemanticManifest) -> list[MetricEntry]:
    """Every metric in the manifest, with its owner, grain and dimensions from `meta`, sorted by name."""
    measures: dict[str, Any] = {}
    for model in manifest.semantic_models:
        for measure in model.measures:
            measures[measure.name] = _MeasureView(measure, model.node_relation.alias)
    entries = []
    for metric in manifest.metrics:
        meta = dict(metric.config.meta) if metric.config is not None else {}
        entries.append(
            MetricEntry(
                name=metric.name,
                label=metric.label or metric.name,
                type=metric.type.value,
                description=" ".join((metric.description or "").split()),
                owner=str(meta.get("owner", "")),
                grain=str(meta.get("grain", "")),
                dimensions=str(meta.get("dimensions", "")),
                definition=_definition(metric, measures),
            )
        )
    return sorted(entries, key=lambda e: e.name)


@dataclass(frozen=True)
class _MeasureView:
    measure: Any
    model: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.measure, name)


def metrics_page(entries: Sequence[MetricEntry]) -> str:
    """docs/metrics.md: one section per domain (owner), one row per metric."""
    lines = [
        "# Metrics",
        "",
        "<!-- generated from the semantic manifest by `python -m pipelines.serve.metrics --write-page` -->",
        "",
        "Every KPI is defined once, in `models/semantic/_semantic__models.yml`, and computed by MetricFlow. Query one:",
        "`mf query --metrics <name> --group-by metric_time__day` (README), or `pipelines.serve.metrics.query_metrics`.",
        "",
        f"{len(entries)} metrics.",
    ]
    for owner in sorted({e.owner for e in entries}):
        lines += [
            "",
            f"## {owner}",
            "",
            "| metric | label | type | definition | grain | dimensions |",
            "|---|---|---|---|---|---|",
        ]
        for e in (e for e in entries if e.owner == owner):
            cells = [f"`{e.name}`", e.label, e.type, f"{e.description} `{e.definition}`", e.grain, e.dimensions]
            lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def metrics_page_html(entries: Sequence[MetricEntry]) -> str:
    """The same page as HTML, served beside the dbt docs site as metrics.html (the overview links to it)."""
    import markdown

    body = markdown.markdown(metrics_page(entries), extensions=["tables"])
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Grandstand metrics</title>'
        f"<style>{style} table{{border-collapse:collapse}}</style></head><body>{body}</body></html>\n"
    )


# --- queries --------------------------------------------------------------------------------------------------------


class DuckDbClient:
    """MetricFlow's SqlClient over one DuckDB connection (MetricFlow renders DuckDB SQL; this runs it)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    @property
    def sql_engine_type(self) -> SqlEngine:
        from metricflow.protocols.sql_client import SqlEngine

        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        return DuckDbSqlPlanRenderer()

    def query(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None) -> MetricFlowDataTable:
        from metricflow.data_table.mf_table import MetricFlowDataTable

        cursor = self._con.execute(stmt, self._params(sql_bind_parameter_set))
        names = [d[0] for d in cursor.description or []]
        return MetricFlowDataTable.create_from_rows(names, cursor.fetchall())

    def execute(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None) -> None:
        self._con.execute(stmt, self._params(sql_bind_parameter_set))

    def dry_run(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None) -> None:
        self._con.execute(f"explain {stmt}", self._params(sql_bind_parameter_set))

    def close(self) -> None:
        self._con.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"

    @staticmethod
    def _params(bind: SqlBindParameterSet | None) -> dict[str, Any] | None:
        if bind is None or not bind.param_items:
            return None
        return {item.key: item.value.value for item in bind.param_items}


def _database_name(manifest: SemanticManifest) -> str:
    """The catalog name dbt built the marts under (the warehouse file's stem when dbt ran)."""
    for model in manifest.semantic_models:
        if model.node_relation.database:
            return model.node_relation.database
    return "warehouse"


def open_semantic_reader(settings: Settings, manifest: SemanticManifest) -> duckdb.DuckDBPyConnection:
    """A read-only connection where the manifest's relation names resolve: the warehouse attached under the catalog
    name dbt used, or its last good copy while a run holds the writer's lock."""
    if not settings.warehouse.exists():
        raise FileNotFoundError(f"{settings.warehouse}: no warehouse yet; run `grandstand run` first")
    con = duckdb.connect(":memory:")
    alias = _database_name(manifest).replace('"', '""')
    try:
        con.execute(f"attach '{settings.warehouse}' as \"{alias}\" (read_only)")
    except (duckdb.IOException, duckdb.ConnectionException):
        copy = snapshot_path(settings)
        if not copy.exists():
            con.close()
            raise
        con.execute(f"attach '{copy}' as \"{alias}\" (read_only)")
    con.execute(f'use "{alias}"')
    con.execute("set TimeZone = 'UTC'")
    return con


@dataclass(frozen=True)
class MetricQuery:
    metrics: tuple[str, ...]
    group_by: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()
    limit: int | None = None
    start: datetime | None = None
    end: datetime | None = None


class SemanticLayer:
    """One manifest and one read-only connection; `query` and `explain` as many times as needed, then `close`."""

    def __init__(self, settings: Settings, manifest: SemanticManifest | None = None) -> None:
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        self.manifest = manifest or load_manifest()
        self._client = DuckDbClient(open_semantic_reader(settings, self.manifest))
        self._engine = MetricFlowEngine(SemanticManifestLookup(self.manifest), self._client)

    def __enter__(self) -> SemanticLayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _request(self, q: MetricQuery) -> Any:
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        return MetricFlowQueryRequest.create(
            metric_names=list(q.metrics),
            group_by_names=list(q.group_by) or None,
            where_constraints=list(q.where) or None,
            order_by_names=list(q.order_by) or None,
            limit=q.limit,
            time_constraint_start=q.start,
            time_constraint_end=q.end,
        )

    def explain(self, q: MetricQuery) -> str:
        """The SQL MetricFlow generates for the query (what `mf query --explain` prints)."""
        return self._engine.explain(self._request(q)).sql_statement.sql

    def dimensions(self, metrics: Sequence[str], kind: str | None = None) -> list[str]:
        """The group-by names valid for every one of `metrics` (`f1_driver__full_name`, and `metric_time__year` at
        the finest grain they share), optionally only one `kind` ("categorical" or "time"); an unknown metric raises
        MetricFlow's UnknownMetricError."""
        found = self._engine.simple_dimensions_for_metrics(list(metrics))
        return sorted(
            {
                d.dunder_name if d.name != "metric_time" else _metric_time(d)
                for d in found
                if kind is None or d.type.value == kind
            }
        )

    def dimension_values(self, metrics: Sequence[str], dimension: str) -> list[str]:
        """The values a categorical dimension takes for `metrics` (what `mf list dimension-values` prints)."""
        return [str(v) for v in self._engine.get_dimension_values(list(metrics), dimension)]

    def query(self, q: MetricQuery) -> pd.DataFrame:
        """The query's result as a DataFrame: one column per group-by, then one per metric."""
        statement = self._engine.explain(self._request(q)).sql_statement
        return self._client._con.execute(statement.sql, self._client._params(statement.bind_parameter_set)).df()


def _metric_time(dimension: Any) -> str:
    grain = dimension.type_params.time_granularity if dimension.type_params else None
    return f"metric_time__{grain.value}" if grain is not None else "metric_time"


def query_metrics(
    settings: Settings,
    metrics: Sequence[str],
    group_by: Sequence[str] = (),
    *,
    where: Sequence[str] = (),
    order_by: Sequence[str] = (),
    limit: int | None = None,
) -> pd.DataFrame:
    """One metric query on a fresh read-only connection (for many queries, hold a `SemanticLayer`)."""
    with SemanticLayer(settings) as layer:
        return layer.query(MetricQuery(tuple(metrics), tuple(group_by), tuple(where), tuple(order_by), limit))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.serve.metrics", description=__doc__)
    parser.add_argument("--write-page", nargs="?", const=str(PAGE_PATH), metavar="PATH", help="write docs/metrics.md")
    parser.add_argument("--metrics", help="comma-separated metric names to query")
    parser.add_argument("--group-by", default="", help="comma-separated group-by names, e.g. metric_time__day")
    args = parser.parse_args(argv)
    if args.write_page:
        entries = catalogue(load_manifest())
        Path(args.write_page).write_text(metrics_page(entries))
        print(f"{args.write_page}: {len(entries)} metrics")
    if args.metrics:
        started = time.monotonic()
        frame = query_metrics(load_settings(), args.metrics.split(","), [g for g in args.group_by.split(",") if g])
        print(frame.to_string(index=False))
        print(f"{len(frame)} rows in {time.monotonic() - started:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
