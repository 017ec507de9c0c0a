"""Dagster definitions: the same extract, load and dbt build as the CLI, as assets with schedules and a sensor.

Start the UI with `grandstand orchestrate` (or `make orchestrate`); the code location is
`pipelines.orchestrate.definitions`. Nothing below `orchestrate` imports it: the CLI runs without Dagster.
"""
