"""Lake: the raw layer exported as Parquet, the Spark target built from it, and the DuckDB-v-Spark comparison."""
