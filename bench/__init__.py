"""`make bench`: generated data at fixed seeds in each source's raw format, timed against DuckDB's own readers."""
