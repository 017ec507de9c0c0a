"""Dashboards: every page's logic through Streamlit's AppTest, and the query module, on the sample warehouse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.serve.dashboard import explore, kpis
from pipelines.serve.dashboard import queries as q
from pipelines.serve.dashboard.app import PAGES
from pipelines.serve.metrics import MetricQuery
from tests import test_metrics
from tests.e2e import cli_env
from tests.test_metrics import _mf

# the fixture that gives `mf` the sample warehouse's manifest (a folder of links), shared, not duplicated
mf_project = test_metrics.mf_project
APP = str(Path(__file__).parents[1] / "pipelines" / "serve" / "dashboard" / "app.py")
pytestmark = pytest.mark.slow


@pytest.fixture()
def sample_env(sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in cli_env(sample_warehouse).items():
        if key.startswith(("GRANDSTAND_", "DBT_")):
            monkeypatch.setenv(key, value)
    return sample_warehouse


@pytest.fixture()
def con(sample_warehouse: Path):
    connection = duckdb.connect(str(sample_warehouse / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_data(sample_env: Path, page: str) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    tables = [df for df in at.dataframe if not df.value.empty]
    charts = at.get("vega_lite_chart")
    assert tables or charts, f"page {page} shows no data"
    if page != "pipeline":
        assert charts, f"page {page} shows no chart"


def test_dashboard_reads_the_last_good_copy_while_a_run_writes(sample_env: Path) -> None:
    from streamlit.testing.v1 import AppTest

    script = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('writing', flush=True); time.sleep(60)"
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(sample_env / "warehouse.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["page"] = "crypto"
        at.run()
    finally:
        writer.kill()
        writer.wait()
    assert not at.exception, [e.value for e in at.exception]
    assert any("last good copy" in w.value for w in at.warning) and at.get("vega_lite_chart")


def test_queries_are_parameterised_and_answer(con) -> None:
    with pytest.raises(ValueError):
        q.people(con, "owner'; drop table x; --")
    course = q.racecourse_distances(con).iloc[0]
    evil = f"{course.racecourse}' or '1'='1"
    # the query works: the next line proves binding, not failure
    assert not q.draw_bias(con, course.racecourse, course.surface, int(course.distance_m)).empty
    assert q.draw_bias(con, evil, course.surface, int(course.distance_m)).empty  # a bound value, not SQL
    progression = q.standings_progression(con, 1988, 2)
    final = progression[progression["round_number"] == progression["round_number"].max()]
    assert dict(zip(final["driver_id"], final["points"], strict=True)) == {"senna": 90.0, "prost": 87.0}
    sessions = q.minute_sessions(con)
    first = sessions.iloc[0]
    bars = q.minute_bars(con, first["ticker"], str(first["session_date"])[:10])
    assert len(bars) == first["minutes"] and bars["session_vwap"].notna().all()
    assert not q.ingestion_latency(con).empty


def test_unnamed_history_ids_are_labelled_and_can_be_filtered_out(sample_env: Path) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = "racing"
    at.run()
    names = [n for df in at.dataframe if "name" in df.value.columns for n in df.value["name"]]
    assert any(n.startswith("History dataset jockey #") for n in names), names[:5]
    assert not [n for n in names if n.startswith("kaggle-")], "raw history ids shown as names"
    at.sidebar.checkbox[0].check().run()
    assert not at.exception, [e.value for e in at.exception]
    named = [n for df in at.dataframe if "name" in df.value.columns for n in df.value["name"]]
    assert named and not [n for n in named if "History dataset" in n], named[:5]


# ---- one definition per KPI: every figure a page shows is what `mf query` gives for the same slice -------------


def _mf_frame(project: tuple[Path, dict[str, str]], query: MetricQuery) -> pd.DataFrame:
    """The slice through the real `mf query --csv` CLI."""
    out = project[0] / f"q{abs(hash(query))}.csv"
    args = ["query", "--metrics", ",".join(query.metrics), "--csv", str(out)]
    if query.group_by:
        args += ["--group-by", ",".join(query.group_by)]
    if query.where:
        args += ["--where", " and ".join(query.where)]
    proc = _mf(project, *args)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return pd.read_csv(out)


def _page(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at, column: str) -> pd.DataFrame:
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert found, f"no table with a {column} column on the page"
    return found[0]


def _metric(at, label: str) -> str:
    found = [m.value for m in at.metric if m.label.startswith(label)]
    assert found, f"no figure {label!r} on the page: {[m.label for m in at.metric]}"
    return found[0]


def test_racing_strike_rates_equal_mf_query(sample_env: Path, mf_project, con) -> None:
    shown = _table(_page("racing"), "win_rate")
    names = q.people(con, "jockey").set_index("key")["name"]
    via_mf = _mf_frame(mf_project, kpis.strike_rates("jockey")).dropna(subset=["racing_jockey"])
    via_mf["name"] = via_mf["racing_jockey"].map(names)
    expected = via_mf.set_index("name")
    assert len(shown) == 15
    for row in shown.itertuples():
        mf_row = expected.loc[row.name]
        assert (row.rides, row.wins, row.places) == (mf_row.racing_starts, mf_row.racing_wins, mf_row.racing_places)
        assert (row.win_rate, row.place_rate) == pytest.approx(
            (mf_row.racing_win_strike_rate, mf_row.racing_place_strike_rate)
        )


def test_f1_season_table_equals_mf_query(sample_env: Path, mf_project) -> None:
    at = _page("f1")
    season = int(at.sidebar.selectbox[0].value)
    shown = _table(at, "f1_points").set_index("f1_driver__full_name").sort_index()
    via_mf = _mf_frame(mf_project, kpis.f1_season(season)).set_index("f1_driver__full_name").sort_index()
    assert len(shown) > 10 and shown["f1_wins"].sum() > 0
    pd.testing.assert_frame_equal(shown[list(kpis.F1_SEASON)], via_mf[list(kpis.F1_SEASON)], check_dtype=False)


def test_markets_and_crypto_figures_equal_mf_query(sample_env: Path, mf_project, con) -> None:
    at = _page("markets")
    first = q.minute_sessions(con).iloc[0]  # the session the page shows first
    via_mf = _mf_frame(mf_project, kpis.minute_session(first["ticker"], f"{first['session_date']:%Y-%m-%d}"))
    assert _metric(at, "session VWAP") == f"{via_mf['markets_vwap'].iloc[0]:,.4f}"
    assert _metric(at, "session volume") == f"{via_mf['markets_minute_volume'].iloc[0]:,.0f}"
    at = _page("crypto")
    asset = q.crypto_assets(con).iloc[0]
    days = _mf_frame(mf_project, kpis.crypto_days(asset["asset_id"], asset["price_source"]))
    last = days.sort_values("metric_time__day").iloc[-1]
    assert _metric(at, f"close on {last['metric_time__day'][:10]}") == f"{last['crypto_close_price']:,.4f}"
    delta = next(m.proto.delta for m in at.metric if m.label.startswith("close on"))
    assert delta == ("" if pd.isna(last["crypto_daily_change"]) else f"{last['crypto_daily_change']:+.2%}")


def test_product_figures_equal_mf_query(sample_env: Path, mf_project) -> None:
    at = _page("product")
    active = _mf_frame(mf_project, kpis.active_users("clickstream")).dropna().sort_values("metric_time__day")
    latest = active.iloc[-1]
    for metric in kpis.ACTIVE_USERS:
        label = f"{metric.removeprefix('product_').upper()} on {latest['metric_time__day'][:10]}"
        assert _metric(at, label) == str(int(latest[metric])), metric
    rates = _mf_frame(mf_project, kpis.funnel_conversions()).iloc[0]
    shown = _table(at, "conversion")
    assert shown["conversion"].tolist() == pytest.approx([rates[m] for m in kpis.FUNNEL_CONVERSIONS])
    assert 0 < shown["conversion"].min() < 1
    channels = _mf_frame(mf_project, kpis.channels()).set_index("product_session__entry_channel").sort_index()
    table = _table(at, "product_session_conversion_rate").set_index("channel").sort_index()
    assert table.index.tolist() == channels.index.tolist()
    pd.testing.assert_frame_equal(
        table[list(kpis.CHANNELS)], channels[list(kpis.CHANNELS)], check_dtype=False, check_names=False
    )


# ---- self-service --------------------------------------------------------------------------------------------------


def test_explore_builds_a_chart_table_and_csv_and_matches_mf_query(sample_env: Path, mf_project) -> None:
    at = _page("explore")
    at.multiselect[0].set_value(["f1_wins", "f1_points"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox[0].value == "year", "the time grain should default to the metrics' finest shared grain"
    assert "f1_driver__nationality" in at.multiselect[1].options
    at.selectbox[0].set_value("(none)").run()
    at.multiselect[1].set_value(["f1_driver__full_name"]).run()
    at.selectbox[1].set_value("f1_driver__nationality").run()
    at.selectbox[2].set_value("Finnish").run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert at.get("vega_lite_chart"), "no chart"
    assert at.get("download_button"), "no CSV download"
    shown = _table(at, "f1_points").set_index("f1_driver__full_name").sort_index()
    query = explore.build_query(
        ["f1_wins", "f1_points"], "(none)", ["f1_driver__full_name"], "f1_driver__nationality", "Finnish"
    )
    via_mf = _mf_frame(mf_project, query).set_index("f1_driver__full_name").sort_index()
    assert len(shown) >= 3, "the sample has several Finnish drivers"
    pd.testing.assert_frame_equal(shown[["f1_wins", "f1_points"]], via_mf[["f1_wins", "f1_points"]], check_dtype=False)


def test_explore_says_why_a_combination_is_invalid(sample_env: Path) -> None:
    at = _page("explore")
    at.multiselect[0].set_value(["f1_wins", "product_dau"]).run()
    at.selectbox[0].set_value("day").run()  # F1 results are by season: no daily grain
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "MetricFlow cannot answer this query" in at.error[0].value, [e.value for e in at.error]
    assert "f1_wins" in at.error[0].value and not at.get("vega_lite_chart")
    at.multiselect[0].set_value([]).run()
    assert any("Pick one or more metrics" in i.value for i in at.info)


# ---- F1 predictions beside the result ------------------------------------------------------------------------------


def test_f1_predictions_beside_the_result(sample_env: Path, con) -> None:
    at = _page("f1")
    season = int(at.sidebar.selectbox[0].value)
    race_key = at.selectbox[0].value
    round_number = int(q.f1_races(con, season).set_index("race_key").loc[race_key, "round_number"])
    shown = _table(at, "win_probability")
    expected = q.race_predictions(con, season, round_number)
    assert shown["driver"].tolist() == expected["driver"].tolist() and len(shown) >= 18
    assert shown["predicted_rank"].tolist() == list(range(1, len(shown) + 1))
    assert shown["win_probability"].sum() == pytest.approx(1.0)
    assert shown["win_probability"].is_monotonic_decreasing
    winner = con.execute(
        """select d.full_name from marts.fct_f1_results as r join marts.dim_f1_driver as d using (driver_id)
           where r.race_key = ? and r.session_type = 'race' and r.finish_position = 1""",
        [race_key],
    ).fetchone()[0]
    assert shown.loc[shown["won"], "driver"].tolist() == [winner]
    assert shown.loc[shown["driver"] == winner, "finish_position"].iloc[0] == 1
    assert _metric(at, "predicted winner") == shown["driver"].iloc[0]


def test_segments_start_at_gaps_and_source_changes() -> None:
    import pandas as pd

    from pipelines.serve.dashboard.charts import segments

    days = pd.Series(pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-06", "2024-10-02", "2024-10-03"]))
    assert segments(days, pd.Timedelta(days=7)).tolist() == [0, 0, 0, 1, 1]
    source = pd.Series(["history", "history", "pages", "pages", "pages"])
    assert segments(days, pd.Timedelta(days=7), source).tolist() == [1, 1, 2, 3, 3]
