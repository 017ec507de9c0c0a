"""Seeded generators of raw data in the real formats, for tests and the benchmark.

Everything they write is labelled generated."""
