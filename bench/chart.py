"""Case g of the benchmark drawn as a PNG: time and peak memory against input size, one line per measured series.

Both panels are log-log and show each series relative to its own 1x run, beside a "linear growth" line (cost grows
as the input does) and a "flat" line (cost does not grow), so the slope of every series reads off at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# (key in each point, panel title, y-axis label, unit of the 1x value in the legend)
PANELS = (
    ("seconds", "Time", "time, relative to the 1x run", "s"),
    ("peak_rss_mb", "Peak memory (RSS)", "peak RSS, relative to the 1x run", "MB"),
)


def missing_dependency() -> str | None:
    """One line saying what to install when matplotlib is missing, else None."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return (
            "bench: case g draws docs/performance-scaling.png with matplotlib, which is not installed: "
            "run `.venv/bin/pip install matplotlib` (or install the bench extra)"
        )
    return None


def _relative(series: dict[str, Any], key: str) -> tuple[list[float], list[float], float]:
    """The factors of a series, its values divided by the value at its smallest factor, and that value."""
    points = sorted(series["points"], key=lambda p: p["factor"])
    base = float(points[0][key])
    if base <= 0 or any(float(p[key]) <= 0 for p in points):
        raise ValueError(f"scaling series {series['series']!r}: {key} must be positive at every factor")
    return [float(p["factor"]) for p in points], [float(p[key]) / base for p in points], base


def figure(series: Sequence[dict[str, Any]], title: str) -> Figure:
    """The two-panel chart of `series` (case g rows of results.json)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullLocator

    if not series:
        raise ValueError("no scaling series to draw")
    factors = sorted({float(p["factor"]) for s in series for p in s["points"]})
    chart = Figure(figsize=(12, 5), dpi=100, layout="constrained")
    for axes, (key, panel, ylabel, unit) in zip(chart.subplots(1, 2), PANELS, strict=True):
        axes.plot(factors, [f / factors[0] for f in factors], "--", color="grey", label="linear growth")
        axes.plot(factors, [1.0] * len(factors), ":", color="grey", label="flat")
        top = factors[-1] / factors[0]
        for one in series:
            xs, ys, base = _relative(one, key)
            axes.plot(xs, ys, marker="o", label=f"{one['series']} (1x: {base:,.1f} {unit})")
            top = max(top, *ys)
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.xaxis.set_major_locator(FixedLocator(factors))
        axes.xaxis.set_major_formatter(FormatStrFormatter("%gx"))
        axes.xaxis.set_minor_locator(NullLocator())
        ticks = [t for t in (0.5, 1, 2, 3, 5, 10, 20, 50, 100) if t <= top * 1.5]
        axes.yaxis.set_major_locator(FixedLocator(ticks))
        axes.yaxis.set_major_formatter(FormatStrFormatter("%gx"))
        axes.yaxis.set_minor_locator(NullLocator())
        axes.set_title(panel)
        axes.set_xlabel("input, relative to the 1x size")
        axes.set_ylabel(ylabel)
        axes.grid(True, which="major", alpha=0.3)
        axes.legend(fontsize="small")
    chart.suptitle(title)
    return chart


def draw(series: Sequence[dict[str, Any]], out: Path, title: str) -> Path:
    """Write the chart of `series` to `out` as a PNG, and return it."""
    chart = figure(series, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    chart.savefig(out)
    return out
