"""The F1 race-winner model: features → a conditional logit per race → rolling-origin predictions and backtest.

features.py  reads `marts.f1_race_features` and turns each race's field into relative, model-ready columns
model.py     the seeded scikit-learn model; win probabilities are a softmax over each race's field (sum to 1)
rolling.py   rolling origin: each season predicted by a model trained only on the seasons before it
backtest.py  metrics (top-1, top-3, log loss, calibration) beside the pole-sitter and championship-leader baselines
card.py      writes the model card, docs/models/race_winner.md
commands.py  what `grandstand predict [--backtest]` runs, on the warehouse opened read-only
"""
