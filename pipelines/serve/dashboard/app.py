"""Grandstand dashboards: one page per domain, plus pipeline health. Read-only; falls back to the last good copy.

Run with `make dashboard` (or `grandstand dashboard`). Choose a page in the sidebar or with `?page=racing`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines.config import dbt_target_dir, load_settings
from pipelines.operate.reader import open_reader
from pipelines.serve.dashboard import charts
from pipelines.serve.dashboard import queries as q

# exchanges close for weekends and holidays (at most four days in a row, a few days more in rare closures)
TRADING_DAYS_GAP = pd.Timedelta(days=7)
SOURCES = {"kaggle_hkracing": "history dataset", "hkjc_results_page": "results pages"}
PAGES = ("racing", "f1", "markets", "crypto", "product", "pipeline")
TITLES = {
    "racing": "Racing (HKJC)",
    "f1": "Formula 1",
    "markets": "Markets (Yahoo)",
    "crypto": "Crypto (CoinCap)",
    "product": "Product events",
    "pipeline": "Pipeline health",
}


def racing(con) -> None:
    named_only = st.sidebar.checkbox(
        "named jockeys and trainers only",
        help="The history dataset (1997-2005) numbers jockeys and trainers without publishing their names.",
    )
    # the named ones come from the results pages, a few race days: a lower default minimum keeps them in view
    min_rides = st.sidebar.slider(
        "minimum rides", 1, 500, 5 if named_only else 100, step=1, key=f"min_rides_named_{named_only}"
    )
    left, right = st.columns(2)
    for column, who in ((left, "jockey"), (right, "trainer")):
        with column:
            st.subheader(f"{who.title()} strike rates")
            rates = q.strike_rates(con, who, min_rides, 15, named_only=named_only)
            if rates.empty:
                st.info(f"No {'named ' if named_only else ''}{who} has {min_rides} rides or more.")
            else:
                st.dataframe(rates, hide_index=True)
    st.subheader("Draw bias")
    options = q.racecourse_distances(con)
    labels = [f"{r.racecourse} {r.surface} {r.distance_m}m" for r in options.itertuples()]
    choice = st.selectbox("course and distance", range(len(labels)), format_func=lambda i: labels[i])
    row = options.iloc[choice]
    bias = q.draw_bias(con, row.racecourse, row.surface, int(row.distance_m))
    st.bar_chart(bias, x="draw", y=["win_rate", "expected_win_rate"], stack=False)
    st.subheader("Favourites: win rate against the probability their odds implied")
    course = st.radio("racecourse", q.racecourses(con), horizontal=True)
    fav = q.favourite_performance(con, course)
    fav["data_source"] = fav["data_source"].map(SOURCES).fillna(fav["data_source"])
    with st.container(key="favourites"):
        st.altair_chart(
            charts.lines(
                fav,
                "race_year",
                ["favourite_win_rate", "mean_implied_probability"],
                max_gap=pd.Timedelta(days=366),
                by="data_source",
                points=True,
                y_title="share of favourites",
            ),
            width="stretch",
        )
    st.caption(
        "One point per year. The history dataset covers 1997-2005 and the results pages recent seasons: "
        "the lines break where years are missing rather than join them."
    )
    st.subheader("A horse's form")
    horses = q.horses(con, 300)
    horse = st.selectbox(
        "horse", horses["horse_key"], format_func=lambda k: horses.set_index("horse_key").loc[k, "horse_name"]
    )
    st.dataframe(q.horse_form(con, horse), hide_index=True)


def f1(con) -> None:
    seasons = q.f1_seasons(con)
    season = st.sidebar.selectbox("season", seasons, index=seasons.index(2021) if 2021 in seasons else 0)
    st.subheader(f"Drivers' championship after each round, {season}")
    progression = q.standings_progression(con, season, 6)
    st.line_chart(progression, x="round_number", y="points", color="driver_id")
    races = q.f1_races(con, season)
    race = st.selectbox(
        "race", races["race_key"], format_func=lambda k: races.set_index("race_key").loc[k, "race_name"]
    )
    st.subheader("Results")
    st.dataframe(q.race_results(con, race), hide_index=True)
    left, right = st.columns(2)
    with left:
        st.subheader("Pit-stop durations")
        stops = q.pit_stops(con, race)
        if stops.empty:
            st.info("No pit-stop data for this race.")
        else:
            st.bar_chart(stops, x="driver_id", y="duration_s")
    with right:
        st.subheader("Lap times")
        laps = q.lap_times(con, race)
        if laps.empty:
            st.info("No lap times for this race.")
        else:
            st.line_chart(laps, x="lap_number", y="lap_time_s", color="driver_id")


def markets(con) -> None:
    sessions = q.minute_sessions(con)
    labels = [f"{r.ticker} {r.session_date:%Y-%m-%d}" for r in sessions.itertuples()]
    choice = st.sidebar.selectbox(
        "ticker and session (1-minute bars)", range(len(labels)), format_func=lambda i: labels[i]
    )
    picked = sessions.iloc[choice]
    st.subheader(f"{picked.ticker}: minute bars and session VWAP, {picked.session_date:%Y-%m-%d}")
    bars = q.minute_bars(con, picked.ticker, str(picked.session_date)[:10])
    with st.container(key="minute-bars"):
        st.altair_chart(
            charts.lines(
                bars, "ts_utc", ["close_price", "session_vwap"], max_gap=pd.Timedelta(minutes=1), y_title="USD"
            ),
            width="stretch",
        )
    tickers = q.daily_tickers(con)
    ticker = st.selectbox("ticker (daily bars)", tickers, index=tickers.index("AAPL") if "AAPL" in tickers else 0)
    st.subheader(f"{ticker}: adjusted close with 20- and 50-session moving averages")
    daily = q.daily_bars(con, ticker)
    with st.container(key="daily-bars"):
        st.altair_chart(
            charts.lines(
                daily,
                "session_date",
                ["adj_close", "moving_average_20d", "moving_average_50d"],
                max_gap=TRADING_DAYS_GAP,
                y_title="USD",
            ),
            width="stretch",
        )
    st.caption("Lines break where more than a week passes without a session (the sample holds years apart).")
    st.subheader("Data-quality flags")
    st.dataframe(q.bar_quality_flags(con), hide_index=True)


def crypto(con) -> None:
    assets = q.crypto_assets(con)
    labels = [f"{r.asset_id} ({r.price_source}, {r.days} days)" for r in assets.itertuples()]
    choice = st.sidebar.selectbox("asset and price source", range(len(labels)), format_func=lambda i: labels[i])
    picked = assets.iloc[choice]
    st.subheader(f"{picked.asset_id}: daily candles and 7- and 30-day means of the close ({picked.price_source})")
    daily = q.crypto_daily(con, picked.asset_id, picked.price_source)
    with st.container(key="crypto-daily"):
        st.altair_chart(
            charts.candles(
                daily,
                "price_date",
                y_title="USD",
                means=["rolling_mean_7d_usd", "rolling_mean_30d_usd"],
                max_gap=pd.Timedelta(days=1),
            ),
            width="stretch",
        )
    st.dataframe(daily.tail(30), hide_index=True)
    st.subheader("Ranks by market cap")
    st.dataframe(q.crypto_ranks(con), hide_index=True)


def product(con) -> None:
    source = st.sidebar.selectbox("event stream", ["clickstream", "wikipedia", "github"])
    st.subheader("Daily, weekly and monthly active users")
    st.line_chart(
        q.active_users(con, source),
        x="activity_date",
        y=["daily_active_users", "weekly_active_users", "monthly_active_users"],
    )
    left, right = st.columns(2)
    with left:
        st.subheader("Funnel")
        st.bar_chart(q.funnel(con), x="step_name", y="users_reached", sort=False)
    with right:
        st.subheader("Channel performance")
        st.dataframe(q.channel_performance(con), hide_index=True)
    st.subheader("Ingestion latency against the 5-minute target")
    st.line_chart(
        q.ingestion_latency(con), x="received_hour", y=["p50_latency_seconds", "p95_latency_seconds", "target_seconds"]
    )
    st.caption("The sample clickstream is generated (seeded, labelled `is_generated`).")


def pipeline(con) -> None:
    st.subheader("Last runs")
    st.dataframe(q.last_runs(con, 20), hide_index=True)
    st.subheader("Quarantined files")
    quarantined = q.quarantined(con)
    if quarantined.empty:
        st.success("No quarantined files.")
    else:
        st.dataframe(quarantined, hide_index=True)
    left, right = st.columns(2)
    with left:
        st.subheader("Tests not passing (last build)")
        st.dataframe(q.test_results(dbt_target_dir()), hide_index=True)
    with right:
        st.subheader("Source freshness")
        st.dataframe(q.freshness(dbt_target_dir()), hide_index=True)


def main() -> None:
    st.set_page_config(page_title="Grandstand", layout="wide")
    wanted = st.query_params.get("page", "racing")
    page = st.sidebar.radio(
        "dashboard", PAGES, index=PAGES.index(wanted) if wanted in PAGES else 0, format_func=TITLES.get
    )
    st.query_params["page"] = page
    st.title(TITLES[page])
    con, is_copy = open_reader(load_settings())
    if con is None:
        st.error("No warehouse yet: run `make run` first.")
        return
    if is_copy:
        st.warning("A run is writing the warehouse: showing the last good copy.")
    try:
        {"racing": racing, "f1": f1, "markets": markets, "crypto": crypto, "product": product, "pipeline": pipeline}[
            page
        ](con)
    finally:
        con.close()


if __name__ == "__main__":  # streamlit runs the script as __main__; importing it (tests) does not
    main()
