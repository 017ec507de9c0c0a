"""A resource is a mart (or a grouping of one) with typed columns and a unique sort key; this module reads pages
of it with keyset pagination (`where (keys) > (cursor) order by keys limit n`, never OFFSET) and opaque cursors.

Every value is a bound parameter; table and column names come only from the Resource definitions in this package.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, create_model

SQL_TYPES: dict[type, str] = {
    str: "varchar",
    int: "bigint",
    float: "double",
    bool: "boolean",
    date: "date",
    datetime: "timestamptz",
}

Filter = tuple[str, list[object]]  # a SQL condition with `?` placeholders, and its values


@dataclass(frozen=True)
class Resource:
    """`table` is a qualified table name, or a parenthesised query with an alias; `keys` order it uniquely."""

    name: str
    table: str
    columns: dict[str, type]
    keys: tuple[str, ...]
    description: str = ""
    model: type[BaseModel] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        missing = [k for k in self.keys if k not in self.columns]
        if missing:
            raise ValueError(f"{self.name}: sort keys {missing} are not columns")
        fields: dict[str, Any] = {
            col: ((typ, ...) if col in self.keys else (typ | None, None)) for col, typ in self.columns.items()
        }
        object.__setattr__(self, "model", create_model(self.name, __doc__=self.description or None, **fields))

    @property
    def select_list(self) -> str:
        return ", ".join(f'"{c}"' for c in self.columns)


def _where(filters: list[Filter]) -> tuple[str, list[object]]:
    if not filters:
        return "", []
    return " where " + " and ".join(f"({sql})" for sql, _ in filters), [v for _, values in filters for v in values]


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def rows(con: duckdb.DuckDBPyConnection, res: Resource, filters: list[Filter], order_by: str | None = None) -> list:
    """Every row matching the filters (for small collections), ordered by `order_by` or the keys."""
    where, params = _where(filters)
    order = order_by or ", ".join(f'"{k}"' for k in res.keys)
    return _records(con.execute(f"select {res.select_list} from {res.table}{where} order by {order}", params))


def one(con: duckdb.DuckDBPyConnection, res: Resource, filters: list[Filter]) -> dict[str, Any] | None:
    found = rows(con, res, filters)
    return found[0] if found else None


def exists(con: duckdb.DuckDBPyConnection, res: Resource, filters: list[Filter]) -> bool:
    where, params = _where(filters)
    return con.execute(f"select 1 from {res.table}{where} limit 1", params).fetchone() is not None


# ---- cursors ---------------------------------------------------------------------------------------------------


def _bad_cursor(raw: str, why: str) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "value_error", "loc": ("query", "cursor"), "msg": f"cursor is not valid here: {why}", "input": raw}]
    )


def encode_cursor(res: Resource, row: dict[str, Any]) -> str:
    values = [row[k].isoformat() if isinstance(row[k], date) else row[k] for k in res.keys]
    raw = json.dumps([res.name, values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(res: Resource, cursor: str) -> list[object]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, ValueError):
        raise _bad_cursor(cursor, "not a cursor this API issued") from None
    if not (isinstance(decoded, list) and len(decoded) == 2 and decoded[0] == res.name):
        raise _bad_cursor(cursor, f"it was not issued for {res.name}")
    values = decoded[1]
    if not isinstance(values, list) or len(values) != len(res.keys):
        raise _bad_cursor(cursor, "wrong number of key values")
    if any(not isinstance(v, str | int | float | bool) for v in values):
        raise _bad_cursor(cursor, "key values must be scalars")
    return values


def page(
    con: duckdb.DuckDBPyConnection, res: Resource, filters: list[Filter], limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page in key order after `cursor`, and the cursor of the next page (None on the last page)."""
    conditions = list(filters)
    if cursor:
        values = decode_cursor(res, cursor)
        keys = ", ".join(f'"{k}"' for k in res.keys)
        casts = ", ".join(f"try_cast(? as {SQL_TYPES[res.columns[k]]})" for k in res.keys)
        conditions.append((f"({keys}) > ({casts})", [str(v) for v in values]))
    where, params = _where(conditions)
    order = ", ".join(f'"{k}"' for k in res.keys)
    sql = f"select {res.select_list} from {res.table}{where} order by {order} limit ?"
    found = _records(con.execute(sql, [*params, limit + 1]))
    if len(found) > limit:
        return found[:limit], encode_cursor(res, found[limit - 1])
    return found, None
