"""What `grandstand predict [--backtest]` does, on the warehouse opened read-only (or its last good copy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.config import Settings
from pipelines.operate.reader import open_reader
from pipelines.serve.predict.backtest import Backtest, evaluate
from pipelines.serve.predict.card import CARD_PATH, render, write_card
from pipelines.serve.predict.features import prepare, read_features
from pipelines.serve.predict.rolling import FIRST_PREDICTED_SEASON, rolling_predictions


def load_features(settings: Settings) -> pd.DataFrame:
    con, _ = open_reader(settings)
    if con is None:
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}: run `grandstand run` first")
    try:
        return read_features(con)
    finally:
        con.close()


def latest_race(settings: Settings) -> pd.DataFrame:
    """The latest race in the warehouse, predicted by the same rolling-origin code as the mart."""
    features = load_features(settings)
    season = int(features["season"].max())
    predicted = rolling_predictions(features, first_season=season, last_season=season)
    last = predicted[predicted["race_date"] == predicted["race_date"].max()]
    return last.sort_values("predicted_rank").reset_index(drop=True)


@dataclass(frozen=True)
class BacktestRun:
    backtest: Backtest
    card: Path
    first_season: int
    last_season: int


def run_backtest(
    settings: Settings,
    first_season: int = FIRST_PREDICTED_SEASON,
    last_season: int | None = None,
    card_path: Path = CARD_PATH,
) -> BacktestRun:
    features = load_features(settings)
    last = int(features["season"].max()) if last_season is None else last_season
    backtest = evaluate(rolling_predictions(features, first_season, last))
    text = render(backtest, first_season, last, int(features["season"].min()), max(prepare(features)["race_date"]))
    return BacktestRun(backtest, write_card(text, card_path), first_season, last)
