"""The F1 race-winner model on a warehouse built from the shipped F1 sample, as a user builds it.

`grandstand run f1 --full-refresh` builds `f1_race_features` and, through the dbt Python model, the
`f1_race_predictions` mart; the tests check the backtest on a slice of seasons, determinism, and that the mart's
probabilities are proper and use no race from the future.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipelines.config import Settings
from pipelines.serve.predict.backtest import evaluate
from pipelines.serve.predict.commands import run_backtest
from pipelines.serve.predict.features import read_features
from pipelines.serve.predict.rolling import PREDICTION_COLUMNS, prediction_table, rolling_predictions
from tests.e2e import run_cli

SLICE = (2021, 2023)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("predict")
    run_cli(root, "run", "f1", "--full-refresh")
    return root / "warehouse.duckdb"


@pytest.fixture(scope="module")
def features(warehouse: Path) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return read_features(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def mart(warehouse: Path) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select * from marts.f1_race_predictions order by race_key, driver_id").df()
    finally:
        con.close()


def test_backtest_on_a_slice_scores_model_and_baselines_on_the_same_races(features: pd.DataFrame) -> None:
    predicted = rolling_predictions(features, *SLICE)
    backtest = evaluate(predicted)
    assert list(backtest.per_season["season"]) == list(range(SLICE[0], SLICE[1] + 1))
    in_slice = features[features["season"].between(*SLICE)]
    races_with_winner = in_slice.loc[in_slice["label_won_race"].astype(bool), "race_key"].nunique()
    assert backtest.races == races_with_winner == int(backtest.per_season["races"].sum())
    overall = backtest.overall.iloc[0]
    # the baselines, counted independently from the features, over the same races (a race with no pick is a miss)
    winners = in_slice[in_slice["label_won_race"].astype(bool)]
    assert overall.pole_top1 == pytest.approx((winners["grid"] == 1).sum() / races_with_winner)
    assert overall.leader_top1 == pytest.approx(
        (winners["championship_position_before"] == 1).fillna(False).sum() / races_with_winner
    )
    assert overall.model_top1 == pytest.approx(
        predicted.loc[(predicted["label_won_race"] == 1) & (predicted["predicted_rank"] == 1), "race_key"].nunique()
        / races_with_winner
    )
    assert 0.0 <= overall.model_top1 <= overall.model_top3 <= 1.0
    assert np.isfinite(overall.model_log_loss) and overall.model_log_loss > 0
    assert int(backtest.calibration["drivers"].sum()) == len(predicted)


def test_predictions_are_deterministic(features: pd.DataFrame) -> None:
    first = prediction_table(rolling_predictions(features, 2022, 2023))
    second = prediction_table(rolling_predictions(features.sample(frac=1.0, random_state=7), 2022, 2023))
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def test_mart_has_the_contracted_columns_and_probabilities_sum_to_one_per_race(
    mart: pd.DataFrame, features: pd.DataFrame
) -> None:
    assert tuple(mart.columns) == PREDICTION_COLUMNS
    totals = mart.groupby("race_key")["win_probability"].sum()
    assert np.allclose(totals.to_numpy(), 1.0, rtol=0, atol=1e-9), totals[(totals - 1).abs() > 1e-9]
    assert mart["win_probability"].between(0, 1).all()
    expected_races = features.loc[features["season"] >= 2000, "race_key"].nunique()
    assert mart["race_key"].nunique() == expected_races
    ranks = mart.groupby("race_key")["predicted_rank"].apply(lambda r: sorted(r) == list(range(1, len(r) + 1)))
    assert ranks.all()


def test_mart_uses_no_future_race(mart: pd.DataFrame, features: pd.DataFrame) -> None:
    assert (pd.to_datetime(mart["trained_through"]) < pd.to_datetime(mart["race_date"])).all()
    # the mart's 2022 predictions are exactly what a model sees when everything after 2022 is deleted
    season = 2022
    truncated = prediction_table(rolling_predictions(features[features["season"] <= season], season, season))
    from_mart = mart[mart["season"] == season].sort_values(["race_key", "driver_id"]).reset_index(drop=True)
    truncated = truncated.sort_values(["race_key", "driver_id"]).reset_index(drop=True)
    assert len(from_mart) == len(truncated) > 0
    assert np.allclose(from_mart["win_probability"], truncated["win_probability"], rtol=0, atol=1e-12)
    assert (from_mart["predicted_rank"].to_numpy() == truncated["predicted_rank"].to_numpy()).all()
    assert (pd.to_datetime(from_mart["trained_through"]) < pd.Timestamp(f"{season}-01-01")).all()


def test_backtest_writes_the_model_card(warehouse: Path, settings: Settings, tmp_path: Path) -> None:
    on_built = dataclasses.replace(settings, warehouse=warehouse)
    result = run_backtest(on_built, *SLICE, card_path=tmp_path / "race_winner.md")
    text = result.card.read_text()
    for season in range(SLICE[0], SLICE[1] + 1):
        assert f"\n| {season} | " in text
    assert "pole top-1" in text and "leader top-1" in text and "## Calibration" in text
    overall = result.backtest.overall.iloc[0]
    assert f"{overall.model_top1 * 100:.1f}%" in text


def test_a_slice_with_no_season_is_one_clear_error(features: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no season between 2090 and 2095"):
        rolling_predictions(features, 2090, 2095)
