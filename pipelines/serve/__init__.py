"""Serve: what readers use, all read-only: the dashboards and the docs site."""
