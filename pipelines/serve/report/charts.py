"""Small inline SVG line charts for the report: the y axis fits the data, and the line breaks where periods are
missing (a gap of years is not drawn as a straight line)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape

WIDTH, HEIGHT, PAD_X, PAD_Y = 560, 160, 56, 18


def _label(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"{value / 1e9:.1f}B"
    if magnitude >= 1e6:
        return f"{value / 1e6:.1f}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if magnitude >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"


def line_chart(title: str, periods: Sequence[date], values: Sequence[float | None], consecutive: Sequence[bool]) -> str:
    """An SVG line of `values` over `periods` (oldest first). `consecutive[i]` is False where period i does not follow
    period i-1 directly: the line is broken there. Missing values (None, NaN) break it too."""
    points = [
        (i, float(v)) for i, v in enumerate(values) if v is not None and not (isinstance(v, float) and math.isnan(v))
    ]
    if not points:
        return f'<p class="nochart">{escape(title)}: no data</p>'
    low, high = min(v for _, v in points), max(v for _, v in points)
    if high == low:  # a flat series: centre it in a band around the value
        low, high = low - (abs(low) * 0.05 or 1), high + (abs(high) * 0.05 or 1)
    span = len(values) - 1 or 1

    def xy(i: int, v: float) -> tuple[float, float]:
        x = PAD_X + (WIDTH - 2 * PAD_X) * i / span
        y = HEIGHT - PAD_Y - (HEIGHT - 2 * PAD_Y) * (v - low) / (high - low)
        return round(x, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = []
    previous: int | None = None
    for i, v in points:
        if previous is None or i != previous + 1 or not consecutive[i]:
            runs.append([])
        runs[-1].append(xy(i, v))
        previous = i
    paths = "".join(
        f'<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="{" ".join(f"{x},{y}" for x, y in run)}"/>'
        if len(run) > 1
        else f'<circle r="2.5" fill="#1f6feb" cx="{run[0][0]}" cy="{run[0][1]}"/>'
        for run in runs
    )
    first, last = periods[0].isoformat(), periods[-1].isoformat()
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'data-y-min="{low}" data-y-max="{high}" data-segments="{len(runs)}">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{PAD_X}" y1="{HEIGHT - PAD_Y}" x2="{WIDTH - PAD_X}" y2="{HEIGHT - PAD_Y}" stroke="#ccc"/>'
        f'<text x="{PAD_X - 6}" y="{PAD_Y + 4}" text-anchor="end" font-size="11">{_label(high)}</text>'
        f'<text x="{PAD_X - 6}" y="{HEIGHT - PAD_Y}" text-anchor="end" font-size="11">{_label(low)}</text>'
        f'<text x="{PAD_X}" y="{HEIGHT - 2}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD_X}" y="{HEIGHT - 2}" text-anchor="end" font-size="11">{last}</text>'
        f"{paths}</svg>"
    )
