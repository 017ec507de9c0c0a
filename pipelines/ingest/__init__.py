"""Ingest: source → landing zone → raw_<source>. The HTTP client, the landing zone, extract, load (dlt), conform,
and one package per source under `sources/`. Imports nothing above it."""
