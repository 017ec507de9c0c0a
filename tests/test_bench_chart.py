"""The benchmark's scaling chart (bench/chart.py): drawn from case g rows, read back as an image."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from bench import chart

# case g rows as `BENCH_WORK=/tmp/scale/bench python -m bench --quick --case g` measured them on 2026-12-03
# (2 shared cores, load average 5-7), cut to the fields the chart reads
QUICK_RUN: list[dict[str, Any]] = [
    {
        "series": "events load",
        "points": [
            {"factor": 1, "seconds": 2.889, "peak_rss_mb": 399.5},
            {"factor": 3, "seconds": 4.202, "peak_rss_mb": 532.5},
            {"factor": 10, "seconds": 5.920, "peak_rss_mb": 592.5},
        ],
    },
    {
        "series": "yahoo load",
        "points": [
            {"factor": 1, "seconds": 1.815, "peak_rss_mb": 346.7},
            {"factor": 3, "seconds": 2.861, "peak_rss_mb": 414.2},
            {"factor": 10, "seconds": 7.023, "peak_rss_mb": 576.2},
        ],
    },
    {
        "series": "daily run: dbt build (x = history)",
        "points": [
            {"factor": 1, "seconds": 8.116, "peak_rss_mb": 435.6},
            {"factor": 3, "seconds": 12.497, "peak_rss_mb": 437.8},
            {"factor": 10, "seconds": 14.655, "peak_rss_mb": 433.2},
        ],
    },
]


def test_chart_is_a_readable_png_with_both_panels_drawn(tmp_path: Path) -> None:
    from matplotlib import image as matplotlib_image

    out = chart.draw(QUICK_RUN, tmp_path / "nested" / "scaling.png", "How cost grows (test)")

    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000
    pixels = matplotlib_image.imread(out)
    assert pixels.shape[:2] == (500, 1200)  # 12 x 5 inches at 100 dpi
    # each half (one panel) holds drawn lines, not a blank canvas: many distinct colours, the series' among them
    for half in (pixels[:, :600, :3], pixels[:, 600:, :3]):
        colours = {tuple(px) for px in (half * 255).round().astype(int).reshape(-1, 3)}
        assert len(colours) > 50
        assert (31, 119, 180) in colours  # matplotlib's first line colour (tab:blue): the events series


def test_each_panel_draws_every_series_relative_to_its_1x_run_beside_the_reference_lines() -> None:
    drawn = chart.figure(QUICK_RUN, "How cost grows (test)")

    assert drawn.get_suptitle() == "How cost grows (test)"
    time_panel, memory_panel = drawn.get_axes()
    assert (time_panel.get_title(), memory_panel.get_title()) == ("Time", "Peak memory (RSS)")
    for axes, key in ((time_panel, "seconds"), (memory_panel, "peak_rss_mb")):
        assert axes.get_xscale() == axes.get_yscale() == "log"
        lines = {line.get_label(): line for line in axes.get_lines()}
        assert list(lines["linear growth"].get_ydata()) == [1, 3, 10]
        assert list(lines["flat"].get_ydata()) == [1, 1, 1]
        for series in QUICK_RUN:
            (label,) = [name for name in lines if name.startswith(series["series"] + " (1x: ")]
            base = series["points"][0][key]
            expected = [p[key] / base for p in series["points"]]
            assert list(lines[label].get_ydata()) == pytest.approx(expected)


def test_a_series_with_a_zero_measurement_is_refused_by_name(tmp_path: Path) -> None:
    broken = [{"series": "yahoo load", "points": [{"factor": 1, "seconds": 0.0, "peak_rss_mb": 346.7}]}]

    with pytest.raises(ValueError, match="'yahoo load': seconds must be positive"):
        chart.draw(broken, tmp_path / "scaling.png", "broken")
    assert not (tmp_path / "scaling.png").exists()


def test_bench_without_matplotlib_stops_with_one_line_before_measuring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bench.__main__ as bench_main

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now raises ImportError
    monkeypatch.setattr(bench_main, "WORK", tmp_path)

    assert bench_main.main(["--quick", "--case", "g"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err]
    assert "matplotlib" in err and "pip install matplotlib" in err
    assert list(tmp_path.iterdir()) == []
