"""Every query the dashboards run, in one module: parameterised with bound values, never built from strings.

Each takes an open read-only DuckDB connection and returns a pandas DataFrame.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd


def _df(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | dict[str, object] | None = None
) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


# ---- racing ---------------------------------------------------------------------------------------------------


def people(con: duckdb.DuckDBPyConnection, who: str) -> pd.DataFrame:
    """Jockeys or trainers by key, with the name to show (`display_name` labels the history's unnamed ids) and whether
    it is a published name; the strike rates themselves come from the semantic layer (dashboard/kpis.py)."""
    tables = {"jockey": "marts.dim_racing_jockey", "trainer": "marts.dim_racing_trainer"}
    if who not in tables:
        raise ValueError(f"who must be jockey or trainer, not {who!r}")
    return _df(con, f"select {who}_key as key, display_name as name, is_named from {tables[who]}")


def racecourses(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The racecourse codes (ST, HV), from the racecourse dimension (the seed racecourses)."""
    codes = _df(con, "select racecourse from marts.dim_racing_racecourse order by racecourse desc")
    return codes["racecourse"].tolist()  # ST first, as the dashboard always showed it


def racecourse_distances(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(
        con,
        """select racecourse, surface, distance_m, sum(starts) as starts from marts.racing_draw_bias
           group by all having sum(starts) >= 200 order by racecourse, surface, distance_m""",
    )


def draw_bias(con: duckdb.DuckDBPyConnection, racecourse: str, surface: str, distance_m: int) -> pd.DataFrame:
    return _df(
        con,
        """select draw, sum(starts) as starts, sum(wins) as wins,
                  sum(wins) / sum(starts) as win_rate,
                  sum(expected_win_rate * starts) / sum(starts) as expected_win_rate
           from marts.racing_draw_bias
           where racecourse = ? and surface = ? and distance_m = ?
           group by draw order by draw""",
        [racecourse, surface, distance_m],
    )


def horses(con: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    """Horses to pick from, named ones first, by the mart's display name (the history's unnamed ids say so)."""
    return _df(
        con,
        """select h.horse_key, h.display_name as horse_name, h.career_runs
           from marts.dim_racing_horse as h
           order by not h.is_named, h.last_run_date desc, h.career_runs desc limit ?""",
        [limit],
    )


def horse_form(con: duckdb.DuckDBPyConnection, horse_key: str) -> pd.DataFrame:
    return _df(
        con,
        """select r.race_date, r.racecourse, r.race_no, r."placing", r.finish_position, r.draw, r.win_odds,
                  j.display_name as jockey, t.display_name as trainer
           from marts.fct_racing_runs as r
           left join marts.dim_racing_jockey as j using (jockey_key)
           left join marts.dim_racing_trainer as t using (trainer_key)
           where r.horse_key = ? order by r.race_date desc, r.race_no desc limit 6""",
        [horse_key],
    )


# ---- f1 -------------------------------------------------------------------------------------------------------


def f1_seasons(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.execute("select distinct season from marts.fct_f1_driver_standings order by season desc").fetchall()
    return [int(r[0]) for r in rows]


def standings_progression(con: duckdb.DuckDBPyConnection, season: int, top: int) -> pd.DataFrame:
    return _df(
        con,
        """with final as (
               select driver_id from marts.fct_f1_driver_standings
               where season = ? and round_number = (
                   select max(round_number) from marts.fct_f1_driver_standings where season = ?)
               order by position limit ?)
           select s.round_number, s.driver_id, s.points
           from marts.fct_f1_driver_standings as s inner join final using (driver_id)
           where s.season = ? order by s.round_number""",
        [season, season, top, season],
    )


def f1_races(con: duckdb.DuckDBPyConnection, season: int) -> pd.DataFrame:
    return _df(
        con,
        """select race_key, round_number, race_name, race_date from marts.dim_f1_race
           where season = ? and race_results > 0 order by round_number""",
        [season],
    )


def race_results(con: duckdb.DuckDBPyConnection, race_key: str) -> pd.DataFrame:
    return _df(
        con,
        """select r.position_order as pos, d.full_name as driver, r.constructor_id, r.grid, r.points, r.status_text
           from marts.fct_f1_results as r left join marts.dim_f1_driver as d using (driver_id)
           where r.race_key = ? and r.session_type = 'race' order by r.position_order""",
        [race_key],
    )


def pit_stops(con: duckdb.DuckDBPyConnection, race_key: str) -> pd.DataFrame:
    return _df(
        con,
        """select driver_id, stop_number, lap_number, duration_ms / 1000.0 as duration_s
           from marts.fct_f1_pit_stops where race_key = ? order by lap_number""",
        [race_key],
    )


def lap_times(con: duckdb.DuckDBPyConnection, race_key: str) -> pd.DataFrame:
    return _df(
        con,
        """select lap_number, driver_id, lap_time_ms / 1000.0 as lap_time_s from marts.fct_f1_laps
           where race_key = ? and lap_time_ms is not null order by lap_number""",
        [race_key],
    )


def race_predictions(con: duckdb.DuckDBPyConnection, season: int, round_number: int) -> pd.DataFrame:
    """The race-winner model's predictions for one race beside the result: predicted rank, driver, win probability,
    grid, finish and whether the pick won. A shared drive counts the best classified car."""
    return _df(
        con,
        """with results as (
               select race_key, driver_id, min(position_order) as position_order,
                      min(finish_position) as finish_position, min(grid) as grid
               from marts.fct_f1_results where session_type = 'race' group by race_key, driver_id)
           select p.season, p.round_number, r.race_name, p.race_date, p.predicted_rank, d.full_name as driver,
                  p.win_probability, res.grid, res.finish_position, coalesce(res.finish_position = 1, false) as won,
                  p.model_version, p.trained_through
           from marts.f1_race_predictions as p
           inner join marts.dim_f1_race as r on p.race_key = r.race_key
           inner join marts.dim_f1_driver as d on p.driver_id = d.driver_id
           left join results as res on p.race_key = res.race_key and p.driver_id = res.driver_id
           where p.season = $season and p.round_number = $round_number
           order by p.predicted_rank""",
        {"season": season, "round_number": round_number},
    )


# ---- markets --------------------------------------------------------------------------------------------------


def minute_sessions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(
        con,
        """select ticker, session_date, count(*) as minutes, count(case when is_filled then 1 end) as filled
           from marts.fct_markets_bars_1m group by all order by ticker, session_date""",
    )


def minute_bars(con: duckdb.DuckDBPyConnection, ticker: str, session_date: str) -> pd.DataFrame:
    return _df(
        con,
        """select ts_utc, close_price, session_vwap, volume, is_filled from marts.fct_markets_bars_1m
           where ticker = ? and session_date = cast(? as date) order by ts_utc""",
        [ticker, session_date],
    )


def daily_tickers(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("select distinct ticker from marts.fct_markets_daily_bars order by 1").fetchall()]


def daily_bars(con: duckdb.DuckDBPyConnection, ticker: str) -> pd.DataFrame:
    return _df(
        con,
        """select session_date, close_price, adj_close, moving_average_20d, moving_average_50d, volatility_20d,
                  bar_source
           from marts.fct_markets_daily_bars where ticker = ? order by session_date""",
        [ticker],
    )


def bar_quality_flags(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(
        con,
        """select ticker,
                  count(case when is_filled then 1 end) as filled_minutes,
                  count(case when not is_regular_session then 1 end) as outside_session,
                  count(case when not is_in_requested_range then 1 end) as outside_requested_range
           from intermediate.int_markets_bars_aligned_to_sessions group by ticker order by ticker""",
    )


# ---- crypto ---------------------------------------------------------------------------------------------------


def crypto_assets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(
        con,
        """select asset_id, price_source, count(*) as days from marts.crypto_daily_summary
           group by all order by days desc, asset_id""",
    )


def crypto_daily(con: duckdb.DuckDBPyConnection, asset_id: str, price_source: str) -> pd.DataFrame:
    return _df(
        con,
        """select price_date, open_usd, high_usd, low_usd, close_usd, rolling_mean_7d_usd, rolling_mean_30d_usd,
                  change_1d_fraction, market_cap_rank
           from marts.crypto_daily_summary where asset_id = ? and price_source = ? order by price_date""",
        [asset_id, price_source],
    )


def crypto_ranks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(
        con,
        """select price_date, asset_id, market_cap_rank, market_cap_usd from marts.crypto_daily_summary
           where market_cap_rank is not null order by price_date desc, market_cap_rank limit 50""",
    )


# ---- product --------------------------------------------------------------------------------------------------


def channel_revenue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Revenue per entry channel (no metric defines revenue yet; sessions and conversion come from the semantic
    layer)."""
    return _df(con, "select channel, revenue_usd, revenue_per_session_usd from marts.product_channel_performance")


def ingestion_latency(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(
        con,
        """select received_hour, p50_latency_seconds, p95_latency_seconds, target_seconds, meets_target
           from marts.ops_ingestion_latency order by received_hour""",
    )


# ---- pipeline health ------------------------------------------------------------------------------------------


def last_runs(con: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    return _df(
        con,
        """select run_id, source_name, extract_mode, started_at, ended_at, run_status, files_filed, files_loaded,
                  files_quarantined, error_message
           from audit.load_runs order by started_at desc limit ?""",
        [limit],
    )


def quarantined(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(
        con,
        "select source_name, landing_path, error_message, quarantined_at from audit.quarantine order by 4 desc",
    )


def test_results(target_dir: Path) -> pd.DataFrame:
    """Tests of the last build that did not pass, from dbt's run_results.json."""
    path = target_dir / "run_results.json"
    if not path.exists():
        return pd.DataFrame(columns=["test", "status", "failures"])
    results = json.loads(path.read_text())["results"]
    rows = [
        {"test": r["unique_id"].split(".")[2], "status": r["status"], "failures": r.get("failures") or 0}
        for r in results
        if r["unique_id"].startswith(("test.", "unit_test.")) and r["status"] != "pass"
    ]
    return pd.DataFrame(rows, columns=["test", "status", "failures"])


def freshness(target_dir: Path) -> pd.DataFrame:
    path = target_dir / "sources.json"
    if not path.exists():
        return pd.DataFrame(columns=["source", "status", "max_loaded_at", "age_hours"])
    rows = [
        {
            "source": r["unique_id"].split(".", 2)[2],
            "status": r["status"],
            "max_loaded_at": r.get("max_loaded_at"),
            "age_hours": round((r.get("max_loaded_at_time_ago_in_s") or 0) / 3600, 1),
        }
        for r in json.loads(path.read_text())["results"]
    ]
    return pd.DataFrame(rows)
