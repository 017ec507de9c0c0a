"""Transform: dbt. The runner, reading dbt's manifest, the dbt-duckdb plugin, the quality report, the ERD and the
seed generators. Imports only `ingest` and `config`."""
