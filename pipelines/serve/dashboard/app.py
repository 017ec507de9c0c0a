"""Grandstand dashboards: one page per domain, plus pipeline health. Read-only; falls back to the last good copy.

Run with `make dashboard` (or `grandstand dashboard`). Choose a page in the sidebar or with `?page=racing`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from pipelines.config import dbt_target_dir, load_settings
from pipelines.operate.reader import open_reader
from pipelines.serve.dashboard import charts, explore, kpis
from pipelines.serve.dashboard import queries as q
from pipelines.serve.dashboard.figures import Figures
from pipelines.serve.metrics import MANIFEST_FILE, load_manifest

# exchanges close for weekends and holidays (at most four days in a row, a few days more in rare closures)
TRADING_DAYS_GAP = pd.Timedelta(days=7)
SOURCES = {"kaggle_hkracing": "history dataset", "hkjc_results_page": "results pages"}
PAGES = ("racing", "f1", "markets", "crypto", "product", "explore", "pipeline")
TITLES = {
    "racing": "Racing (HKJC)",
    "f1": "Formula 1",
    "markets": "Markets (Yahoo)",
    "crypto": "Crypto (CoinCap)",
    "product": "Product events",
    "explore": "Explore metrics",
    "pipeline": "Pipeline health",
}


def racing(con, layer: Figures) -> None:
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
            rates = strike_rate_table(con, layer, who, min_rides, 15, named_only=named_only)
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
    fav = favourite_table(layer, course)
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


def strike_rate_table(
    con, layer: Figures, who: str, min_rides: int, limit: int, *, named_only: bool = False
) -> pd.DataFrame:
    """The top strike rates: figures from the semantic layer, names (history ids labelled) from the dimension."""
    rates = layer.query(kpis.strike_rates(who)).rename(columns={f"racing_{who}": "key"})
    table = q.people(con, who).merge(rates, on="key")
    table = table[(table["racing_starts"] >= min_rides) & (table["is_named"] | (not named_only))]
    table = table.sort_values(["racing_win_strike_rate", "racing_starts"], ascending=False).head(limit)
    columns = {"racing_starts": "rides", "racing_wins": "wins", "racing_places": "places"}
    columns |= {"racing_win_strike_rate": "win_rate", "racing_place_strike_rate": "place_rate"}
    return table[["name", *columns]].rename(columns=columns)


def favourite_table(layer: Figures, racecourse: str) -> pd.DataFrame:
    fav = layer.query(kpis.favourites(racecourse)).rename(
        columns={
            "metric_time__year": "race_year",
            "racing_run__data_source": "data_source",
            "racing_favourite_starts": "favourites",
            "racing_favourite_win_rate": "favourite_win_rate",
            "racing_favourite_implied_probability": "mean_implied_probability",
        }
    )
    fav = fav[fav["favourites"] > 0].sort_values("race_year").reset_index(drop=True)
    fav["data_source"] = fav["data_source"].map(SOURCES).fillna(fav["data_source"])
    return fav


def f1(con, layer: Figures) -> None:
    seasons = q.f1_seasons(con)
    season = st.sidebar.selectbox("season", seasons, index=seasons.index(2021) if 2021 in seasons else 0)
    st.subheader(f"Drivers' championship after each round, {season}")
    progression = q.standings_progression(con, season, 6)
    st.line_chart(progression, x="round_number", y="points", color="driver_id")
    races = q.f1_races(con, season)
    race = st.selectbox(
        "race", races["race_key"], format_func=lambda k: races.set_index("race_key").loc[k, "race_name"]
    )
    st.subheader(f"Season {season}: points, wins, podiums, poles and DNFs by driver")
    with st.container(key="f1-season"):
        st.dataframe(layer.query(kpis.f1_season(season)), hide_index=True)
    round_number = int(races.set_index("race_key").loc[race, "round_number"])
    left, right = st.columns(2)
    with left:
        st.subheader("Results")
        st.dataframe(q.race_results(con, race), hide_index=True)
    with right:
        st.subheader("Predicted winner beside the result")
        predicted = q.race_predictions(con, season, round_number)
        with st.container(key="f1-predictions"):
            if predicted.empty:
                st.info("No prediction for this race (the model predicts from 2000 on: `grandstand predict`).")
            else:
                pick = predicted.iloc[0]
                verdict = "won" if pick["won"] else f"finished {pick['finish_position'] or 'unclassified'}"
                st.caption(f"Model {pick['model_version']}, trained through {pick['trained_through']:%Y-%m-%d}.")
                st.metric(
                    "predicted winner", pick["driver"], f"{pick['win_probability']:.0%}: {verdict}", delta_color="off"
                )
                st.dataframe(
                    predicted[["predicted_rank", "driver", "win_probability", "grid", "finish_position", "won"]],
                    hide_index=True,
                )
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


def markets(con, layer: Figures) -> None:
    sessions = q.minute_sessions(con)
    labels = [f"{r.ticker} {r.session_date:%Y-%m-%d}" for r in sessions.itertuples()]
    choice = st.sidebar.selectbox(
        "ticker and session (1-minute bars)", range(len(labels)), format_func=lambda i: labels[i]
    )
    picked = sessions.iloc[choice]
    st.subheader(f"{picked.ticker}: minute bars and session VWAP, {picked.session_date:%Y-%m-%d}")
    bars = q.minute_bars(con, picked.ticker, str(picked.session_date)[:10])
    session = layer.query(kpis.minute_session(picked.ticker, f"{picked.session_date:%Y-%m-%d}"))
    with st.container(key="markets-kpis"):
        vwap, volume = st.columns(2)
        vwap.metric("session VWAP (USD)", f"{session['markets_vwap'].iloc[0]:,.4f}")
        volume.metric("session volume", f"{session['markets_minute_volume'].iloc[0]:,.0f}")
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


def crypto(con, layer: Figures) -> None:
    assets = q.crypto_assets(con)
    labels = [f"{r.asset_id} ({r.price_source}, {r.days} days)" for r in assets.itertuples()]
    choice = st.sidebar.selectbox("asset and price source", range(len(labels)), format_func=lambda i: labels[i])
    picked = assets.iloc[choice]
    st.subheader(f"{picked.asset_id}: daily candles and 7- and 30-day means of the close ({picked.price_source})")
    daily = q.crypto_daily(con, picked.asset_id, picked.price_source)
    days = layer.query(kpis.crypto_days(picked.asset_id, picked.price_source))
    last = days.iloc[-1]
    change = last["crypto_daily_change"]
    with st.container(key="crypto-kpis"):
        st.metric(
            f"close on {last['metric_time__day']:%Y-%m-%d} (USD)",
            f"{last['crypto_close_price']:,.4f}",
            None if pd.isna(change) else f"{change:+.2%}",
        )
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


def product(con, layer: Figures) -> None:
    source = st.sidebar.selectbox("event stream", ["clickstream", "wikipedia", "github"])
    st.subheader("Daily, weekly and monthly active users")
    active = layer.query(kpis.active_users(source))
    days_with_events = active.dropna(subset=list(kpis.ACTIVE_USERS))
    if not days_with_events.empty:
        latest = days_with_events.iloc[-1]
        with st.container(key="product-kpis"):
            for column, metric in zip(st.columns(3), kpis.ACTIVE_USERS, strict=True):
                column.metric(
                    f"{metric.removeprefix('product_').upper()} on {latest['metric_time__day']:%Y-%m-%d}",
                    int(latest[metric]),
                )
    st.line_chart(active, x="metric_time__day", y=list(kpis.ACTIVE_USERS))
    left, right = st.columns(2)
    with left:
        st.subheader("Funnel")
        reached = layer.query(kpis.funnel()).iloc[0]
        steps = pd.DataFrame({"step_name": list(kpis.FUNNEL_STEPS.values()), "users_reached": reached.tolist()})
        st.bar_chart(steps, x="step_name", y="users_reached", sort=False)
        rates = layer.query(kpis.funnel_conversions()).iloc[0]
        with st.container(key="funnel-kpis"):
            st.dataframe(
                pd.DataFrame({"step": list(kpis.FUNNEL_CONVERSIONS.values()), "conversion": rates.tolist()}),
                hide_index=True,
            )
    with right:
        st.subheader("Channel performance")
        channels = layer.query(kpis.channels()).rename(columns={"product_session__entry_channel": "channel"})
        with st.container(key="channel-kpis"):
            st.dataframe(channels.merge(q.channel_revenue(con), on="channel", how="left"), hide_index=True)
    st.subheader("Ingestion latency against the 5-minute target")
    st.line_chart(
        q.ingestion_latency(con), x="received_hour", y=["p50_latency_seconds", "p95_latency_seconds", "target_seconds"]
    )
    st.caption("The sample clickstream is generated (seeded, labelled `is_generated`).")


def pipeline(con, layer: Figures | None) -> None:
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
    settings = load_settings()
    con, is_copy = open_reader(settings)
    if con is None:
        st.error("No warehouse yet: run `make run` first.")
        return
    if is_copy:
        st.warning("A run is writing the warehouse: showing the last good copy.")
    layer = None
    try:
        if page != "pipeline":
            try:
                layer = Figures(settings, *manifest(), is_copy=is_copy)
            except FileNotFoundError as missing:
                st.error(str(missing))
                return
        PAGE_FUNCTIONS[page](con, layer)
    finally:
        if layer is not None:
            layer.close()
        con.close()


@st.cache_resource(max_entries=2)
def _manifest(path: str, mtime: float):
    return load_manifest(Path(path))


def manifest():
    """The semantic manifest, parsed once per build (keyed by the file's modification time), and its path."""
    path = dbt_target_dir() / MANIFEST_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: no semantic manifest; run `grandstand run` (or `dbt parse`) first")
    return _manifest(str(path), path.stat().st_mtime), path


PAGE_FUNCTIONS = {
    "racing": racing,
    "f1": f1,
    "markets": markets,
    "crypto": crypto,
    "product": product,
    "explore": explore.page,
    "pipeline": pipeline,
}


if __name__ == "__main__":  # streamlit runs the script as __main__; importing it (tests) does not
    main()
