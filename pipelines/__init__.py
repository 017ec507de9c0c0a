"""Grandstand: dlt pipelines into DuckDB, dbt models on top."""

__version__ = "0.1.0"
