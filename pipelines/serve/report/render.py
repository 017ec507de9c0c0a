"""The report as one self-contained HTML page (inline CSS and SVG charts), rendered with Jinja2."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import jinja2

from pipelines.serve.report.charts import line_chart
from pipelines.serve.report.sections import DomainFigures, Format, Grain, KpiFigure, follows

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Grandstand daily report {{ day }}</title>
<style>
 body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#1b1f24}
 h1{margin-bottom:0} .meta{color:#57606a;margin-top:.3em} section{break-inside:avoid;margin-top:2em}
 table{border-collapse:collapse;margin:.6em 0}
 th,td{padding:.25em .7em;border-bottom:1px solid #d0d7de;text-align:right}
 th:first-child,td:first-child{text-align:left} .up{color:#1a7f37} .down{color:#cf222e} .period{color:#57606a}
</style></head><body>
<h1>Grandstand daily report</h1>
<p class="meta">{{ day }} · generated {{ generated }} UTC from {{ source }} · every figure from the semantic layer
(docs/metrics.md)</p>
{% for d in domains %}
<section id="{{ d.spec.domain }}" data-domain="{{ d.spec.domain }}">
<h2>{{ d.spec.title }}</h2>
{% if d.latest is none %}<p>No data yet.</p>{% else %}
<p class="period">Latest {{ grain_word(d.spec.grain) }} with data: <b>{{ period(d.latest, d.spec.grain) }}</b>
{% if d.previous %}, compared with {{ period(d.previous, d.spec.grain) }}{% endif %}.</p>
<table class="kpis"><tr><th>KPI</th><th>latest</th><th>previous</th><th>change</th></tr>
{% for k in d.kpis %}<tr data-metric="{{ k.metric }}"><td>{{ k.label }}</td><td>{{ fmt(k.value, k.fmt) }}</td>
<td>{{ fmt(k.previous, k.fmt) }}</td>{{ change(k) }}</tr>
{% endfor %}</table>
{{ chart(d) }}
{% if d.spec.breakdown and d.breakdown_rows %}
<h3>{{ d.spec.breakdown.title }}, {{ period(d.latest, d.spec.grain) }}</h3>
<table class="breakdown"><tr><th></th>
{% for c in d.spec.breakdown.columns %}<th>{{ labels[c.metric] }}</th>{% endfor %}</tr>
{% for r in d.breakdown_rows %}<tr><td>{{ r.name }}</td>{% for c in d.spec.breakdown.columns %}
<td>{{ fmt(r[c.metric], c.fmt) }}</td>{% endfor %}</tr>{% endfor %}</table>{% endif %}
{% endif %}</section>
{% endfor %}
</body></html>
"""


def fmt(value: float | None, kind: Format) -> str:
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "usd":
        return f"${value:,.0f}" if abs(value) >= 1000 else f"${value:,.2f}"
    if kind == "seconds":
        return f"{value:,.1f} s"
    if kind == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def change(k: KpiFigure) -> str:
    delta = k.change
    if delta is None:
        return "<td>–</td>"
    css = "up" if delta > 0 else "down" if delta < 0 else ""
    text = f"{delta * 100:+.1f} pts" if k.fmt == "rate" else f"{delta:+.1%}"
    return f'<td class="{css}">{text}</td>'


def period(day: date, grain: Grain) -> str:
    return day.isoformat() if grain == "day" else day.strftime("%B %Y") if grain == "month" else str(day.year)


def grain_word(grain: Grain) -> str:
    return {"day": "day", "month": "month", "year": "season"}[grain]


def render(day: date, domains: Sequence[DomainFigures], labels: dict[str, str], source: str) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)

    def chart(d: DomainFigures) -> jinja2.utils.markupsafe.Markup:
        periods = d.chart_periods
        consecutive = [i == 0 or follows(periods[i - 1], p, d.spec.grain) for i, p in enumerate(periods)]
        title = f"{labels.get(d.spec.chart.metric, d.spec.chart.metric)} by {grain_word(d.spec.grain)}"
        return jinja2.utils.markupsafe.Markup(line_chart(title, periods, d.chart_values, consecutive))

    template = env.from_string(TEMPLATE)
    return template.render(
        day=day.isoformat(),
        generated=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        source=source,
        domains=domains,
        labels=labels,
        fmt=fmt,
        change=lambda k: jinja2.utils.markupsafe.Markup(change(k)),
        period=period,
        grain_word=grain_word,
        chart=chart,
    )
