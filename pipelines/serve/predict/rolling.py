"""Rolling origin: every race of season S is predicted by a model trained only on the seasons before S."""

from __future__ import annotations

import pandas as pd

from pipelines.serve.predict.features import RACE, design_matrix, prepare
from pipelines.serve.predict.model import MODEL_VERSION, RaceWinnerModel

FIRST_PREDICTED_SEASON = 2000
MIN_TRAINING_SEASONS = 5
PREDICTION_COLUMNS = (
    "race_key",
    "season",
    "round_number",
    "race_date",
    "driver_id",
    "win_probability",
    "predicted_rank",
    "model_version",
    "trained_through",
)


def predict_season(frame: pd.DataFrame, season: int) -> pd.DataFrame:
    """Predictions for every race of `season` (prepared rows), from the seasons before it only."""
    training = frame[frame["season"] < season]
    target = frame[frame["season"] == season]
    if training["season"].nunique() < MIN_TRAINING_SEASONS:
        raise ValueError(f"season {season}: fewer than {MIN_TRAINING_SEASONS} earlier seasons to train on")
    model = RaceWinnerModel.fit(
        design_matrix(training), training["label_won_race"].to_numpy(), training[RACE].to_numpy()
    )
    out = target.copy()
    out["win_probability"] = model.predict(design_matrix(target), target[RACE].to_numpy())
    out["predicted_rank"] = (
        out.sort_values([RACE, "win_probability", "driver_id"], ascending=[True, False, True], kind="mergesort")
        .groupby(RACE, sort=False)
        .cumcount()
        .add(1)
        .reindex(out.index)
    )
    out["model_version"] = MODEL_VERSION
    out["trained_through"] = max(training["race_date"])
    return out


def rolling_predictions(
    features: pd.DataFrame, first_season: int = FIRST_PREDICTED_SEASON, last_season: int | None = None
) -> pd.DataFrame:
    """Every race from `first_season` to `last_season` (the latest by default), each season trained on the ones
    before it. Carries the label (`label_won_race`) and the baseline inputs beside the prediction columns."""
    frame = prepare(features)
    last = int(frame["season"].max()) if last_season is None else last_season
    seasons = [s for s in sorted(frame["season"].unique()) if first_season <= s <= last]
    if not seasons:
        raise ValueError(f"no season between {first_season} and {last} in f1_race_features")
    predicted = pd.concat([predict_season(frame, int(s)) for s in seasons], ignore_index=True)
    return predicted.sort_values(["race_date", RACE, "predicted_rank"], kind="mergesort").reset_index(drop=True)


def prediction_table(predicted: pd.DataFrame) -> pd.DataFrame:
    """Just the columns of the `f1_race_predictions` mart."""
    return predicted.loc[:, list(PREDICTION_COLUMNS)].reset_index(drop=True)
