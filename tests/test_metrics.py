"""The semantic layer: `mf validate-configs` passes on the sample warehouse, `mf query` and the Python API give the
figures a direct SQL over the marts gives, and every metric in the semantic manifest is on the metrics page."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.config import PROJECT_ROOT, Settings
from pipelines.serve.metrics import (
    MANIFEST_FILE,
    PAGE_PATH,
    MetricQuery,
    SemanticLayer,
    catalogue,
    load_manifest,
    metrics_page,
    metrics_page_html,
)
from pipelines.transform.manifest import parse_manifest

MF = str(Path(sys.executable).with_name("mf"))
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots", "tests", "docs")


# --- the catalogue (dbt parse only) ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parsed_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("semantic_target")
    parse_manifest(target)
    return target / MANIFEST_FILE


def test_every_metric_has_label_description_owner_grain_and_dimensions(parsed_manifest: Path) -> None:
    entries = catalogue(load_manifest(parsed_manifest))
    assert len(entries) >= 40, "the semantic manifest holds too few metrics: was models/semantic/ parsed?"
    incomplete = [
        e.name
        for e in entries
        if not (e.label and e.label != e.name and e.description and e.owner and e.grain and e.dimensions)
    ]
    assert not incomplete, f"metrics without a label, description or meta owner/grain/dimensions: {incomplete}"
    assert {e.owner for e in entries} >= {"racing", "f1", "markets", "crypto", "product"}


def test_every_metric_is_on_the_metrics_page(parsed_manifest: Path) -> None:
    entries = catalogue(load_manifest(parsed_manifest))
    page = PAGE_PATH.read_text()
    missing = [e.name for e in entries if f"| `{e.name}` |" not in page]
    assert not missing, (
        f"{PAGE_PATH}: metrics missing (run `python -m pipelines.serve.metrics --write-page`): {missing}"
    )
    assert page == metrics_page(entries), (
        f"{PAGE_PATH} is out of date: run `python -m pipelines.serve.metrics --write-page`"
    )
    html = metrics_page_html(entries)  # what `grandstand docs` serves as metrics.html beside the dbt docs
    assert all(f"<code>{e.name}</code>" in html for e in entries)
    assert "(metrics.html)" in (PROJECT_ROOT / "docs" / "dbt" / "overview.md").read_text()


# --- against the sample warehouse -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_warehouse: Path) -> Settings:
    return Settings(
        mode="sample", warehouse=sample_warehouse / "warehouse.duckdb", landing=sample_warehouse / "landing"
    )


@pytest.fixture(scope="module")
def layer(sample: Settings, sample_warehouse: Path) -> Any:
    with SemanticLayer(sample, load_manifest(sample_warehouse / "target" / MANIFEST_FILE)) as semantic:
        yield semantic


@pytest.fixture(scope="module")
def con(sample: Settings) -> Any:
    connection = duckdb.connect(str(sample.warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def mf_project(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The project as `mf` sees it: mf reads <project>/target/semantic_manifest.json, so a folder of links to the
    project's files whose target/ is the sample warehouse's."""
    root = tmp_path_factory.mktemp("mf_project")
    for name in PROJECT_FILES:
        (root / name).symlink_to(PROJECT_ROOT / name)
    (root / "target").symlink_to(sample_warehouse / "target")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRANDSTAND_", "DBT_"))}
    env.update(
        GRANDSTAND_WAREHOUSE=str(sample_warehouse / "warehouse.duckdb"),
        GRANDSTAND_DBT_TARGET="duckdb_readonly",
        DBT_PROFILES_DIR=str(root),
        DBT_TARGET_PATH=str(sample_warehouse / "target"),
        DBT_LOG_PATH=str(root / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
    )
    return root, env


def _mf(project: tuple[Path, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    root, env = project
    return subprocess.run([MF, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_mf_validate_configs_passes(mf_project: tuple[Path, dict[str, str]]) -> None:
    proc = _mf(mf_project, "validate-configs")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "Successfully validated metrics against data warehouse" in out, out[-3000:]


def test_mf_query_f1_wins_per_driver_equals_the_mart(mf_project: tuple[Path, dict[str, str]], con: Any) -> None:
    season = con.execute("select max(season) - 1 from marts.fct_f1_results").fetchone()[0]
    out = mf_project[0] / "wins.csv"
    proc = _mf(
        mf_project,
        "query",
        "--metrics",
        "f1_wins,f1_podiums,f1_dnfs,f1_points",
        "--group-by",
        "f1_driver__full_name",
        "--where",
        f"{{{{ TimeDimension('metric_time', 'year') }}}} = '{season}-01-01'",
        "--csv",
        str(out),
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    with out.open() as f:
        via_mf = {
            r["f1_driver__full_name"]: tuple(
                float(r[m] or 0) for m in ("f1_wins", "f1_podiums", "f1_dnfs", "f1_points")
            )
            for r in csv.DictReader(f)
        }
    direct = con.execute(
        """select d.full_name,
                  count(*) filter (where r.session_type = 'race' and r.finish_position = 1),
                  count(*) filter (where r.session_type = 'race' and r.finish_position between 1 and 3),
                  count(*) filter (where r.session_type = 'race' and r.position_text in ('R', 'N')),
                  sum(r.points)
           from marts.fct_f1_results r left join marts.dim_f1_driver d using (driver_id)
           where r.season = ? group by d.full_name""",
        [season],
    ).fetchall()
    expected = {name: tuple(float(v or 0) for v in values) for name, *values in direct}
    assert via_mf == expected
    assert sum(v[0] for v in expected.values()) > 0, f"season {season} has no wins in the sample: the check is empty"


def test_jockey_and_trainer_strike_rates_equal_their_marts(layer: SemanticLayer, con: Any) -> None:
    for who, mart in (
        ("racing_jockey", "racing_jockey_strike_rates"),
        ("racing_trainer", "racing_trainer_strike_rates"),
    ):
        frame = layer.query(
            MetricQuery(("racing_starts", "racing_wins", "racing_win_strike_rate", "racing_place_strike_rate"), (who,))
        )
        via_mf = {
            r[who]: (r["racing_starts"], r["racing_wins"], r["racing_win_strike_rate"], r["racing_place_strike_rate"])
            for _, r in frame.iterrows()
            if r[who] is not None and r["racing_starts"]
        }
        key = who.removeprefix("racing_") + "_key"
        rows = con.execute(f"select {key}, rides, wins, win_rate, place_rate from marts.{mart}").fetchall()
        expected = {k: (rides, wins, win, place) for k, rides, wins, win, place in rows}
        assert len(expected) > 50
        assert via_mf.keys() == expected.keys()
        for k, values in expected.items():
            assert via_mf[k] == pytest.approx(values), f"{mart}: {k}"


def test_favourites_win_rate_and_implied_probability_equal_the_mart(layer: SemanticLayer, con: Any) -> None:
    frame = layer.query(
        MetricQuery(
            ("racing_favourite_starts", "racing_favourite_win_rate", "racing_favourite_implied_probability"),
            ("metric_time__year", "racing_run__racecourse", "racing_run__data_source"),
        )
    )
    via_mf = {
        (r["metric_time__year"].year, r["racing_run__racecourse"], r["racing_run__data_source"]): (
            r["racing_favourite_starts"],
            r["racing_favourite_win_rate"],
            r["racing_favourite_implied_probability"],
        )
        for _, r in frame.iterrows()
        if r["racing_favourite_starts"]
    }
    rows = con.execute(
        """select year(race_year), racecourse, data_source, favourites, favourite_win_rate, mean_implied_probability
           from marts.racing_favourite_performance"""
    ).fetchall()
    assert rows
    for year, course, source, favourites, rate, implied in rows:
        assert via_mf[(year, course, source)] == pytest.approx((favourites, rate, implied)), (year, course, source)


def test_active_users_equal_the_mart(layer: SemanticLayer, con: Any) -> None:
    rows = con.execute(
        """select activity_date, daily_active_users, weekly_active_users, monthly_active_users
           from marts.product_active_users
           where activity_date >= (select max(activity_date) - 30 from marts.product_active_users)
           order by activity_date"""
    ).fetchall()
    start, end = rows[0][0], max(r[0] for r in rows)
    frame = layer.query(
        MetricQuery(
            ("product_dau", "product_wau", "product_mau"),
            ("metric_time__day",),
            start=datetime(start.year, start.month, start.day),
            end=datetime(end.year, end.month, end.day),
        )
    )
    via_mf = {
        r["metric_time__day"].date(): (r["product_dau"], r["product_wau"], r["product_mau"])
        for _, r in frame.iterrows()
    }
    assert len(rows) >= 3
    for day, dau, wau, mau in rows:
        assert via_mf[day] == (dau, wau, mau), day


def test_conversion_per_channel_equals_the_mart(layer: SemanticLayer, con: Any) -> None:
    frame = layer.query(
        MetricQuery(("product_sessions", "product_session_conversion_rate"), ("product_session__entry_channel",))
    )
    via_mf = {
        r["product_session__entry_channel"]: (r["product_sessions"], r["product_session_conversion_rate"])
        for _, r in frame.iterrows()
    }
    rows = con.execute(
        "select channel, sessions, session_conversion_rate from marts.product_channel_performance"
    ).fetchall()
    assert len(rows) >= 3
    for channel, sessions, rate in rows:
        assert via_mf[channel] == pytest.approx((sessions, rate)), channel


def test_p95_ingestion_latency_by_day_equals_direct_sql(layer: SemanticLayer, con: Any) -> None:
    frame = layer.query(MetricQuery(("product_ingestion_latency_p95",), ("metric_time__day",)))
    received = frame[frame["metric_time__day"].notna()]  # events not received yet have no day: a row of their own
    via_mf = {r["metric_time__day"].date(): r["product_ingestion_latency_p95"] for _, r in received.iterrows()}
    rows = con.execute(
        """select cast(received_at as date),
                  quantile_cont((epoch_us(received_at) - epoch_us(occurred_at)) / 1000000.0, 0.95)
           from marts.fct_product_events where received_at is not null group by 1"""
    ).fetchall()
    assert rows
    assert via_mf == pytest.approx(dict(rows))


def test_vwap_equals_the_session_vwap_at_the_close(layer: SemanticLayer, con: Any) -> None:
    rows = con.execute(
        """select ticker, session_date, arg_max(session_vwap, minute_of_session)
           from marts.fct_markets_bars_1m group by ticker, session_date"""
    ).fetchall()
    assert rows
    frame = layer.query(MetricQuery(("markets_vwap",), ("markets_ticker", "metric_time__day")))
    via_mf = {(r["markets_ticker"], r["metric_time__day"].date()): r["markets_vwap"] for _, r in frame.iterrows()}
    for ticker, day, vwap in rows:
        assert via_mf[(ticker, day)] == pytest.approx(vwap), (ticker, day)


def test_funnel_step_conversion_equals_direct_sql(layer: SemanticLayer, con: Any) -> None:
    """Users with a sign-up started on or after the day of a page view, over users with a page view (clickstream)."""
    rate = layer.query(MetricQuery(("product_signup_start_conversion",))).iloc[0, 0]
    base, converted = con.execute(
        """with e as (select * from marts.fct_product_events where source_system = 'clickstream'),
                views as (select user_key, min(event_date) as first_view from e where event_type = 'page_view'
                          group by user_key),
                starts as (select user_key, max(event_date) as last_start from e
                           where event_type = 'signup_started' group by user_key)
           select count(*), count(*) filter (where starts.last_start >= views.first_view)
           from views left join starts using (user_key)"""
    ).fetchone()
    assert base > 100
    assert rate == pytest.approx(converted / base)


def test_explain_gives_the_sql_that_reads_the_marts(layer: SemanticLayer) -> None:
    sql = layer.explain(MetricQuery(("f1_wins",), ("metric_time__year",), start=datetime(2020, 1, 1)))
    assert '"marts"."fct_f1_results"' in sql
    assert date(2020, 1, 1).isoformat() in sql
