"""The API's JSON and CSV, rendered by DuckDB in the query that reads the rows, and joined or written by pyarrow: no
value becomes a Python object on the way, and no row is validated again (the marts' contracts, the typed casts below
and the API tests, schemathesis's included, hold the response models).

Each column is cast to the type its resource declares, so the JSON is what the response model describes:
- date-times in UTC, ISO 8601 with `Z`, and microseconds only when there are any (as pydantic writes them);
- NaN and infinities as null (JSON has no such numbers; pydantic writes null too);
- numbers in their shortest round-trip form.
CSV carries the same values, date-times as the same ISO 8601 text.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

Form = Literal["json", "csv"]
ROW_JSON = "row_json"  # the column holding each row's JSON object
SQL_TYPES: dict[type, str] = {
    str: "varchar",
    int: "bigint",
    float: "double",
    bool: "boolean",
    date: "date",
    datetime: "timestamptz",
}


def _iso_utc(column: str) -> str:
    """A date-time column as pydantic writes it: `2024-10-03T14:30:00Z`, `2024-10-03T14:30:00.500000Z`."""
    instant = f"cast({column} as timestamptz)"
    utc = f"timezone('UTC', {instant})"
    return (
        f"case when epoch_us({instant}) % 1000000 = 0 "
        f"then strftime({utc}, '%Y-%m-%dT%H:%M:%SZ') else strftime({utc}, '%Y-%m-%dT%H:%M:%S.%fZ') end"
    )


def _json_value(column: str, typ: type) -> str:
    quoted = f'"{column}"'
    if typ is datetime:
        return _iso_utc(quoted)
    if typ is float:
        return f"case when isfinite(cast({quoted} as double)) then cast({quoted} as double) end"
    return f"cast({quoted} as {SQL_TYPES[typ]})"


def output_columns(columns: dict[str, type], form: Form) -> str:
    """The select list rendering a row: one JSON object text (column ROW_JSON), or the CSV's columns."""
    if form == "json":
        pairs = ", ".join(f"'{c}': {_json_value(c, t)}" for c, t in columns.items())
        return f'to_json({{{pairs}}}) as "{ROW_JSON}"'
    return ", ".join(f'{_csv_value(c, t)} as "{c}"' for c, t in columns.items())


def _csv_value(column: str, typ: type) -> str:
    quoted = f'"{column}"'
    return _iso_utc(quoted) if typ is datetime else quoted


def json_array(table: pa.Table) -> str:
    """The rows' JSON objects (column ROW_JSON) as one JSON array."""
    if table.num_rows == 0:
        return "[]"
    objects = table.column(ROW_JSON).combine_chunks()
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(objects)], pa.int32()), objects), ",")
    return f"[{joined[0].as_py()}]"


def json_object(table: pa.Table) -> str:
    """The first row's JSON object."""
    return str(table.column(ROW_JSON)[0].as_py())


def json_page(table: pa.Table, next_cursor: str | None) -> str:
    return f'{{"items":{json_array(table)},"next_cursor":{json.dumps(next_cursor)}}}'


def json_items(table: pa.Table) -> str:
    return f'{{"items":{json_array(table)}}}'


def csv_bytes(table: pa.Table, columns: list[str]) -> bytes:
    """The rows' `columns` as CSV with a header line."""
    out = io.BytesIO()
    pa_csv.write_csv(table.select(columns), out)
    return out.getvalue()
