"""The KPI figures each dashboard page shows, as semantic-layer queries: the definitions live in
models/semantic/_semantic__models.yml, so a figure on a page is the figure `mf query` gives for the same slice.

Each function names one slice (metrics, group-by, where); `run` executes it through pipelines.serve.metrics.
Values in a where are quoted as SQL string literals (they come from the warehouse's own dimension values).
"""

from __future__ import annotations

from pipelines.serve.metrics import MetricQuery

STRIKE_RATES = (
    "racing_starts",
    "racing_wins",
    "racing_places",
    "racing_win_strike_rate",
    "racing_place_strike_rate",
)
FAVOURITES = ("racing_favourite_starts", "racing_favourite_win_rate", "racing_favourite_implied_probability")
F1_SEASON = ("f1_points", "f1_wins", "f1_podiums", "f1_poles", "f1_dnfs")
MINUTE_SESSION = ("markets_vwap", "markets_minute_volume")
CRYPTO_DAY = ("crypto_close_price", "crypto_daily_change")
ACTIVE_USERS = ("product_dau", "product_wau", "product_mau")
FUNNEL_STEPS = {
    "funnel_users": "Visited",
    "funnel_users_signup_started": "Started sign-up",
    "funnel_users_signup_completed": "Signed up",
    "funnel_users_checkout_started": "Started checkout",
    "funnel_users_purchase": "Purchased",
}
FUNNEL_CONVERSIONS = {
    "product_signup_start_conversion": "visit to sign-up started",
    "product_signup_complete_conversion": "sign-up started to signed up",
    "product_checkout_start_conversion": "signed up to checkout started",
    "product_purchase_conversion": "checkout started to purchased",
}
CHANNELS = ("product_sessions", "product_purchasing_sessions", "product_session_conversion_rate")


def literal(value: object) -> str:
    """A value as a SQL string literal for a MetricFlow where."""
    return "'" + str(value).replace("'", "''") + "'"


def dimension_is(dimension: str, value: object) -> str:
    return f"{{{{ Dimension('{dimension}') }}}} = {literal(value)}"


def entity_is(entity: str, value: object) -> str:
    return f"{{{{ Entity('{entity}') }}}} = {literal(value)}"


def time_is(grain: str, value: object) -> str:
    return f"{{{{ TimeDimension('metric_time', '{grain}') }}}} = {literal(value)}"


def strike_rates(who: str) -> MetricQuery:
    if who not in ("jockey", "trainer"):
        raise ValueError(f"who must be jockey or trainer, not {who!r}")
    return MetricQuery(STRIKE_RATES, (f"racing_{who}",))


def favourites(racecourse: str) -> MetricQuery:
    return MetricQuery(
        FAVOURITES,
        ("metric_time__year", "racing_run__data_source"),
        where=(dimension_is("racing_run__racecourse", racecourse),),
        order_by=("metric_time__year",),
    )


def f1_season(season: int) -> MetricQuery:
    return MetricQuery(
        F1_SEASON, ("f1_driver__full_name",), where=(time_is("year", f"{int(season)}-01-01"),), order_by=("-f1_points",)
    )


def minute_session(ticker: str, session_date: str) -> MetricQuery:
    return MetricQuery(MINUTE_SESSION, where=(entity_is("markets_ticker", ticker), time_is("day", session_date)))


def crypto_days(asset_id: str, price_source: str) -> MetricQuery:
    return MetricQuery(
        CRYPTO_DAY,
        ("metric_time__day",),
        where=(entity_is("crypto_asset", asset_id), dimension_is("crypto_daily__price_source", price_source)),
        order_by=("metric_time__day",),
    )


def active_users(source_system: str) -> MetricQuery:
    return MetricQuery(
        ACTIVE_USERS,
        ("metric_time__day",),
        where=(dimension_is("product_event__source_system", source_system),),
        order_by=("metric_time__day",),
    )


def funnel() -> MetricQuery:
    return MetricQuery(tuple(FUNNEL_STEPS))


def funnel_conversions() -> MetricQuery:
    return MetricQuery(tuple(FUNNEL_CONVERSIONS))


def channels() -> MetricQuery:
    return MetricQuery(CHANNELS, ("product_session__entry_channel",), order_by=("-product_sessions",))
