"""Win probabilities for every race from 2000 on, each season scored by a model trained only on the seasons before it.

A dbt Python model (dbt-duckdb runs it in the dbt process): the same code as `grandstand predict`
(pipelines/serve/predict). Disabled on Spark, where dbt-spark's session method runs no Python models.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from pipelines.serve.predict.rolling import prediction_table, rolling_predictions

    features = dbt.ref("f1_race_features").df()
    return prediction_table(rolling_predictions(features))
