"""A resource is a mart (or a grouping of one) with typed columns and a unique sort key; this module reads pages
of it with keyset pagination (`where (keys) > (cursor) order by keys limit n`, never OFFSET) and opaque cursors.

The query that reads the rows also renders them (pipelines.serve.api.rendering): it returns an Arrow table of each
row's JSON object, or of the CSV's columns, beside the sort keys for the next cursor. Every value is a bound
parameter; table and column names come only from the Resource definitions in this package.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, create_model

from pipelines.serve.api.rendering import SQL_TYPES, Form, output_columns

KEY = "key__"  # prefix of the sort-key columns returned beside the rendered rows

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


def rows(
    con: duckdb.DuckDBPyConnection,
    res: Resource,
    filters: list[Filter],
    order_by: str | None = None,
    limit: int | None = None,
    form: Form = "json",
) -> pa.Table:
    """The rows matching the filters (every one, for small collections), ordered by `order_by` or the keys, rendered
    as `form`, with the sort keys beside them (columns `key__<key>`).

    Under a limit of more than one row the rows are rendered only after the limit has cut them: DuckDB computes the
    select list for every matching row before its top-N, and rendering should cost what the page holds. A single
    row (or a whole small collection) is read in one flat query, which plans faster."""
    where, params = _where(filters)
    rendered = output_columns(res.columns, form)
    if limit is not None and limit > 1:
        inner = f"select {res.select_list} from {res.table}{where} order by {order_by or _key_order(res)} limit ?"
        source, where, params = f"({inner}) as found", "", [*params, limit]
        order = order_by or _key_order(res, "found.")  # qualified: a CSV column may shadow a key's name
    elif form == "json":  # the JSON's only columns are row_json and key__*: no name is shadowed
        source, order = res.table, order_by or _key_order(res)
    else:
        raise ValueError("CSV is rendered for pages (a limit of 2 or more) only")
    keys = ", ".join(f'"{k}" as "{KEY}{k}"' for k in res.keys)
    sql = f"select {rendered}, {keys} from {source}{where} order by {order}"
    if limit == 1:
        sql += " limit 1"
    return con.execute(sql, params).to_arrow_table()


def _key_order(res: Resource, qualifier: str = "") -> str:
    return ", ".join(f'{qualifier}"{k}"' for k in res.keys)


def one(con: duckdb.DuckDBPyConnection, res: Resource, filters: list[Filter]) -> pa.Table | None:
    """The first row matching the filters (a one-row table), or None."""
    found = rows(con, res, filters, limit=1)
    return found if found.num_rows else None


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
    con: duckdb.DuckDBPyConnection,
    res: Resource,
    filters: list[Filter],
    limit: int,
    cursor: str | None,
    form: Form = "json",
) -> tuple[pa.Table, str | None]:
    """One page in key order after `cursor`, and the cursor of the next page (None on the last page)."""
    conditions = list(filters)
    if cursor:
        values = [str(v) for v in decode_cursor(res, cursor)]
        keys = ", ".join(f'"{k}"' for k in res.keys)
        casts = [f"try_cast(? as {SQL_TYPES[res.columns[k]]})" for k in res.keys]
        # the first key alone as well: a plain range the scan can check against each row group's min/max
        conditions.append((f'"{res.keys[0]}" >= {casts[0]}', values[:1]))
        conditions.append((f"({keys}) > ({', '.join(casts)})", values))
    found = rows(con, res, conditions, limit=limit + 1, form=form)
    if found.num_rows > limit:
        last = found.slice(limit - 1, 1).select([f"{KEY}{k}" for k in res.keys]).to_pylist()[0]
        return found.slice(0, limit), encode_cursor(res, {k: last[f"{KEY}{k}"] for k in res.keys})
    return found, None
