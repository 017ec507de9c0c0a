"""Charts a reader can trust: axes fitted to the data, and lines that break where the data has a gap.

Built with Altair (Vega-Lite). Every chart renders as SVG, so its axes, marks and their ARIA labels are in the page
(the browser tests read them from there).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

SVG = {"embedOptions": {"renderer": "svg"}}


def segments(x: pd.Series, max_gap: object, by: pd.Series | None = None) -> pd.Series:
    """Number the contiguous runs of an ordered series: a new run starts where `x` jumps by more than `max_gap`
    from the previous row (or where `by`, such as the data source, changes)."""
    starts = x.diff() > max_gap
    if by is not None:
        starts = starts | (by != by.shift())
    return starts.cumsum().astype(int)


def lines(
    df: pd.DataFrame,
    x: str,
    ys: Sequence[str],
    *,
    max_gap: object,
    y_title: str,
    x_type: str = "T",
    by: str | None = None,
    points: bool = False,
    labels: dict[str, str] | None = None,
) -> alt.Chart | alt.LayerChart:
    """One line per column of `ys`, broken into segments at gaps wider than `max_gap`; the y axis fits the data."""
    return _lines(
        df, x, ys, max_gap=max_gap, y_title=y_title, x_type=x_type, by=by, points=points, labels=labels
    ).properties(usermeta=SVG)


def _lines(
    df: pd.DataFrame,
    x: str,
    ys: Sequence[str],
    *,
    max_gap: object,
    y_title: str,
    x_type: str,
    by: str | None,
    points: bool,
    labels: dict[str, str] | None,
) -> alt.Chart | alt.LayerChart:
    frame = df.assign(segment=segments(df[x], max_gap, df[by] if by else None))
    keep = [x, "segment", *([by] if by else [])]
    long = frame.melt(id_vars=keep, value_vars=list(ys), var_name="series", value_name="value")
    long["series"] = long["series"].map(lambda name: (labels or {}).get(name, name))
    # a run of one row draws no line: show it as a point, or a reader never sees it
    long["is_alone"] = long.groupby(["series", "segment"])["value"].transform("count") == 1
    tooltip = [alt.Tooltip(f"{x}:{x_type}"), "series:N", alt.Tooltip("value:Q", format=",.4~f")]
    encoded = alt.Chart(long).encode(
        x=alt.X(f"{x}:{x_type}", title=None),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        detail="segment:N",
        tooltip=[*tooltip, *([f"{by}:N"] if by else [])],
    )
    line = encoded.mark_line(point=points)
    if points or not long["is_alone"].any():
        return line
    return alt.layer(line, encoded.mark_point(filled=True).transform_filter("datum.is_alone"))


def candles(df: pd.DataFrame, x: str, *, y_title: str, means: Sequence[str] = (), max_gap: object) -> alt.LayerChart:
    """Daily candles (high-low wick, open-close body, green up, red down) with optional rolling-mean lines."""
    base = alt.Chart(df).encode(x=alt.X(f"{x}:T", title=None))
    up_down = alt.condition("datum.open_usd <= datum.close_usd", alt.value("#2e7d32"), alt.value("#c62828"))
    y = alt.Y("low_usd:Q", title=y_title, scale=alt.Scale(zero=False))
    wick = base.mark_rule().encode(y=y, y2="high_usd:Q", color=up_down)
    body = base.mark_bar().encode(
        y=alt.Y("open_usd:Q", scale=alt.Scale(zero=False)),  # a bar's scale starts at 0 unless told not to
        y2="close_usd:Q",
        color=up_down,
        tooltip=[f"{x}:T", "open_usd:Q", "high_usd:Q", "low_usd:Q", "close_usd:Q"],
    )
    layers: list[alt.Chart | alt.LayerChart] = [wick, body]
    if means:
        layers.append(
            _lines(df, x, means, max_gap=max_gap, y_title=y_title, x_type="T", by=None, points=False, labels=None)
        )
    return alt.layer(*layers).properties(usermeta=SVG)
