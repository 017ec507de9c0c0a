"""From `f1_race_features` (one row per driver per race, known before the start) to the model's inputs.

Every input is relative to the race's own field, so that eras with other points systems and field sizes compare:
points as a share of the race's best, qualifying as a gap to pole, positions as reciprocals (1 for first, 0 when
unknown). A missing value gets an indicator column, never a guess from the race itself.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

RACE = "race_key"
FEATURE_NAMES: tuple[str, ...] = (
    "grid_reciprocal",
    "grid_log",
    "pit_lane_start",
    "qualifying_reciprocal",
    "qualifying_gap_pct",
    "qualifying_missing",
    "championship_reciprocal",
    "championship_points_share",
    "championship_missing",
    "points_last_3_share",
    "finish_last_3_reciprocal",
    "form_missing",
    "constructor_points_last_3_share",
    "career_starts_log",
    "best_finish_at_circuit_reciprocal",
    "starts_at_circuit_log",
)
SOURCE_COLUMNS = (
    "race_key, season, round_number, race_date, driver_id, constructor_id, grid, qualifying_position, "
    "qualifying_best_lap_ms, championship_position_before, championship_points_before, finish_position_last_3, "
    "points_last_3, career_starts_before, constructor_points_last_3, best_finish_at_circuit, starts_at_circuit, "
    "label_won_race"
)


def read_features(con: duckdb.DuckDBPyConnection, relation: str = "marts.f1_race_features") -> pd.DataFrame:
    """The feature mart in a fixed order (race date, race, driver), so that every run sees the same rows."""
    return con.execute(f"select {SOURCE_COLUMNS} from {relation} order by race_date, race_key, driver_id").df()


def prepare(features: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted (race date, race, driver), dates as dates, the label as 0/1."""
    frame = features.copy()
    frame["race_date"] = pd.to_datetime(frame["race_date"]).dt.date
    frame["label_won_race"] = frame["label_won_race"].fillna(False).astype(bool).astype(int)
    frame = frame.sort_values(["race_date", RACE, "driver_id"], kind="mergesort").reset_index(drop=True)
    return frame


def _reciprocal(values: pd.Series) -> pd.Series:
    numeric = pd.to_numeric(values, errors="coerce").astype(float)
    return (1.0 / numeric.where(numeric > 0)).fillna(0.0)


def _share_of_race_best(frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce").astype(float).fillna(0.0).clip(lower=0.0)
    best = values.groupby(frame[RACE]).transform("max")
    return (values / best.where(best > 0)).fillna(0.0)


def design_matrix(frame: pd.DataFrame) -> np.ndarray:
    """One row per driver per race, the columns of FEATURE_NAMES, all finite."""
    grid = pd.to_numeric(frame["grid"], errors="coerce").astype(float)
    started_from_grid = grid.where(grid > 0)
    lap = pd.to_numeric(frame["qualifying_best_lap_ms"], errors="coerce").astype(float)
    pole_lap = lap.groupby(frame[RACE]).transform("min")
    gap_pct = ((lap / pole_lap - 1.0) * 100.0).clip(upper=10.0)
    championship = pd.to_numeric(frame["championship_position_before"], errors="coerce")
    finish_last_3 = pd.to_numeric(frame["finish_position_last_3"], errors="coerce")
    columns = {
        "grid_reciprocal": _reciprocal(started_from_grid),
        "grid_log": np.log(started_from_grid.fillna(30.0)),
        "pit_lane_start": started_from_grid.isna().astype(float),
        "qualifying_reciprocal": _reciprocal(frame["qualifying_position"]),
        "qualifying_gap_pct": gap_pct.fillna(10.0),
        "qualifying_missing": gap_pct.isna().astype(float),
        "championship_reciprocal": _reciprocal(championship),
        "championship_points_share": _share_of_race_best(frame, "championship_points_before"),
        "championship_missing": championship.isna().astype(float),
        "points_last_3_share": _share_of_race_best(frame, "points_last_3"),
        "finish_last_3_reciprocal": _reciprocal(finish_last_3),
        "form_missing": finish_last_3.isna().astype(float),
        "constructor_points_last_3_share": _share_of_race_best(frame, "constructor_points_last_3"),
        "career_starts_log": np.log1p(pd.to_numeric(frame["career_starts_before"], errors="coerce").fillna(0.0)),
        "best_finish_at_circuit_reciprocal": _reciprocal(frame["best_finish_at_circuit"]),
        "starts_at_circuit_log": np.log1p(pd.to_numeric(frame["starts_at_circuit"], errors="coerce").fillna(0.0)),
    }
    matrix = np.column_stack([np.asarray(columns[name], dtype=float) for name in FEATURE_NAMES])
    return np.nan_to_num(matrix, nan=0.0, posinf=0.0, neginf=0.0)
