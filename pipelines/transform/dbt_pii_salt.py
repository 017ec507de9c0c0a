"""A dbt-duckdb plugin that puts the PII salt in a DuckDB session variable (`getvariable('pii_salt')`).

This keeps the salt out of compiled SQL, dbt's logs, run artifacts and the docs site: models only name the variable.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from pipelines.secrets import pii_salt


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._salt = pii_salt()

    def _set_salt(self, conn: Any) -> None:
        quoted = self._salt.replace("'", "''")
        conn.execute(f"set variable pii_salt = '{quoted}'")

    def configure_connection(self, conn: Any) -> None:
        self._set_salt(conn)

    def configure_cursor(self, cursor: Any) -> None:
        # dbt-duckdb runs models on cursors, and a DuckDB variable belongs to one connection: without this, every
        # model saw a null salt and every hash was null
        self._set_salt(cursor)
