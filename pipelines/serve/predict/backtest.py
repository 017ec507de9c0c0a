"""Backtest metrics: the model beside two baselines, on exactly the same races.

- top-1 accuracy: the driver ranked first won;
- top-3 hit rate: the winner was among the three ranked first;
- log loss: mean of -log(probability given to the winner), per race;
- calibration: predicted probability in bins against the observed win rate.
Baselines: "the pole sitter wins" (grid 1; ranked by grid for top-3) and "the championship leader before the race
wins" (standings after the previous round; ranked by them for top-3). A baseline with no pick for a race (no grid 1,
or round 1 with no standings yet) counts as a miss there: the races are the same for all three.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.serve.predict.features import RACE

CALIBRATION_EDGES = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)


@dataclass(frozen=True)
class Backtest:
    per_season: pd.DataFrame
    overall: pd.DataFrame
    calibration: pd.DataFrame
    races: int
    outcomes: pd.DataFrame  # one row per race: the hits of the model and of each baseline


def _baseline_rank(predicted: pd.DataFrame, column: str) -> pd.Series:
    """Rank of each driver by a position column (1 = the baseline's pick); no position → not ranked."""
    position = pd.to_numeric(predicted[column], errors="coerce").astype(float)
    return position.where(position > 0)


def race_outcomes(predicted: pd.DataFrame) -> pd.DataFrame:
    """One row per race with a winner: the winner's model rank and probability, and the baselines' hits."""
    rows = predicted.assign(
        pole_rank=_baseline_rank(predicted, "grid"),
        leader_rank=_baseline_rank(predicted, "championship_position_before"),
    )
    winners = rows[rows["label_won_race"] == 1]
    per_race = winners.groupby(RACE, sort=False).agg(
        season=("season", "first"),
        model_rank=("predicted_rank", "min"),
        winner_probability=("win_probability", "max"),
        pole_rank=("pole_rank", "min"),
        leader_rank=("leader_rank", "min"),
    )
    with_leader = rows.loc[rows["leader_rank"] == 1, RACE].unique()
    per_race["leader_has_pick"] = per_race.index.isin(with_leader)
    return pd.DataFrame(
        {
            "season": per_race["season"].astype(int),
            "model_top1": per_race["model_rank"] == 1,
            "model_top3": per_race["model_rank"] <= 3,
            "log_loss": -np.log(np.clip(per_race["winner_probability"].astype(float), 1e-15, 1.0)),
            "pole_top1": per_race["pole_rank"].fillna(np.inf) == 1,
            "pole_top3": per_race["pole_rank"].fillna(np.inf) <= 3,
            "leader_has_pick": per_race["leader_has_pick"],
            "leader_top1": per_race["leader_rank"].fillna(np.inf) == 1,
            "leader_top3": per_race["leader_rank"].fillna(np.inf) <= 3,
        }
    ).reset_index()


def _summary(outcomes: pd.DataFrame) -> dict[str, float]:
    return {
        "races": float(len(outcomes)),
        "model_top1": float(outcomes["model_top1"].mean()),
        "model_top3": float(outcomes["model_top3"].mean()),
        "model_log_loss": float(outcomes["log_loss"].mean()),
        "pole_top1": float(outcomes["pole_top1"].mean()),
        "pole_top3": float(outcomes["pole_top3"].mean()),
        "leader_top1": float(outcomes["leader_top1"].mean()),
        "leader_top3": float(outcomes["leader_top3"].mean()),
    }


def calibration_table(predicted: pd.DataFrame) -> pd.DataFrame:
    """Driver rows binned by predicted win probability: how many, the mean prediction, the observed win rate."""
    bins = pd.cut(predicted["win_probability"], bins=list(CALIBRATION_EDGES), include_lowest=True)
    table = (
        predicted.assign(bin=bins)
        .groupby("bin", observed=False)
        .agg(
            drivers=("win_probability", "size"),
            mean_predicted=("win_probability", "mean"),
            observed_win_rate=("label_won_race", "mean"),
        )
        .reset_index()
    )
    table["bin"] = table["bin"].astype(str)
    return table


def evaluate(predicted: pd.DataFrame) -> Backtest:
    """Metrics per season and overall, and the calibration table, for rolling-origin predictions."""
    outcomes = race_outcomes(predicted)
    if outcomes.empty:
        raise ValueError("no race with a known winner among the predictions")
    per_season = pd.DataFrame(
        [{"season": season} | _summary(group) for season, group in outcomes.groupby("season", sort=True)]
    )
    per_season["races"] = per_season["races"].astype(int)
    overall = pd.DataFrame([{"season": "all"} | _summary(outcomes)])
    overall["races"] = overall["races"].astype(int)
    return Backtest(per_season, overall, calibration_table(predicted), len(outcomes), outcomes)
