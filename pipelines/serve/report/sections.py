"""What the daily report shows for each domain, and the figures for it, every one from the semantic layer.

Each domain is read at its own grain (product by day, racing and markets by month, F1 by season). The latest period
with data is compared with the one before it that has data; the report says which periods those are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pipelines.serve.metrics import MetricQuery, SemanticLayer

Grain = Literal["day", "month", "year"]
Format = Literal["count", "rate", "usd", "seconds", "number"]


@dataclass(frozen=True)
class Kpi:
    metric: str
    fmt: Format


@dataclass(frozen=True)
class Breakdown:
    title: str
    group_by: str
    columns: tuple[Kpi, ...]
    order_by: str
    limit: int = 6


@dataclass(frozen=True)
class DomainSpec:
    domain: str
    title: str
    grain: Grain
    anchor: str  # the metric whose periods with data set "latest" and "previous"
    kpis: tuple[Kpi, ...]
    chart: Kpi
    chart_where: tuple[str, ...] = ()
    breakdown: Breakdown | None = None
    periods: int = 24  # how many periods with data the chart shows


SPECS: tuple[DomainSpec, ...] = (
    DomainSpec(
        "racing",
        "Racing (HKJC)",
        "month",
        "racing_starts",
        (
            Kpi("racing_starts", "count"),
            Kpi("racing_favourite_win_rate", "rate"),
            Kpi("racing_favourite_implied_probability", "rate"),
            Kpi("racing_favourite_edge", "rate"),
        ),
        Kpi("racing_favourite_win_rate", "rate"),
        breakdown=Breakdown(
            "Jockeys with the most wins",
            "racing_jockey__jockey_name",
            (
                Kpi("racing_wins", "count"),
                Kpi("racing_starts", "count"),
                Kpi("racing_win_strike_rate", "rate"),
                Kpi("racing_place_strike_rate", "rate"),
            ),
            "racing_wins",
        ),
    ),
    DomainSpec(
        "f1",
        "Formula 1",
        "year",
        "f1_race_starts",
        (
            Kpi("f1_race_starts", "count"),
            Kpi("f1_points", "number"),
            Kpi("f1_wins", "count"),
            Kpi("f1_podiums", "count"),
            Kpi("f1_poles", "count"),
            Kpi("f1_dnfs", "count"),
        ),
        Kpi("f1_dnfs", "count"),
        breakdown=Breakdown(
            "Drivers with the most points",
            "f1_driver__full_name",
            (
                Kpi("f1_points", "number"),
                Kpi("f1_wins", "count"),
                Kpi("f1_podiums", "count"),
                Kpi("f1_poles", "count"),
                Kpi("f1_dnfs", "count"),
            ),
            "f1_points",
        ),
        periods=20,
    ),
    DomainSpec(
        "markets",
        "Markets (Yahoo equities)",
        "month",
        "markets_volume",
        (Kpi("markets_volume", "count"),),
        Kpi("markets_volume", "count"),
        breakdown=Breakdown(
            "Tickers by volume",
            "markets_ticker",
            (
                Kpi("markets_volume", "count"),
                Kpi("markets_return", "rate"),
                Kpi("markets_volatility", "rate"),
                Kpi("markets_vwap", "usd"),
            ),
            "markets_volume",
        ),
    ),
    DomainSpec(
        "crypto",
        "Crypto (CoinCap)",
        "day",
        "crypto_market_cap",
        (
            Kpi("crypto_market_cap", "usd"),
            Kpi("crypto_bitcoin_market_cap_share", "rate"),
        ),
        Kpi("crypto_close_price", "usd"),
        chart_where=("{{ Entity('crypto_asset') }} = 'bitcoin'",),
        breakdown=Breakdown(
            "Assets by market cap",
            "crypto_asset__symbol",
            (
                Kpi("crypto_market_cap", "usd"),
                Kpi("crypto_close_price", "usd"),
                Kpi("crypto_daily_change", "rate"),
                Kpi("crypto_rolling_mean_7d", "usd"),
                Kpi("crypto_rolling_mean_30d", "usd"),
            ),
            "crypto_market_cap",
        ),
        periods=60,
    ),
    DomainSpec(
        "product",
        "Product",
        "day",
        "product_dau",
        (
            Kpi("product_dau", "count"),
            Kpi("product_wau", "count"),
            Kpi("product_mau", "count"),
            Kpi("product_sessions", "count"),
            Kpi("product_session_conversion_rate", "rate"),
            Kpi("product_signup_start_conversion", "rate"),
            Kpi("product_signup_complete_conversion", "rate"),
            Kpi("product_checkout_start_conversion", "rate"),
            Kpi("product_purchase_conversion", "rate"),
            Kpi("product_ingestion_latency_p95", "seconds"),
        ),
        Kpi("product_dau", "count"),
        breakdown=Breakdown(
            "Conversion per channel",
            "product_session__entry_channel",
            (Kpi("product_sessions", "count"), Kpi("product_session_conversion_rate", "rate")),
            "product_sessions",
        ),
        periods=30,
    ),
)


@dataclass
class KpiFigure:
    metric: str
    label: str
    fmt: Format
    value: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """Rates change in points (a difference), everything else in per cent of the previous value."""
        if self.value is None or self.previous is None:
            return None
        if self.fmt == "rate":
            return self.value - self.previous
        return (self.value - self.previous) / abs(self.previous) if self.previous else None


@dataclass
class DomainFigures:
    spec: DomainSpec
    latest: date | None
    previous: date | None
    kpis: list[KpiFigure] = field(default_factory=list)
    chart_periods: list[date] = field(default_factory=list)
    chart_values: list[float | None] = field(default_factory=list)
    breakdown_rows: list[dict[str, Any]] = field(default_factory=list)


def period_end(start: date, grain: Grain) -> date:
    """The last day of the period that starts on `start`."""
    if grain == "day":
        return start
    if grain == "month":
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(start.year, 12, 31)


def follows(earlier: date, later: date, grain: Grain) -> bool:
    """True when `later` is the period straight after `earlier`."""
    return period_end(earlier, grain) + timedelta(days=1) == later


def _as_date(value: Any) -> date:
    return (
        value.date()
        if isinstance(value, datetime)
        else value
        if isinstance(value, date)
        else value.to_pydatetime().date()
    )


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime(start.year, start.month, start.day), datetime(end.year, end.month, end.day)


def domain_figures(layer: SemanticLayer, spec: DomainSpec) -> DomainFigures:
    labels = {m.name: (m.label or m.name) for m in layer.manifest.metrics}
    time = f"metric_time__{spec.grain}"
    anchor = layer.query(MetricQuery((spec.anchor,), (time,), order_by=(f"-{time}",), limit=spec.periods))
    anchor = anchor[anchor[spec.anchor].notna()]
    periods = sorted(_as_date(v) for v in anchor[time])
    if not periods:
        return DomainFigures(spec, None, None)
    latest = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    metrics = tuple(dict.fromkeys([k.metric for k in spec.kpis]))
    by_period: dict[date, Any] = {}
    for period in (p for p in (latest, previous) if p is not None):  # one query each: cumulative windows stay short
        first, last = _span(period, period_end(period, spec.grain))
        rows = layer.query(MetricQuery(metrics, (time,), start=first, end=last))
        by_period.update({_as_date(row[time]): row for _, row in rows.iterrows()})
    figures = DomainFigures(spec, latest, previous)
    for kpi in spec.kpis:
        now = by_period.get(latest)
        before = by_period.get(previous) if previous else None
        figures.kpis.append(
            KpiFigure(
                kpi.metric,
                labels.get(kpi.metric, kpi.metric),
                kpi.fmt,
                _number(now[kpi.metric]) if now is not None else None,
                _number(before[kpi.metric]) if before is not None else None,
            )
        )
    _, end = _span(latest, period_end(latest, spec.grain))
    chart = layer.query(
        MetricQuery((spec.chart.metric,), (time,), spec.chart_where, (f"-{time}",), spec.periods, end=end)
    )
    chart_values = {_as_date(row[time]): _number(row[spec.chart.metric]) for _, row in chart.iterrows()}
    figures.chart_periods = sorted(p for p, v in chart_values.items() if v is not None)[-spec.periods :]
    figures.chart_values = [chart_values[p] for p in figures.chart_periods]
    if spec.breakdown is not None:
        b = spec.breakdown
        first, last = _span(latest, period_end(latest, spec.grain))
        rows = layer.query(
            MetricQuery(
                tuple(c.metric for c in b.columns),
                (b.group_by,),
                order_by=(f"-{b.order_by}",),
                limit=b.limit,
                start=first,
                end=last,
            )
        )
        figures.breakdown_rows = [
            {"name": row[b.group_by], **{c.metric: _number(row[c.metric]) for c in b.columns}}
            for _, row in rows.iterrows()
        ]
    return figures


def all_figures(layer: SemanticLayer) -> list[DomainFigures]:
    return [domain_figures(layer, spec) for spec in SPECS]
