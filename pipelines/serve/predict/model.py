"""The race-winner model: a conditional logit, one linear score per driver, a softmax over each race's field.

scikit-learn's LogisticRegression (lbfgs, L2, fixed seed) learns the weights on driver rows labelled won / not won;
within one race the intercept cancels, so exp(score) normalised over the field is a conditional-logit probability
that sums to 1 per race. One temperature, fitted on the training races' own log loss, calibrates the spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

MODEL_VERSION = "race_winner-clogit-1.0"
SEED = 19
REGULARISATION_C = 1.0


def race_softmax(scores: np.ndarray, races: np.ndarray) -> np.ndarray:
    """exp(score) / Σ exp(score) over the rows of the same race: each race's probabilities sum to 1."""
    frame = pd.DataFrame({"race": races, "score": scores})
    shifted = frame["score"] - frame.groupby("race", sort=False)["score"].transform("max")
    weights = np.exp(shifted)
    return np.asarray(weights / weights.groupby(frame["race"], sort=False).transform("sum"), dtype=float)


def race_log_loss(probabilities: np.ndarray, labels: np.ndarray, races: np.ndarray) -> float:
    """Mean over races with a winner of -log(probability given to the winner)."""
    won = labels == 1
    if not won.any():
        return float("nan")
    per_race = pd.Series(np.where(won, probabilities, np.nan)).groupby(races, sort=False).max().dropna()
    return float(-np.log(np.clip(per_race.to_numpy(), 1e-15, 1.0)).mean())


@dataclass
class RaceWinnerModel:
    pipeline: Pipeline
    temperature: float

    @classmethod
    def fit(cls, matrix: np.ndarray, labels: np.ndarray, races: np.ndarray) -> RaceWinnerModel:
        pipeline = make_pipeline(
            StandardScaler(),
            LogisticRegression(C=REGULARISATION_C, max_iter=2000, random_state=SEED),
        )
        pipeline.fit(matrix, labels)
        scores = pipeline.decision_function(matrix)
        fitted = minimize_scalar(
            lambda t: race_log_loss(race_softmax(scores / t, races), labels, races),
            bounds=(0.2, 5.0),
            method="bounded",
            options={"xatol": 1e-4},
        )
        return cls(pipeline, float(fitted.x))

    def predict(self, matrix: np.ndarray, races: np.ndarray) -> np.ndarray:
        """Win probability of each row; sums to 1 over each race's rows."""
        return race_softmax(self.pipeline.decision_function(matrix) / self.temperature, races)
